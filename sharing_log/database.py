"""The log's guards inside PostgreSQL (docs/decisions/0023): grants, triggers and the two
functions through which the only updates the log allows are made.

- **Grants.** The application connects as ``settings.DATABASE_APP_ROLE``; it may SELECT and
  INSERT the log, every record pointing at an entry, the chain and every audit-history table,
  but not UPDATE, DELETE or TRUNCATE them. An entry keeps an UPDATE grant on ``id``, only so that
  the services may lock it (the trigger refuses every update all the same); a workflow record is
  locked through its entry.
- **Triggers**, which bind the owner and superusers too: UPDATE, DELETE and TRUNCATE are refused
  except inside the functions below, which set the transaction-local ``sharing_log.write``.
  The trigger honours it only when the writer is not the application's role (a function runs as
  its owner), so setting it by hand gains the application nothing. An entry's legal gateways
  and Article 9 conditions (the many-to-many rows) may be inserted only in the transaction that
  inserted the entry.
- **Functions** (SECURITY DEFINER, EXECUTE granted to the application's role only):
  ``sharing_log_set_retention(entry, due)`` writes a retention due date the rules allow (under a
  fixed period from the disclosure, the entry's own date plus it; otherwise none, or between the
  entry's own date and today, each plus the agreement's period after the case is closed), and
  ``sharing_log_purge(entry, closure)`` removes the personal parts of an entry whose date has
  come, in the entry, the records pointing at it and all their history, and
  ``sharing_log_decide(table, id, decision)`` takes the one decision a pending workflow record
  (an escalation, an onward-disclosure request, a recipient's confirmation) may take: its decision
  columns only, once. Each leaves a ``GuardedWrite`` row of its own. ``decide`` is the services'
  way to it.

Both the migration ``0006`` and ``post_migrate`` (sent for the test databases built from the
models too) call ``install``; it is idempotent. SQLite has none of this (see the decision).
"""

import datetime
import json
import re

from django.conf import settings
from django.db import connection as default_connection
from django.db.models.signals import post_save

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _models():
    from .models import (
        Acknowledgement,
        Amendment,
        CaseClosure,
        Destruction,
        Disclosure,
        Escalation,
        GuardedWrite,
        LogEvent,
        OnwardDisclosureRequest,
        OverrideAuthorisation,
        OverrideConfirmation,
        RecipientDestructionConfirmation,
    )

    return (Acknowledgement, Amendment, CaseClosure, Destruction, Disclosure, Escalation, GuardedWrite, LogEvent,
            OnwardDisclosureRequest, RecipientDestructionConfirmation, OverrideAuthorisation, OverrideConfirmation)


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


def guarded_tables() -> dict[str, tuple[str, ...]]:
    """Table → (purge columns, retention columns, status column, pending value, decision columns),
    for every table the triggers guard."""
    (Acknowledgement, Amendment, CaseClosure, Destruction, Disclosure, Escalation, GuardedWrite, LogEvent,
     OnwardDisclosureRequest, RecipientDestructionConfirmation, OverrideAuthorisation, OverrideConfirmation) = _models()

    def cols(model, names):
        return ",".join(_column(model, name) for name in names)

    history = Disclosure.history.model
    gateways_history = [m for m in history._meta.related_objects
                        if m.related_model._meta.db_table.endswith(("gateways", "art9_conditions"))]
    tables = {
        Disclosure._meta.db_table: (cols(Disclosure, Disclosure.PURGE_FIELDS), "retention_due_on", "", "", ""),
        history._meta.db_table: (cols(history, Disclosure.PERSONAL_FIELDS), "", "", "", ""),
        **{table: ("", "", "", "", "") for table in entry_m2m_tables()},
        Acknowledgement._meta.db_table: ("", "", "", "", ""),
        Acknowledgement.history.model._meta.db_table: ("", "", "", "", ""),
        Destruction._meta.db_table: ("", "", "", "", ""),
        LogEvent._meta.db_table: ("", "", "", "", ""),
        GuardedWrite._meta.db_table: ("", "", "", "", ""),
        CaseClosure.history.model._meta.db_table: ("case_reference,reason", "", "", "", ""),
        RecipientDestructionConfirmation.history.model._meta.db_table: ("", "", "", "", ""),
        # A designated manager's authorisation and its confirmation: each written once, never changed.
        OverrideAuthorisation._meta.db_table: ("", "", "", "", ""),
        OverrideConfirmation._meta.db_table: ("", "", "", "", ""),
    }
    for relation in gateways_history:
        tables[relation.related_model._meta.db_table] = ("", "", "", "", "")
    for model in (Amendment, Amendment.history.model):
        tables[model._meta.db_table] = ("reason,changes", "", "", "", "")
    for model in (OnwardDisclosureRequest, OnwardDisclosureRequest.history.model):
        tables[model._meta.db_table] = (",".join(OnwardDisclosureRequest.PERSONAL_FIELDS), "", "", "", "")
    for model in (Escalation, Escalation.history.model):
        tables[model._meta.db_table] = (",".join(Escalation.PERSONAL_FIELDS), "", "", "", "")
    for model, names in workflow_columns().items():
        status, pending = names[0], model_pending(model)
        purge = tables.get(model._meta.db_table, ("",))[0]
        tables[model._meta.db_table] = (purge, "", _column(model, status), pending, cols(model, names))
    return tables


