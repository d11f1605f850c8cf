"""The SQL of the log's guards: the trigger functions and the three functions through which the
only updates the log allows are made (``GUARD_FUNCTIONS``), filled in for today's models and the
application's role by ``functions_sql``."""

from django.conf import settings

from .tables import _column, model_pending, workflow_columns

GUARD_FUNCTIONS = r"""
-- Today where the portal is. (The test suite, whose clock Python pins, replaces it in its own
-- databases: tests/sharing_log/helpers/database.py.)
CREATE OR REPLACE FUNCTION sharing_log_today() RETURNS date LANGUAGE sql STABLE AS $body$
  SELECT (now() AT TIME ZONE {tz_literal})::date
$body$;

CREATE OR REPLACE FUNCTION sharing_log_guard() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
  mode text := coalesce(current_setting('sharing_log.write', true), '');
  trusted boolean := current_user <> {app_literal};
  purge_cols text[] := string_to_array(TG_ARGV[0], ',');
  retention_cols text[] := string_to_array(TG_ARGV[1], ',');
  status_col text := TG_ARGV[2];
  pending text := TG_ARGV[3];
  decision_cols text[] := string_to_array(TG_ARGV[4], ',');
  old_row jsonb;
  new_row jsonb;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    IF mode = 'flush' AND trusted THEN RETURN NULL; END IF;
    RAISE EXCEPTION 'The sharing log is append-only: TRUNCATE of % refused.', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'The sharing log is append-only: DELETE from % refused.', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  old_row := to_jsonb(OLD);
  new_row := to_jsonb(NEW);
  IF trusted AND mode = 'purge' AND (new_row - purge_cols) = (old_row - purge_cols) THEN RETURN NEW; END IF;
  IF trusted AND mode = 'retention' AND (new_row - retention_cols) = (old_row - retention_cols) THEN RETURN NEW; END IF;
  IF trusted AND mode = 'decide' AND status_col <> '' AND old_row ->> status_col = pending
     AND new_row ->> status_col <> pending AND (new_row - decision_cols) = (old_row - decision_cols) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'The sharing log is append-only: UPDATE of % refused.', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$body$;

CREATE TABLE IF NOT EXISTS sharing_log_entry_transaction (
  txid bigint NOT NULL,
  disclosure_id bigint NOT NULL,
  PRIMARY KEY (txid, disclosure_id)
);
REVOKE ALL ON sharing_log_entry_transaction FROM PUBLIC;

CREATE OR REPLACE FUNCTION sharing_log_entry_inserted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $body$
BEGIN
  INSERT INTO sharing_log_entry_transaction (txid, disclosure_id) VALUES (txid_current(), NEW.id)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$body$;

CREATE OR REPLACE FUNCTION sharing_log_gateways_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $body$
BEGIN
  IF TG_OP = 'INSERT' AND EXISTS (
    SELECT 1 FROM sharing_log_entry_transaction WHERE txid = txid_current() AND disclosure_id = NEW.disclosure_id
  ) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'The legal gateways of a logged entry cannot change.' USING ERRCODE = 'insufficient_privilege';
END
$body$;

CREATE OR REPLACE FUNCTION sharing_log_set_retention(p_disclosure bigint, p_due date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $body$
DECLARE
  entry record;
  today date := sharing_log_today();
  earliest date;
  latest date;
BEGIN
  SELECT d.id, d.occurred_at, d.purged_at, a.retention_months_after_closure AS months,
         a.retention_months_from_disclosure AS fixed INTO entry
    FROM sharing_log_disclosure d JOIN agreements_agreement a ON a.id = d.agreement_id
    WHERE d.id = p_disclosure FOR UPDATE OF d;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sharing_log_set_retention: there is no entry %.', p_disclosure;
  END IF;
  IF entry.purged_at IS NOT NULL THEN
    RAISE EXCEPTION 'sharing_log_set_retention: entry % is destroyed already.', p_disclosure;
  END IF;
  IF entry.fixed IS NOT NULL THEN
    -- A fixed period from the disclosure gives the entry one date (issue 13 item 7).
    earliest := ((entry.occurred_at AT TIME ZONE {tz_literal})::date + make_interval(months => entry.fixed))::date;
    IF p_due IS DISTINCT FROM earliest THEN
      RAISE EXCEPTION 'sharing_log_set_retention: % is not the retention date entry % has (%).',
        p_due, p_disclosure, earliest USING ERRCODE = 'check_violation';
    END IF;
  ELSIF p_due IS NOT NULL THEN
    IF entry.months IS NULL THEN
      RAISE EXCEPTION 'sharing_log_set_retention: the agreement of entry % sets no retention period.', p_disclosure;
    END IF;
    -- A case closes on or after its entries and never in the future (001 §5.15).
    earliest := ((entry.occurred_at AT TIME ZONE {tz_literal})::date + make_interval(months => entry.months))::date;
    latest := (today + make_interval(months => entry.months))::date;
    IF p_due < earliest OR p_due > latest THEN
      RAISE EXCEPTION 'sharing_log_set_retention: % is not a retention date the rules give entry % (% to %).',
        p_due, p_disclosure, earliest, latest USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  PERFORM set_config('sharing_log.write', 'retention', true);
  UPDATE sharing_log_disclosure SET retention_due_on = p_due WHERE id = p_disclosure;
  PERFORM set_config('sharing_log.write', '', true);
  INSERT INTO sharing_log_guardedwrite (kind, disclosure_id, detail, at, database_user)
    VALUES ('retention', p_disclosure, coalesce(p_due::text, ''), now(), session_user);
END
$body$;

-- The one decision a pending workflow record may take: p_decision maps decision columns (the
-- status among them) to their new values; nothing else of the row may change, and only once.
CREATE OR REPLACE FUNCTION sharing_log_decide(p_table text, p_id bigint, p_decision jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $body$
DECLARE
  label text;
  status_col text;
  pending text;
  decision_cols text[];
  old_row jsonb;
  columns text;
  stray text;
BEGIN
  CASE p_table
{decide_cases}
    ELSE
      RAISE EXCEPTION 'sharing_log_decide: % holds no decision the application may take.', p_table
        USING ERRCODE = 'insufficient_privilege';
  END CASE;
  IF p_decision IS NULL OR jsonb_typeof(p_decision) <> 'object' THEN
    RAISE EXCEPTION 'sharing_log_decide: the decision must be an object of columns.';
  END IF;
  SELECT min(key) INTO stray FROM jsonb_object_keys(p_decision) key WHERE NOT key = ANY (decision_cols);
  IF stray IS NOT NULL THEN
    RAISE EXCEPTION 'sharing_log_decide: % is not a decision column of %.', stray, p_table
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF coalesce(p_decision ->> status_col, pending) = pending THEN
    RAISE EXCEPTION 'sharing_log_decide: a decision of % must set % to other than %.', p_table, status_col, pending
      USING ERRCODE = 'check_violation';
  END IF;
  EXECUTE format('SELECT to_jsonb(t) FROM %I t WHERE id = $1 FOR UPDATE', p_table) INTO old_row USING p_id;
  IF old_row IS NULL THEN
    RAISE EXCEPTION 'sharing_log_decide: there is no % %.', label, p_id;
  END IF;
  IF old_row ->> status_col IS DISTINCT FROM pending THEN
    RAISE EXCEPTION 'sharing_log_decide: % % is decided already.', label, p_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT string_agg(format('%I', col), ', ') INTO columns FROM unnest(decision_cols) col;
  PERFORM set_config('sharing_log.write', 'decide', true);
  EXECUTE format('UPDATE %I SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%I, $1)) WHERE id = $2',
                 p_table, columns, columns, p_table)
    USING old_row || p_decision, p_id;
  PERFORM set_config('sharing_log.write', '', true);
  INSERT INTO sharing_log_guardedwrite (kind, disclosure_id, detail, at, database_user)
    VALUES ('decide', (old_row ->> 'disclosure_id')::bigint,
            left(label || ' ' || p_id || ' ' || (p_decision ->> status_col), 64), now(), session_user);
END
$body$;

CREATE OR REPLACE FUNCTION sharing_log_purge(p_disclosure bigint, p_closure bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $body$
DECLARE
  entry record;
  closure record;
  today date := sharing_log_today();
  destroyed text := 'Destroyed under the retention rule.';
BEGIN
  SELECT id, purged_at, retention_due_on, disclosing_organisation_id INTO entry
    FROM sharing_log_disclosure WHERE id = p_disclosure FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sharing_log_purge: there is no entry %.', p_disclosure;
  END IF;
  IF entry.purged_at IS NOT NULL THEN
    RAISE EXCEPTION 'sharing_log_purge: entry % is destroyed already.', p_disclosure;
  END IF;
  IF entry.retention_due_on IS NULL OR entry.retention_due_on > today THEN
    RAISE EXCEPTION 'sharing_log_purge: entry % is not due for destruction.', p_disclosure
      USING ERRCODE = 'check_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM sharing_log_destruction WHERE disclosure_id = p_disclosure) THEN
    RAISE EXCEPTION 'sharing_log_purge: entry % has no destruction record.', p_disclosure;
  END IF;
  PERFORM set_config('sharing_log.write', 'purge', true);
  UPDATE sharing_log_disclosure SET {entry_blank}, purged_at = now() WHERE id = p_disclosure;
  UPDATE sharing_log_historicaldisclosure SET {entry_blank} WHERE id = p_disclosure;
  UPDATE sharing_log_onwarddisclosurerequest SET {onward_blank} WHERE disclosure_id = p_disclosure;
  UPDATE sharing_log_historicalonwarddisclosurerequest SET {onward_blank} WHERE disclosure_id = p_disclosure;
  UPDATE sharing_log_escalation SET {escalation_blank} WHERE disclosure_id = p_disclosure;
  UPDATE sharing_log_historicalescalation SET {escalation_blank} WHERE disclosure_id = p_disclosure;
  UPDATE sharing_log_amendment SET {amendment_blank} WHERE disclosure_id = p_disclosure;
  UPDATE sharing_log_historicalamendment SET {amendment_blank} WHERE disclosure_id = p_disclosure;
  IF p_closure IS NOT NULL THEN
    SELECT id, organisation_id, case_reference INTO closure
      FROM sharing_log_caseclosure WHERE id = p_closure FOR UPDATE;
    IF NOT FOUND OR closure.organisation_id <> entry.disclosing_organisation_id OR EXISTS (
      SELECT 1 FROM sharing_log_disclosure WHERE disclosing_organisation_id = closure.organisation_id
        AND lower(case_reference) = lower(closure.case_reference) AND purged_at IS NULL
    ) THEN
      RAISE EXCEPTION 'sharing_log_purge: case closure % still has entries.', p_closure;
    END IF;
    UPDATE sharing_log_caseclosure SET case_reference = 'Destroyed case ' || id,
      reason = CASE WHEN reason = '' THEN '' ELSE destroyed END WHERE id = p_closure;
    UPDATE sharing_log_historicalcaseclosure SET case_reference = 'Destroyed case ' || id,
      reason = CASE WHEN reason = '' THEN '' ELSE destroyed END WHERE id = p_closure;
  END IF;
  PERFORM set_config('sharing_log.write', '', true);
  INSERT INTO sharing_log_guardedwrite (kind, disclosure_id, detail, at, database_user)
    VALUES ('purge', p_disclosure, entry.retention_due_on::text, now(), session_user);
END
$body$;
"""


