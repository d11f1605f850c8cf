# ruff: noqa: S608 – the SQL is the test's own, aimed at the log on purpose.
"""The log cannot be quietly changed (issue 12, item 4; docs/decisions/0023; sharing_log/database/,
sharing_log/guards.py, the guards of sharing_log/models/disclosures.py).

Each finding of the issue is reproduced here and now refused. Tests marked ``postgresql_only``
hold the database's own guards — the application's role (``SET ROLE`` inside the test), the
triggers that bind even the owner, and the three functions through which the allowed writes go —
and are skipped on SQLite, which has none of them; the others hold the application's guards on
both databases.
"""

import contextlib
import datetime
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sharing_log.models import (
    AppendOnlyError,
    Destruction,
    Disclosure,
    Escalation,
    EscalationOutcome,
    EscalationStatus,
    GuardedWrite,
    LogEvent,
    LogEventKind,
    OnwardDecision,
    OnwardDisclosureRequest,
    RecipientDestructionConfirmation,
)
from sharing_log.models.quality import ConfirmationOutcome
from sharing_log.selectors.ledger import log_chain_verify
from sharing_log.services import escalation_raise, escalation_resolve
from sharing_log.services.onward import onward_disclosure_decide
from sharing_log.services.quality import recipient_copy_confirm
from sharing_log.services.retention import disclosure_retention_set
from tests.factories import LegalGatewayFactory
from tests.sharing_log.helpers.database import chain_factory_rows, force_retention_due, postgresql_only
from tests.sharing_log.helpers.retention import PINNED, owners_entry, today

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]

APP = settings.DATABASE_APP_ROLE
ENTRIES = "sharing_log_disclosure"
HISTORY = "sharing_log_historicaldisclosure"
APPEND_ONLY = "The sharing log is append-only"


def run(sql: str, params=(), *, role: str | None = None) -> None:
    """``sql`` in a savepoint, as ``role`` if given (SET LOCAL ROLE ends with the savepoint)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if role:
            cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(sql, params)
        if role:
            cursor.execute("RESET ROLE")


def refused(sql: str, params=(), *, role: str | None = None) -> str:
    with pytest.raises(DatabaseError) as excinfo:
        run(sql, params, role=role)
    return str(excinfo.value)


@contextlib.contextmanager
def as_role(role: str):
    """The block in a savepoint, connected as ``role``."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.fixture
def logged(roles, agreement) -> Disclosure:
    return owners_entry(roles, agreement, occurred_at=timezone.now() - datetime.timedelta(days=40))


@pytest.fixture
def refusal(roles, agreement) -> Disclosure:
    return owners_entry(roles, agreement, decision="not_shared", art6_basis=None, decision_reason="No.")


@pytest.fixture
def pending(roles, logged, refusal) -> dict:
    """A pending record of each of the three workflow tables."""
    return {
        "escalation": escalation_raise(disclosure=refusal, by_user=roles.spoc, organisation=roles.partner,
                                       concern="Needed.", concern_checked=True),
        "onward": OnwardDisclosureRequest.objects.create(
            disclosure=logged, requested_by=roles.spoc, third_party="Youth Offending Service", purpose="A visit.",
        ),
        "confirmation": RecipientDestructionConfirmation.objects.create(disclosure=logged, organisation=roles.partner),
    }


# (table, a decision column, a decision the function allows, the key of ``pending``)
WORKFLOW = [
    ("sharing_log_escalation", "outcome", {"status": "resolved", "outcome": "upheld", "resolution_note": "Upheld."},
     "escalation"),
    ("sharing_log_onwarddisclosurerequest", "decision", {"decision": "refused", "decision_reason": "No."}, "onward"),
    ("sharing_log_recipientdestructionconfirmation", "outcome", {"outcome": "destroyed"}, "confirmation"),
]


