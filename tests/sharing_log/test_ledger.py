# ruff: noqa: S608 – the SQL is the test's own, forging rows on purpose.
"""The log's hash chain (issue 12, item 4; docs/decisions/0023; sharing_log/services/ledger.py,
sharing_log/selectors/ledger.py, ``manage.py verify_log_chain``), on both databases.

The chain verifies after everything the services write — logging, corrections, voiding,
receipts, onward requests, escalations, closures and the retention purge — and a row written or
altered around them (on PostgreSQL with the triggers switched off, as only a superuser can) is
named by the first problem ``verify_log_chain`` reports.
"""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from sharing_log.models import Disclosure, LogEvent, LogEventKind
from sharing_log.selectors.ledger import log_chain_verify
from sharing_log.services import (
    disclosure_acknowledge,
    disclosure_amend,
    disclosure_log,
    disclosure_void,
    disclosures_destroy_due,
)
from sharing_log.services.ledger import event_hash
from sharing_log.statements import chain_statement
from tests.factories import DisclosureFactory, LegalGatewayFactory
from tests.sharing_log.helpers.database import chain_factory_rows
from tests.sharing_log.helpers.retention import PINNED, today

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def around_the_guards(sql: str, params=()) -> None:
    """Run ``sql`` as an insider with the database's own powers would: on PostgreSQL with every
    trigger off (``session_replication_role``, a superuser's setting); SQLite has none."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def verify(*args) -> str:
    out = StringIO()
    call_command("verify_log_chain", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    with pytest.raises(CommandError) as excinfo:
        verify(*args)
    return str(excinfo.value)


@pytest.fixture
def logged(roles):
    """An entry logged through the service, with the cast's own entries chained before it."""
    chain_factory_rows()
    gateway, art6 = LegalGatewayFactory(), LegalGatewayFactory(art6=True)
    roles.agreement.gateways.add(gateway, art6)
    return disclosure_log(
        by_user=roles.practitioner, organisation=roles.owner, agreement=roles.agreement,
        recipient_organisation=roles.partner, occurred_at=timezone.now() - datetime.timedelta(hours=1),
        decision="shared", case_reference="ASB-2026-0042", subject_type="adult", data_level="minimum",
        data_categories=["asb"], purpose=roles.agreement.purposes.get(), art6_basis=art6,
        gateways=[gateway], consent_status="explicit", subject_informed="yes",
        summary="Tenancy status, to plan a joint visit.",
        necessity_reason="The joint visit cannot be planned safely without it.",
    )


class TestTheChainHolds:
    def test_after_logging_correcting_acknowledging_and_voiding(self, roles, logged):
        disclosure_amend(disclosure=logged, by_user=roles.practitioner, field="summary",
                         value="Tenancy status only.", reason="The visit was cancelled.", summary_checked=True)
        disclosure_acknowledge(disclosure=logged, by_user=roles.spoc)
        disclosure_void(disclosure=logged, by_user=roles.practitioner, reason="Logged twice.")

        report = log_chain_verify()

        assert report.problems == []
        kinds = list(LogEvent.objects.filter(disclosure_id=logged.pk).values_list("kind", flat=True))
        assert kinds == [LogEventKind.LOGGED, LogEventKind.AMENDED, LogEventKind.ACKNOWLEDGED, LogEventKind.AMENDED]
        assert verify().startswith(f"The log's chain is intact: {report.events} events, head {report.head_seq} ")

    def test_every_event_is_linked_to_the_one_before(self, logged):
        events = list(LogEvent.objects.order_by("seq"))

        assert [event.seq for event in events] == list(range(1, len(events) + 1))
        assert events[0].previous_hash == "0" * 64
        assert all(later.previous_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))

    def test_after_a_retention_purge_the_links_stay_and_the_destruction_is_chained(self, roles, case):
        chain_factory_rows()
        assert log_chain_verify().problems == []

        destroyed = disclosures_destroy_due(on=today())

        assert len(destroyed) == 2
        assert log_chain_verify().problems == []
        assert LogEvent.objects.filter(kind=LogEventKind.DESTROYED).count() == 2
        # The chain holds digests only: nothing of what the purge took is in it.
        assert "BCSP-RET-0417" not in json.dumps(list(LogEvent.objects.values()), default=str)


def test_a_log_kept_before_the_chain_existed_is_adopted_once(roles):
    from sharing_log.services.ledger import log_chain_adopt_existing

    DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                      recipient_organisation=roles.partner, disclosed_by=roles.practitioner)
    around_the_guards("UPDATE sharing_log_disclosure SET retention_due_on = %s", [datetime.date(2028, 1, 1)])

    appended = log_chain_adopt_existing()

    assert appended == LogEvent.objects.count() > 0
    assert log_chain_verify().problems == []
    assert log_chain_adopt_existing() == 0