def functions_sql(role: str) -> str:
    """``GUARD_FUNCTIONS`` for the application's role ``role``, with the portal's time zone and
    the columns of today's models filled in."""
    amendment_blank = ("reason = CASE WHEN reason = '' THEN '' ELSE destroyed END, "
                       "changes = CASE WHEN kind = 'correction' THEN (SELECT coalesce(jsonb_object_agg(key, ''), "
                       "'{}'::jsonb) FROM jsonb_object_keys(changes) key) ELSE changes END")
    return (GUARD_FUNCTIONS
            .replace("{app_literal}", sql_literal(role))
            .replace("{tz_literal}", sql_literal(settings.TIME_ZONE))
            .replace("{entry_blank}", _entry_blank())
            .replace("{onward_blank}", _blank(("purpose", "decision_reason")))
            .replace("{escalation_blank}", _blank(("concern", "resolution_note")))
            .replace("{amendment_blank}", amendment_blank)
            .replace("{decide_cases}", _decide_cases()))


def _decide_cases() -> str:
    """The ``CASE`` branches of ``sharing_log_decide``: one for each workflow table."""
    labels = {"Escalation": "escalation", "OnwardDisclosureRequest": "onward request",
              "RecipientDestructionConfirmation": "confirmation"}
    branches = []
    for model, names in workflow_columns().items():
        columns = ",".join(_column(model, name) for name in names)
        branches.append(
            f"    WHEN {sql_literal(model._meta.db_table)} THEN\n"
            f"      label := {sql_literal(labels[model.__name__])};\n"
            f"      status_col := {sql_literal(_column(model, names[0]))};\n"
            f"      pending := {sql_literal(model_pending(model))};\n"
            f"      decision_cols := string_to_array({sql_literal(columns)}, ',');"
        )
    return "\n".join(branches)


def _blank(columns, *, jsonb=()) -> str:
    parts = []
    for column in columns:
        if column in jsonb:
            parts.append(f"{column} = '{{}}'::jsonb")
        else:
            parts.append(f"{column} = CASE WHEN {column} = '' THEN '' ELSE destroyed END")
    return ", ".join(parts)


def _entry_blank() -> str:
    from ..models import Disclosure

    parts = []
    for name in Disclosure.PERSONAL_FIELDS:
        column = _column(Disclosure, name)
        parts.append(f"{column} = '{{}}'::jsonb" if name == "can_i_share_answers" else f"{column} = ''")
    return ", ".join(parts)


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
