# ruff: noqa: S608 – the SQL is the test's own, aimed at the log on purpose.
"""The log cannot be quietly changed (issue 12, item 4; docs/decisions/0023; sharing_log/database.py,
sharing_log/guards.py, the guards of sharing_log/models/disclosures.py).

Each finding of the issue is reproduced here and now refused. Tests marked ``postgresql_only``
hold the database's own guards — the application's role (``SET ROLE`` inside the test), the
triggers that bind even the owner, and the two functions through which the allowed writes go —
and are skipped on SQLite, which has none of them; the others hold the application's guards on
both databases.
"""

import datetime

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
    GuardedWrite,
)
from sharing_log.services import escalation_raise, escalation_resolve
from sharing_log.services.retention import disclosure_retention_set
from tests.factories import LegalGatewayFactory
from tests.sharing_log.helpers.database import force_retention_due, postgresql_only
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


@pytest.fixture
def logged(roles, agreement) -> Disclosure:
    return owners_entry(roles, agreement, occurred_at=timezone.now() - datetime.timedelta(days=40))


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
            # It holds an UPDATE grant on an escalation's decision columns, to resolve it once…
            assert APPEND_ONLY in refused("UPDATE sharing_log_escalation SET resolution_note = '' WHERE id = %s",
                                          [escalation.pk], role=APP)
        finally:
            run("SELECT set_config('sharing_log.write', '', false)")

    def test_the_audit_history_of_every_app_is_closed_to_it(self, logged):
        assert "permission denied" in refused("UPDATE partners_historicalorganisation SET name = name", role=APP)


@postgresql_only
class TestTheTriggersBindTheOwnerToo:
    """The test connects as a superuser: only the triggers stand in its way."""

    @pytest.mark.parametrize("sql", [
        f"UPDATE {ENTRIES} SET summary = 'Rewritten.'",
        f"UPDATE {ENTRIES} SET retention_due_on = '2000-01-01'",
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


@postgresql_only
class TestTheAllowedWritesGoThroughTheirFunctions:
    def test_the_retention_function_refuses_a_date_in_2000_even_to_the_owner(self, logged):
        message = refused("SELECT sharing_log_set_retention(%s, %s)", [logged.pk, datetime.date(2000, 1, 1)])

        assert "is not a retention date the rules give" in message
        assert Disclosure.objects.get(pk=logged.pk).retention_due_on is None

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
        assert (entry.case_reference, entry.summary, entry.purged_at is not None) == ("", "", True)
        assert set(Disclosure.history.model.objects.filter(id=logged.pk).values_list("summary", flat=True)) == {""}
        assert GuardedWrite.objects.filter(kind="purge", disclosure_id=logged.pk).count() == 1

    def test_the_purge_function_refuses_an_entry_not_yet_due(self, logged):
        disclosure_retention_set(entry=logged, due=today() + relativedelta(months=18), by_user=None)
        Destruction.objects.create(disclosure=logged, reason="Early.", stub={})

        assert "is not due for destruction" in refused("SELECT sharing_log_purge(%s, NULL)", [logged.pk], role=APP)
        assert Disclosure.objects.get(pk=logged.pk).purged_at is None

    def test_the_purge_function_refuses_an_entry_with_no_destruction_record(self, logged):
        force_retention_due(logged, today())

        assert "has no destruction record" in refused("SELECT sharing_log_purge(%s, NULL)", [logged.pk], role=APP)

    def test_no_other_role_may_call_them(self, logged):
        run("DO $$ BEGIN CREATE ROLE isa_portal_stranger NOLOGIN; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")

        message = refused("SELECT sharing_log_set_retention(%s, NULL)", [logged.pk], role="isa_portal_stranger")

        assert "permission denied for function sharing_log_set_retention" in message