def decision_of(roles, table: str, values: dict) -> dict:
    """``values`` with the decider and the time the table's check constraints ask for."""
    who, when = {"sharing_log_escalation": ("resolved_by_id", "resolved_at"),
                 "sharing_log_onwarddisclosurerequest": ("decided_by_id", "decided_at"),
                 "sharing_log_recipientdestructionconfirmation": ("confirmed_by_id", "confirmed_at")}[table]
    return {**values, who: roles.spoc.pk, when: timezone.now().isoformat()}


# The application's guards, on both databases ---------------------------------------------------


class TestTheApplicationsGuards:
    def test_the_base_manager_cannot_update(self, logged):
        with pytest.raises(AppendOnlyError):
            Disclosure._base_manager.filter(pk=logged.pk).update(summary="Rewritten.")

    def test_raw_sql_through_the_manager_may_only_read(self, logged):
        with pytest.raises(AppendOnlyError, match="raw SQL may only read it"):
            list(Disclosure.objects.raw(f"UPDATE {ENTRIES} SET summary = 'Rewritten.' RETURNING id"))

        assert [entry.pk for entry in Disclosure.objects.raw(f"SELECT id FROM {ENTRIES}")] == [logged.pk]

    def test_the_gateways_of_a_logged_entry_cannot_be_set(self, logged):
        gateway = LegalGatewayFactory()
        with pytest.raises(AppendOnlyError, match="gateways of a logged entry cannot change"), transaction.atomic():
            logged.gateways.set([gateway])

        assert list(logged.gateways.all()) == []

    def test_the_article_9_conditions_of_a_logged_entry_cannot_be_set(self, logged):
        condition = LegalGatewayFactory(art9=True)
        with pytest.raises(AppendOnlyError, match="^The Article 9 conditions of a logged entry cannot change: "
                                                  "record an amendment instead.$"), transaction.atomic():
            logged.art9_conditions.set([condition])

        assert list(logged.art9_conditions.all()) == []

    def test_nor_changed_from_the_gateways_side(self, logged):
        gateway = LegalGatewayFactory()
        with pytest.raises(AppendOnlyError, match="gateways of a logged entry cannot change"), transaction.atomic():
            gateway.disclosures.add(logged)

    def test_a_retention_date_in_2000_cannot_be_saved(self, logged):
        logged.retention_due_on = datetime.date(2000, 1, 1)

        with pytest.raises(AppendOnlyError):
            logged.save(update_fields=["retention_due_on"])

        assert Disclosure.objects.get(pk=logged.pk).retention_due_on is None

    @pytest.mark.parametrize("due", [datetime.date(2000, 1, 1), "a day before the rules give", "after today's"])
    def test_the_retention_service_refuses_a_date_the_rules_do_not_give(self, roles, logged, due):
        earliest = timezone.localdate(logged.occurred_at) + relativedelta(months=18)
        due = {"a day before the rules give": earliest - datetime.timedelta(days=1),
               "after today's": today() + relativedelta(months=18, days=1)}.get(due, due)

        with pytest.raises(AppendOnlyError, match="is not a retention date the rules give this entry"):
            disclosure_retention_set(entry=logged, due=due, by_user=roles.governance_manager)

        assert Disclosure.objects.get(pk=logged.pk).retention_due_on is None

    def test_the_retention_service_writes_a_date_the_rules_give(self, roles, logged):
        due = today() + relativedelta(months=18)

        disclosure_retention_set(entry=logged, due=due, by_user=roles.governance_manager)

        assert Disclosure.objects.get(pk=logged.pk).retention_due_on == due
        assert logged.history.first().history_user == roles.governance_manager


# The database's guards (PostgreSQL) ----------------------------------------------------------