def entry_m2m_tables() -> tuple[str, ...]:
    """The many-to-many tables of an entry (its legal gateways, its Article 9 conditions): rows
    are inserted with the entry, in its transaction, and never change."""
    Disclosure = _models()[4]
    return (Disclosure.gateways.through._meta.db_table, Disclosure.art9_conditions.through._meta.db_table)


def workflow_columns() -> dict:
    """The workflow records the application may still decide, once: model → decision fields
    (the status first)."""
    (_, _, _, _, _, Escalation, _, _, OnwardDisclosureRequest, RecipientDestructionConfirmation, _, _) = _models()
    return {
        Escalation: ("status", "outcome", "resolution_note", "resolved_by", "resolved_at"),
        OnwardDisclosureRequest: ("decision", "decided_by", "decided_at", "decision_reason"),
        RecipientDestructionConfirmation: ("outcome", "confirmed_by", "confirmed_at"),
    }


def model_pending(model) -> str:
    return "open" if model.__name__ == "Escalation" else "pending"


def history_tables() -> list[str]:
    """Every audit-history table of every app (django-simple-history's)."""
    from django.apps import apps

    return sorted(model._meta.db_table for model in apps.get_models() if model.__name__.startswith("Historical"))


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


def _decide_cases() -> str:
    """The ``CASE`` branches of ``sharing_log_decide``: one for each workflow table."""
    labels = {"Escalation": "escalation", "OnwardDisclosureRequest": "onward request",
              "RecipientDestructionConfirmation": "confirmation"}
    branches = []
    for model, names in workflow_columns().items():
        columns = ",".join(_column(model, name) for name in names)
        branches.append(
            f"    WHEN {_literal(model._meta.db_table)} THEN\n"
            f"      label := {_literal(labels[model.__name__])};\n"
            f"      status_col := {_literal(_column(model, names[0]))};\n"
            f"      pending := {_literal(model_pending(model))};\n"
            f"      decision_cols := string_to_array({_literal(columns)}, ',');"
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
    from .models import Disclosure

    parts = []
    for name in Disclosure.PERSONAL_FIELDS:
        column = _column(Disclosure, name)
        parts.append(f"{column} = '{{}}'::jsonb" if name == "can_i_share_answers" else f"{column} = ''")
    return ", ".join(parts)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def app_role() -> str:
    role = settings.DATABASE_APP_ROLE
    if not ROLE_NAME.match(role):
        raise ValueError(f"DATABASE_APP_ROLE {role!r} is not a plain role name")
    return role


def install(connection) -> bool:
    """Install (again) the grants, triggers and functions on ``connection``'s database; ``False``
    and nothing done on a database other than PostgreSQL."""
    if connection.vendor != "postgresql":
        return False
    role = app_role()
    amendment_blank = ("reason = CASE WHEN reason = '' THEN '' ELSE destroyed END, "
                       "changes = CASE WHEN kind = 'correction' THEN (SELECT coalesce(jsonb_object_agg(key, ''), "
                       "'{}'::jsonb) FROM jsonb_object_keys(changes) key) ELSE changes END")
    functions = (GUARD_FUNCTIONS
                 .replace("{app_literal}", _literal(role))
                 .replace("{tz_literal}", _literal(settings.TIME_ZONE))
                 .replace("{entry_blank}", _entry_blank())
                 .replace("{onward_blank}", _blank(("purpose", "decision_reason")))
                 .replace("{escalation_blank}", _blank(("concern", "resolution_note")))
                 .replace("{amendment_blank}", amendment_blank)
                 .replace("{decide_cases}", _decide_cases()))
    quote = connection.ops.quote_name
    from .models import Disclosure, GuardedWrite

    entry_table = Disclosure._meta.db_table
    through_tables = entry_m2m_tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE " + quote(role) + " NOLOGIN; "
            # An owner without CREATEROLE relies on the role made beforehand (README, .ci/run).
            "EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN NULL; END $$"
        )
        cursor.execute(functions)
        # Run by migration 0006 too, with today's models: a table a later migration adds (an
        # entry's Article 9 conditions, 0008) is guarded when post_migrate installs again.
        existing = set(connection.introspection.table_names(cursor))
        for table, args in guarded_tables().items():
            if table not in existing:
                continue
            arguments = ", ".join(_literal(arg) for arg in args)
            guard = "sharing_log_gateways_guard()" if table in through_tables else f"sharing_log_guard({arguments})"
            cursor.execute(f"DROP TRIGGER IF EXISTS sharing_log_guard ON {quote(table)}")
            cursor.execute(f"DROP TRIGGER IF EXISTS sharing_log_guard_truncate ON {quote(table)}")
            events = "INSERT OR UPDATE OR DELETE" if table in through_tables else "UPDATE OR DELETE"
            cursor.execute(f"CREATE TRIGGER sharing_log_guard BEFORE {events} "
                           f"ON {quote(table)} FOR EACH ROW EXECUTE FUNCTION {guard}")
            cursor.execute(f"CREATE TRIGGER sharing_log_guard_truncate BEFORE TRUNCATE ON {quote(table)} "
                           f"FOR EACH STATEMENT EXECUTE FUNCTION sharing_log_guard({arguments})")
        cursor.execute(f"DROP TRIGGER IF EXISTS sharing_log_entry_inserted ON {quote(entry_table)}")
        cursor.execute(f"CREATE TRIGGER sharing_log_entry_inserted AFTER INSERT ON {quote(entry_table)} "
                       "FOR EACH ROW EXECUTE FUNCTION sharing_log_entry_inserted()")
        _grant(cursor, quote, role, GuardedWrite._meta.db_table, existing)
    return True