class TestWhatBreaksIt:
    def test_an_entry_written_around_the_services(self, roles, logged):
        forged = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                   recipient_organisation=roles.partner, disclosed_by=roles.practitioner)

        assert broken() == (f"The log's chain is broken: Disclosure {forged.pk} (entry {forged.pk}) is not in the "
                            "chain: it was written around the portal's services.")

    def test_an_entry_altered_around_the_guards(self, logged):
        around_the_guards("UPDATE sharing_log_disclosure SET summary = %s WHERE id = %s", ["Rewritten.", logged.pk])
        event = LogEvent.objects.get(kind=LogEventKind.LOGGED, record_id=logged.pk)

        assert broken() == (f"The log's chain is broken: The record of event {event.seq} (logged, entry {logged.pk}) "
                            "has changed since it was chained.")

    def test_a_retention_date_in_2000_written_around_the_guards(self, logged):
        around_the_guards("UPDATE sharing_log_disclosure SET retention_due_on = %s WHERE id = %s",
                          [datetime.date(2000, 1, 1), logged.pk])

        assert broken() == (f"The log's chain is broken: Entry {logged.pk} has a retention due date the chain "
                            "does not record.")

    def test_a_rewritten_event(self, logged):
        event = LogEvent.objects.get(kind=LogEventKind.LOGGED, record_id=logged.pk)
        around_the_guards("UPDATE sharing_log_logevent SET content_digest = %s WHERE id = %s", ["0" * 64, event.pk])

        assert broken().startswith(f"The log's chain is broken: Event {event.seq} was altered")

    def test_an_event_relinked_with_its_own_hash_recomputed(self, logged):
        event = LogEvent.objects.get(kind=LogEventKind.LOGGED, record_id=logged.pk)
        relinked = event_hash(seq=event.seq, kind=event.kind, disclosure_id=event.disclosure_id,
                              record_id=event.record_id, at=event.at, content_digest=event.content_digest,
                              previous_hash="1" * 64)
        around_the_guards("UPDATE sharing_log_logevent SET previous_hash = %s, hash = %s WHERE id = %s",
                          ["1" * 64, relinked, event.pk])

        assert broken().startswith(f"The log's chain is broken: Event {event.seq} does not follow event "
                                   f"{event.seq - 1}: its previous hash differs.")

    def test_a_removed_event(self, roles, logged):
        disclosure_acknowledge(disclosure=logged, by_user=roles.spoc)
        event = LogEvent.objects.get(kind=LogEventKind.LOGGED, record_id=logged.pk)
        around_the_guards("DELETE FROM sharing_log_logevent WHERE id = %s", [event.pk])

        assert broken().startswith(f"The log's chain is broken: Event {event.seq} is missing")

    def test_a_chain_rewritten_from_scratch_is_caught_by_a_statement_kept_outside(self, logged, tmp_path):
        head = LogEvent.objects.order_by("-seq").first()
        statement = tmp_path / "statement.json"
        statement.write_bytes(chain_statement(organisation_name="Borsetshire County Council", head_seq=head.seq,
                                              head_hash=head.hash, events=head.seq))
        assert "intact" in verify("--statement", str(statement))
        # An insider rebuilds the whole chain, consistently, over altered content.
        around_the_guards("UPDATE sharing_log_disclosure SET summary = %s WHERE id = %s", ["Rewritten.", logged.pk])
        around_the_guards("DELETE FROM sharing_log_logevent")
        chain_factory_rows()
        assert log_chain_verify().problems == []

        assert broken("--statement", str(statement)) == (
            f"The log's chain is broken: The chain no longer holds event {head.seq} as the statement of "
            f"{json.loads(statement.read_text())['statement']['issued_at']} recorded it: it was rewritten or cut short."
        )


class TestStatements:
    def test_a_tampered_statement_is_refused(self, logged, tmp_path):
        head = LogEvent.objects.order_by("-seq").first()
        document = json.loads(chain_statement(organisation_name="Borsetshire County Council", head_seq=head.seq,
                                              head_hash=head.hash, events=head.seq))
        document["statement"]["head_seq"] = head.seq + 1
        statement = tmp_path / "statement.json"
        statement.write_text(json.dumps(document))

        assert broken("--statement", str(statement)) == (
            "The statement cannot be used: The statement's signature does not match what it says.")


def test_an_entry_is_never_in_the_chain_with_its_content(logged):
    assert Disclosure.objects.get(pk=logged.pk).summary not in json.dumps(list(LogEvent.objects.values()), default=str)