class TestEachDecisionLeavesItsHistoryAndOneEvent:
    """On PostgreSQL a database function writes the decision: the history row and the chain's
    event are the same as ``save()`` left them on SQLite."""

    def test_the_services_decisions(self, roles, pending):
        before = {key: record.history.count() for key, record in pending.items()}
        events = LogEvent.objects.count()

        escalation_resolve(escalation=pending["escalation"], by_user=roles.governance_manager,
                           outcome=EscalationOutcome.UPHELD, resolution_note="Upheld.", note_checked=True)
        onward_disclosure_decide(onward_request=pending["onward"], by_user=roles.governance_manager,
                                 decision=OnwardDecision.REFUSED, reason="Not needed.")
        recipient_copy_confirm(confirmation=pending["confirmation"], by_user=roles.spoc,
                               outcome=ConfirmationOutcome.DESTROYED)

        latest = {key: record.history.order_by("-history_id").first() for key, record in pending.items()}
        assert {key: record.history.count() - before[key] for key, record in pending.items()} == {
            "escalation": 1, "onward": 1, "confirmation": 1,
        }
        assert {key: row.history_type for key, row in latest.items()} == {
            "escalation": "~", "onward": "~", "confirmation": "~",
        }
        assert (latest["escalation"].status, latest["escalation"].outcome, latest["escalation"].resolved_by_id) == (
            EscalationStatus.RESOLVED, EscalationOutcome.UPHELD, roles.governance_manager.pk,
        )
        assert (latest["onward"].decision, latest["onward"].decision_reason) == (OnwardDecision.REFUSED, "Not needed.")
        assert latest["onward"].decided_at == OnwardDisclosureRequest.objects.get(pk=pending["onward"].pk).decided_at
        assert (latest["confirmation"].outcome, latest["confirmation"].confirmed_by_id) == (
            ConfirmationOutcome.DESTROYED, roles.spoc.pk,
        )
        assert list(LogEvent.objects.order_by("pk").values_list("kind", flat=True)[events:]) == [
            LogEventKind.ESCALATION_RESOLVED, LogEventKind.ONWARD_DECIDED, LogEventKind.COPY_CONFIRMED,
        ]


@postgresql_only
class TestTheApplicationsRole:
    """The role the application connects as may read and add, never change or remove."""

    @pytest.mark.parametrize("table", [ENTRIES, HISTORY, "sharing_log_amendment", "sharing_log_acknowledgement",
                                       "sharing_log_destruction", "sharing_log_logevent"])
    def test_update_delete_and_truncate_are_refused_to_it(self, logged, table):
        column = "summary" if table in (ENTRIES, HISTORY) else "id"
        for sql in (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}", f"TRUNCATE {table} CASCADE"):
            assert "permission denied" in refused(sql, role=APP)

    def test_it_may_lock_an_entry_but_the_trigger_refuses_it_any_update(self, logged):
        run(f"SELECT id FROM {ENTRIES} WHERE id = %s FOR UPDATE", [logged.pk], role=APP)

        assert APPEND_ONLY in refused(f"UPDATE {ENTRIES} SET id = id", role=APP)

    def test_it_may_read_and_add(self, logged):
        run(f"SELECT count(*) FROM {ENTRIES}", role=APP)
        run(f"INSERT INTO {HISTORY} (id, history_date, history_type, case_reference, summary) SELECT id, now(), '~', "
            f"case_reference, summary FROM {HISTORY} LIMIT 0", role=APP)

    def test_setting_the_functions_flag_by_hand_gains_it_nothing(self, roles, logged):
        escalation = Escalation.objects.create(
            disclosure=logged, raised_by_organisation=roles.partner, raised_by=roles.spoc, concern="Needed.",
        )
        run("SELECT set_config('sharing_log.write', 'purge', false)", role=APP)
        try:
            assert "permission denied" in refused(f"UPDATE {ENTRIES} SET summary = ''", role=APP)
        finally:
            run("SELECT set_config('sharing_log.write', '', false)")
        run("SELECT set_config('sharing_log.write', 'decide', false)", role=APP)
        try:
            assert "permission denied" in refused(
                "UPDATE sharing_log_escalation SET status = 'resolved', outcome = 'upheld', resolution_note = 'x', "
                "resolved_by_id = %s, resolved_at = now() WHERE id = %s", [roles.spoc.pk, escalation.pk], role=APP,
            )
        finally:
            run("SELECT set_config('sharing_log.write', '', false)")

    @pytest.mark.parametrize(("table", "column", "values", "key"), WORKFLOW)
    def test_the_decision_columns_of_a_workflow_record_are_closed_to_it(self, roles, pending, table, column,
                                                                        values, key):
        assert "permission denied" in refused(f"UPDATE {table} SET {column} = %s WHERE id = %s",
                                              [values[column], pending[key].pk], role=APP)
        assert "permission denied" in refused(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE",
                                              [pending[key].pk], role=APP)

    def test_it_takes_each_decision_through_the_services(self, roles, pending):
        with as_role(APP):
            escalation_resolve(escalation=pending["escalation"], by_user=roles.governance_manager,
                               outcome=EscalationOutcome.UPHELD, resolution_note="Upheld.", note_checked=True)
            onward_disclosure_decide(onward_request=pending["onward"], by_user=roles.governance_manager,
                                     decision=OnwardDecision.REFUSED, reason="Not needed.")
            recipient_copy_confirm(confirmation=pending["confirmation"], by_user=roles.spoc,
                                   outcome=ConfirmationOutcome.DESTROYED)

        assert Escalation.objects.get(pk=pending["escalation"].pk).status == EscalationStatus.RESOLVED
        assert OnwardDisclosureRequest.objects.get(pk=pending["onward"].pk).decision == OnwardDecision.REFUSED
        assert RecipientDestructionConfirmation.objects.get(
            pk=pending["confirmation"].pk).outcome == ConfirmationOutcome.DESTROYED
        assert sorted(GuardedWrite.objects.filter(kind="decide").values_list("detail", flat=True)) == sorted([
            f"escalation {pending['escalation'].pk} resolved", f"onward request {pending['onward'].pk} refused",
            f"confirmation {pending['confirmation'].pk} destroyed",
        ])

    def test_the_audit_history_of_every_app_is_closed_to_it(self, logged):
        assert "permission denied" in refused("UPDATE partners_historicalorganisation SET name = name", role=APP)