def _grant(cursor, quote, role: str, guarded_write_table: str, existing: set[str]) -> None:
    role_q = quote(role)
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role_q}")
    cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role_q}")
    cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_q}")
    cursor.execute(f"REVOKE ALL ON sharing_log_entry_transaction FROM {role_q}")
    for table in sorted({*guarded_tables(), *history_tables()} & existing):
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(table)} FROM {role_q}")
    cursor.execute(f"REVOKE INSERT ON {quote(guarded_write_table)} FROM {role_q}")
    # The REVOKE above takes the column grants with it, among them those an older install gave on
    # the workflow records' decision columns: a decision goes through ``sharing_log_decide`` now.
    # The services lock an entry (SELECT … FOR UPDATE) while they add to it, which PostgreSQL
    # allows only a role holding UPDATE on some column: ``id`` it is, and the trigger refuses
    # every UPDATE by this role all the same.
    from .models import Disclosure

    cursor.execute(f"GRANT UPDATE (id) ON {quote(Disclosure._meta.db_table)} TO {role_q}")
    for function in ("sharing_log_set_retention(bigint, date)", "sharing_log_purge(bigint, bigint)",
                     "sharing_log_decide(text, bigint, jsonb)"):
        cursor.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        cursor.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {role_q}")


def _json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()  # every digit: the history row is made from the instance
    raise TypeError(f"{type(value).__name__} is not a decision value")


def decide(instance, fields, *, connection=default_connection) -> None:
    """Save the decision ``fields`` of a pending workflow record ``instance`` (one of
    ``workflow_columns()``), already set on it. On PostgreSQL ``sharing_log_decide`` writes them —
    the application's role may not UPDATE the table — and the history row ``save()`` would have
    left is made as it would have been (django-simple-history writes it on ``post_save``, which a
    database function does not send). Elsewhere the row is saved as any other. The services
    append the chain's event themselves."""
    model = type(instance)
    names = workflow_columns()[model]
    if sorted(fields) != sorted(names):
        raise ValueError(f"A decision of {model.__name__} writes {', '.join(names)}.")
    if connection.vendor != "postgresql":
        instance.save(update_fields=list(fields))
        return
    decision = {}
    for name in names:
        field = model._meta.get_field(name)
        decision[field.column] = getattr(instance, field.attname)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sharing_log_decide(%s, %s, %s::jsonb)",
                       [model._meta.db_table, instance.pk, json.dumps(decision, default=_json)])
    post_save.send(sender=model, instance=instance, created=False, update_fields=frozenset(fields), raw=False,
                   using=connection.alias)