@postgresql_only
class TestTheTriggersBindTheOwnerToo:
    """The test connects as a superuser: only the triggers stand in its way."""

    @pytest.mark.parametrize("sql", [
        f"UPDATE {ENTRIES} SET summary = 'Rewritten.'",
        f"UPDATE {ENTRIES} SET retention_due_on = '2000-01-01'",
        # The record of the decision (issue 13, item 6): set at insert only, like every column.
        f"UPDATE {ENTRIES} SET necessity_reason = 'Rewritten.'",
        f"UPDATE {ENTRIES} SET subject_told_by = '2099-01-01'",
        f"UPDATE {ENTRIES} SET can_i_share_outcome = 'may_share'",
        f"UPDATE {ENTRIES} SET request_received_on = NULL",
        f"DELETE FROM {ENTRIES}",
        f"UPDATE {HISTORY} SET summary = 'Rewritten.'",
        f"DELETE FROM {HISTORY}",
    ])
    def test_raw_update_and_delete_are_refused(self, logged, sql):
        assert APPEND_ONLY in refused(sql)

    @pytest.mark.parametrize("table", [ENTRIES, HISTORY])
    def test_truncate_is_refused(self, logged, table):
        run("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts leave deferred checks pending
        assert f"TRUNCATE of {table} refused" in refused(f"TRUNCATE {table} CASCADE")

    def test_history_rows_cannot_be_updated_through_the_orm(self, logged):
        with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
            Disclosure.history.model.objects.filter(id=logged.pk).update(summary="Rewritten.")

    def test_a_decided_escalation_cannot_be_changed(self, roles, agreement):
        refusal = owners_entry(roles, agreement, decision="not_shared", art6_basis=None, decision_reason="No.")
        escalation = escalation_raise(disclosure=refusal, by_user=roles.spoc, organisation=roles.partner,
                                      concern="Needed.", concern_checked=True)
        escalation_resolve(escalation=escalation, by_user=roles.governance_manager,
                           outcome=EscalationOutcome.UPHELD, resolution_note="Upheld.", note_checked=True)

        assert APPEND_ONLY in refused("UPDATE sharing_log_escalation SET outcome = 'shared' WHERE id = %s",
                                      [escalation.pk])

    @pytest.mark.parametrize(("table", "column", "values", "key"), WORKFLOW)
    def test_a_pending_workflow_record_is_decided_only_through_the_function(self, roles, pending, table, column,
                                                                           values, key):
        decision = decision_of(roles, table, values)
        columns = ", ".join(f"{name} = %s" for name in decision)

        assert APPEND_ONLY in refused(f"UPDATE {table} SET {columns} WHERE id = %s",
                                      [*decision.values(), pending[key].pk])


@postgresql_only
class TestTheAllowedWritesGoThroughTheirFunctions:
    def test_the_retention_function_refuses_a_date_in_2000_even_to_the_owner(self, logged):
        message = refused("SELECT sharing_log_set_retention(%s, %s)", [logged.pk, datetime.date(2000, 1, 1)])

        assert "is not a retention date the rules give" in message
        assert Disclosure.objects.get(pk=logged.pk).retention_due_on is None

    @pytest.mark.parametrize("offset", [relativedelta(days=-1), relativedelta(days=1), None])
    def test_under_a_fixed_period_the_function_refuses_any_date_but_the_entrys_own(self, logged, offset):
        logged.agreement.retention_months_after_closure, logged.agreement.retention_months_from_disclosure = None, 72
        logged.agreement.save()
        own = timezone.localdate(logged.occurred_at) + relativedelta(months=72)

        message = refused("SELECT sharing_log_set_retention(%s, %s)",
                          [logged.pk, own + offset if offset else None], role=APP)

        assert f"is not the retention date entry {logged.pk} has ({own.isoformat()})" in message
        assert Disclosure.objects.get(pk=logged.pk).retention_due_on is None

    def test_under_a_fixed_period_the_function_writes_the_entrys_own_date(self, logged):
        logged.agreement.retention_months_after_closure, logged.agreement.retention_months_from_disclosure = None, 72
        logged.agreement.save()
        own = timezone.localdate(logged.occurred_at) + relativedelta(months=72)

        run("SELECT sharing_log_set_retention(%s, %s)", [logged.pk, own], role=APP)

        assert Disclosure.objects.get(pk=logged.pk).retention_due_on == own

    def test_the_application_writes_a_date_the_rules_give_and_the_function_records_it(self, logged):
        due = today() + relativedelta(months=18)

        run("SELECT sharing_log_set_retention(%s, %s)", [logged.pk, due], role=APP)

        assert Disclosure.objects.get(pk=logged.pk).retention_due_on == due
        assert list(GuardedWrite.objects.values_list("kind", "disclosure_id", "detail", "database_user")) == [
            ("retention", logged.pk, due.isoformat(), connection.settings_dict["USER"] or "postgres"),
        ]

    def test_the_purge_function_destroys_a_due_entry_and_records_it(self, logged):
        force_retention_due(logged, today())
        Destruction.objects.create(disclosure=logged, reason="Retention period ended.", stub={})

        run("SELECT sharing_log_purge(%s, NULL)", [logged.pk], role=APP)

        entry = Disclosure.objects.get(pk=logged.pk)
        assert (entry.case_reference, entry.summary, entry.necessity_reason, entry.purged_at is not None) == (
            "", "", "", True,
        )
        assert set(Disclosure.history.model.objects.filter(id=logged.pk).values_list("summary", flat=True)) == {""}
        assert set(Disclosure.history.model.objects.filter(id=logged.pk).values_list(
            "necessity_reason", flat=True)) == {""}
        assert GuardedWrite.objects.filter(kind="purge", disclosure_id=logged.pk).count() == 1

    def test_the_purge_function_refuses_an_entry_not_yet_due(self, logged):
        disclosure_retention_set(entry=logged, due=today() + relativedelta(months=18), by_user=None)
        Destruction.objects.create(disclosure=logged, reason="Early.", stub={})

        assert "is not due for destruction" in refused("SELECT sharing_log_purge(%s, NULL)", [logged.pk], role=APP)
        assert Disclosure.objects.get(pk=logged.pk).purged_at is None

    def test_the_purge_function_refuses_an_entry_with_no_destruction_record(self, logged):
        force_retention_due(logged, today())

        assert "has no destruction record" in refused("SELECT sharing_log_purge(%s, NULL)", [logged.pk], role=APP)

    @pytest.mark.parametrize(("table", "column", "values", "key"), WORKFLOW)
    def test_the_decide_function_decides_a_pending_record_once_and_records_it(self, roles, pending, table, column,
                                                                             values, key):
        record = pending[key]
        decision = decision_of(roles, table, values)

        run("SELECT sharing_log_decide(%s, %s, %s::jsonb)", [table, record.pk, json.dumps(decision)], role=APP)

        record.refresh_from_db()
        assert getattr(record, column) == values[column]
        assert list(GuardedWrite.objects.filter(kind="decide").values_list("disclosure_id", "database_user")) == [
            (record.disclosure_id, connection.settings_dict["USER"] or "postgres"),
        ]
        again = refused("SELECT sharing_log_decide(%s, %s, %s::jsonb)", [table, record.pk, json.dumps(decision)],
                        role=APP)
        assert "is decided already" in again

    def test_a_decision_made_around_the_services_is_reported_by_the_chain_check(self, roles, pending):
        chain_factory_rows()
        escalation_resolve(escalation=pending["escalation"], by_user=roles.governance_manager,
                           outcome=EscalationOutcome.UPHELD, resolution_note="Upheld.", note_checked=True)
        assert not [problem for problem in log_chain_verify().problems if "(decide," in problem]

        decision = decision_of(roles, "sharing_log_onwarddisclosurerequest",
                               {"decision": "granted", "decision_reason": "Agreed."})
        run("SELECT sharing_log_decide(%s, %s, %s::jsonb)",
            ["sharing_log_onwarddisclosurerequest", pending["onward"].pk, json.dumps(decision)], role=APP)

        problems = log_chain_verify().problems
        assert f"A database function wrote entry {pending['onward'].disclosure_id} (decide," in " ".join(problems)

    def test_the_decide_function_refuses_a_column_that_is_not_a_decision(self, roles, pending):
        decision = decision_of(roles, "sharing_log_escalation", {"status": "resolved", "outcome": "upheld",
                                                                 "resolution_note": "Upheld.", "concern": "Changed."})
        message = refused("SELECT sharing_log_decide(%s, %s, %s::jsonb)",
                          ["sharing_log_escalation", pending["escalation"].pk, json.dumps(decision)], role=APP)

        assert "concern is not a decision column" in message
        assert Escalation.objects.get(pk=pending["escalation"].pk).status == EscalationStatus.OPEN

    def test_the_decide_function_refuses_a_decision_that_stays_pending(self, roles, pending):
        message = refused("SELECT sharing_log_decide(%s, %s, %s::jsonb)",
                          ["sharing_log_onwarddisclosurerequest", pending["onward"].pk,
                           json.dumps({"decision_reason": "Quietly rewritten."})], role=APP)

        assert "must set decision to other than pending" in message

    @pytest.mark.parametrize("table", [ENTRIES, HISTORY, "sharing_log_historicalescalation", "auth_user"])
    def test_the_decide_function_refuses_a_table_outside_the_three(self, logged, table):
        message = refused("SELECT sharing_log_decide(%s, %s, %s::jsonb)",
                          [table, logged.pk, json.dumps({"summary": "Rewritten."})], role=APP)

        assert "holds no decision the application may take" in message

    def test_no_other_role_may_call_them(self, logged):
        run("DO $$ BEGIN CREATE ROLE isa_portal_stranger NOLOGIN; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")

        message = refused("SELECT sharing_log_set_retention(%s, NULL)", [logged.pk], role="isa_portal_stranger")

        assert "permission denied for function sharing_log_set_retention" in message
        message = refused("SELECT sharing_log_decide('sharing_log_escalation', 1, '{}'::jsonb)",
                          role="isa_portal_stranger")
        assert "permission denied for function sharing_log_decide" in message

