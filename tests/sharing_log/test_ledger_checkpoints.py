# ruff: noqa: S608 – the SQL is the test's own, forging rows on purpose.
"""The chain check at any size (issue 15; docs/decisions/0055; sharing_log/selectors/ledger.py),
on both databases.

- The whole check reads the log a range of entries (and a chunk of events) at a time: whatever
  the chunk, it finds what it found when it read everything at once, a row naming an entry that
  does not exist included, and its memory stays flat as the log grows (tracemalloc, not time).
- The daily check starts from the last checkpoint: a change after it is found by the daily
  check; a change to a row chained before it is found by the whole check (weekly, and
  ``manage.py verify_log_chain``), and a checkpoint that no longer lies on the chain by either.
"""

import gc
import tracemalloc

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sharing_log.models import Acknowledgement, AppendOnlyError, Disclosure, LogCheckpoint, LogEvent, LogEventKind
from sharing_log.selectors.ledger import log_chain_verify, log_checkpoint_latest
from sharing_log.services import disclosure_acknowledge
from sharing_log.services.ledger import GENESIS, log_checkpoint_record
from tests.factories import DisclosureFactory, MembershipFactory
from tests.sharing_log.helpers.database import chain_factory_rows, postgresql_only
from tests.sharing_log.helpers.retention import PINNED

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def around_the_guards(sql: str, params=()) -> None:
    """``sql`` as an insider with the database's own powers would run it: on PostgreSQL with every
    trigger off, foreign keys' included (a superuser's setting); SQLite has no guards."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def log(roles, n: int = 1) -> list[Disclosure]:
    """``n`` entries between the cast's organisations, chained as the logging service chains them."""
    made = [DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                              recipient_organisation=roles.partner, disclosed_by=roles.practitioner)
            for _ in range(n)]
    chain_factory_rows()
    return made


def checkpoint() -> LogCheckpoint:
    """The checkpoint the daily run keeps after a whole check that passed."""
    report = log_chain_verify()
    assert report.problems == []
    return log_checkpoint_record(report)


def alter(entry: Disclosure) -> str:
    around_the_guards("UPDATE sharing_log_disclosure SET summary = %s WHERE id = %s", ["Rewritten.", entry.pk])
    event = LogEvent.objects.get(kind=LogEventKind.LOGGED, record_id=entry.pk)
    return f"The record of event {event.seq} (logged, entry {entry.pk}) has changed since it was chained."


class TestAChunkAtATime:
    @pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
    def test_the_chain_holds_whatever_the_chunk(self, roles, chunk):
        log(roles, 5)

        report = log_chain_verify(chunk=chunk)

        assert report.problems == []
        assert (report.events, report.entries) == (LogEvent.objects.count(), Disclosure.objects.count())
        assert (report.head_seq, report.head_hash) == LogEvent.objects.order_by("-seq").values_list(
            "seq", "hash").first()

    @pytest.mark.parametrize("chunk", [1, 2, 1000])
    def test_a_change_in_any_chunk_is_found_and_problems_come_in_the_order_of_a_single_read(self, roles, chunk):
        entries = log(roles, 5)
        later, earlier = alter(entries[3]), alter(entries[1])
        forged = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                   recipient_organisation=roles.partner, disclosed_by=roles.practitioner)

        assert log_chain_verify(chunk=chunk).problems == [
            earlier, later,
            f"Disclosure {forged.pk} (entry {forged.pk}) is not in the chain: it was written around the portal's "
            "services.",
        ]

    @postgresql_only  # SQLite's test teardown refuses the foreign key the test breaks on purpose
    def test_a_record_naming_an_entry_that_does_not_exist_is_found(self, roles):
        log(roles, 3)
        missing = Disclosure.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
        spoc = MembershipFactory(organisation=roles.partner).user
        around_the_guards("INSERT INTO sharing_log_acknowledgement (disclosure_id, acknowledged_by_id, "
                          "acknowledged_at) VALUES (%s, %s, %s)", [missing, spoc.pk, timezone.now()])
        orphan = Acknowledgement.objects.get(disclosure_id=missing)

        assert log_chain_verify(chunk=2).problems == [
            f"Acknowledgement {orphan.pk} (entry {missing}) is not in the chain: it was written around the portal's "
            "services.",
        ]


def peak_while_verifying(chunk: int) -> int:
    """The check's peak memory (tracemalloc), the least of three runs after one to warm the caches
    a first query fills (Django's row classes, compiled lookups)."""
    log_chain_verify(chunk=chunk)
    peaks = []
    for _ in range(3):
        gc.collect()
        tracemalloc.start()
        try:
            report = log_chain_verify(chunk=chunk)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert report.problems == []
    return min(peaks)


def test_memory_stays_flat_as_the_log_grows_and_would_not_read_all_at_once(roles):
    """The peak of the check's memory at N entries and at 4N (tracemalloc, not time). Read at once
    (a chunk larger than the log) it grows with the log; a chunk at a time it grows by less than a
    tenth of that — what is left is the noise of caches a query fills, not the log."""
    log(roles, 150)
    chunked, at_once = peak_while_verifying(20), peak_while_verifying(10**6)
    log(roles, 450)
    chunked_4n, at_once_4n = peak_while_verifying(20), peak_while_verifying(10**6)

    assert Disclosure.objects.count() >= 600
    assert at_once_4n > 2.5 * at_once, (at_once, at_once_4n)
    assert chunked_4n - chunked < (at_once_4n - at_once) / 10, (chunked, chunked_4n, at_once, at_once_4n)


class TestFromTheLastCheckpoint:
    def test_the_daily_check_reads_only_what_came_since(self, roles):
        log(roles, 5)
        since = checkpoint()
        new = log(roles, 1)[0]

        report = log_chain_verify(since=since)

        assert report.problems == []
        assert (report.full, report.since_seq, report.entries) == (False, since.seq, 1)
        assert report.events == LogEvent.objects.filter(record_id=new.pk, kind=LogEventKind.LOGGED).count() == 1
        assert report.head_seq == since.seq + 1

    def test_an_entry_chained_after_the_checkpoint_and_altered_is_found_by_the_daily_check(self, roles):
        log(roles, 3)
        since = checkpoint()
        problem = alter(log(roles, 1)[0])

        assert log_chain_verify(since=since).problems == [problem]

    def test_an_entry_forged_after_the_checkpoint_is_found_by_the_daily_check(self, roles):
        log(roles, 3)
        since = checkpoint()
        forged = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                   recipient_organisation=roles.partner, disclosed_by=roles.practitioner)

        assert log_chain_verify(since=since).problems == [
            f"Disclosure {forged.pk} (entry {forged.pk}) is not in the chain: it was written around the portal's "
            "services."]

    def test_an_event_removed_after_the_checkpoint_is_found_by_the_daily_check(self, roles):
        log(roles, 2)
        since = checkpoint()
        first, _ = log(roles, 2)
        event = LogEvent.objects.get(kind=LogEventKind.LOGGED, record_id=first.pk)
        around_the_guards("DELETE FROM sharing_log_logevent WHERE id = %s", [event.pk])

        assert log_chain_verify(since=since).problems[0] == (
            f"Event {event.seq} is missing: the chain goes on at event {event.seq + 1}.")

    def test_an_old_entry_touched_since_is_checked_whole_by_the_daily_check(self, roles):
        old = log(roles, 3)[1]
        since = checkpoint()
        problem = alter(old)
        disclosure_acknowledge(disclosure=old, by_user=roles.spoc)

        assert log_chain_verify(since=since).problems == [problem]

    def test_a_row_chained_before_the_checkpoint_and_altered_since_is_found_by_the_whole_check(self, roles):
        old = log(roles, 3)[1]
        since = checkpoint()
        problem = alter(old)

        # What the daily check cannot see (decision 0055): a row it has no reason to read again…
        assert log_chain_verify(since=since).problems == []
        # …the whole check, weekly and on demand, finds.
        assert log_chain_verify().problems == [problem]

    def test_a_checkpoint_that_no_longer_lies_on_the_chain_is_found_by_both(self, roles):
        log(roles, 3)
        since = checkpoint()
        log(roles, 1)
        # An insider rebuilds the whole chain, consistently, over altered content.
        alter(Disclosure.objects.order_by("pk").first())
        around_the_guards("DELETE FROM sharing_log_logevent")
        chain_factory_rows()
        off = (f"The checkpoint of {since.checked_at:%Y-%m-%d %H:%M} no longer lies on the chain: event {since.seq} "
               "was rewritten or cut short since it was checked.")

        assert log_chain_verify(since=since).problems[0] == off
        assert log_chain_verify().problems == [off]

    def test_a_chain_cut_short_below_a_checkpoint_is_found(self, roles):
        log(roles, 3)
        since = checkpoint()
        head = LogEvent.objects.order_by("-seq").first()
        around_the_guards("DELETE FROM sharing_log_logevent WHERE seq = %s", [head.seq])

        assert log_chain_verify().problems[0].startswith("The checkpoint of ")
        assert log_chain_verify(since=since).problems[0].startswith("The checkpoint of ")

    def test_a_broken_chain_leaves_no_checkpoint(self, roles):
        entry = log(roles, 2)[0]
        alter(entry)

        assert log_checkpoint_record(log_chain_verify()) is None
        assert log_checkpoint_latest() is None


class TestCheckpointsAreAppendOnly:
    def test_the_application_cannot_change_one(self, roles):
        log(roles, 1)
        kept = checkpoint()
        kept.seq = 0

        with pytest.raises(AppendOnlyError):
            kept.save()

    @postgresql_only
    def test_the_application_s_role_may_add_one_and_change_none(self, roles):
        log(roles, 1)
        role = settings.DATABASE_APP_ROLE
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL ROLE {role}")
            kept = checkpoint()  # the daily run connects as the application's role
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute("UPDATE sharing_log_logcheckpoint SET seq = 0 WHERE id = %s", [kept.pk])
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
        assert LogCheckpoint.objects.get(pk=kept.pk).seq == kept.seq

    @postgresql_only
    def test_the_database_refuses_to_change_or_remove_one(self, roles):
        log(roles, 1)
        kept = checkpoint()
        for sql in ("UPDATE sharing_log_logcheckpoint SET seq = 0 WHERE id = %s",
                    "DELETE FROM sharing_log_logcheckpoint WHERE id = %s"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(sql, [kept.pk])
        assert LogCheckpoint.objects.get(pk=kept.pk).seq == kept.seq


def test_a_daily_check_from_the_chain_s_genesis_is_the_whole_check(roles):
    entries = log(roles, 3)
    genesis = LogCheckpoint.objects.create(seq=0, hash=GENESIS, full=True, checked_at=timezone.now(), high_water={})
    problem = alter(entries[1])

    report = log_chain_verify(since=genesis)

    assert report.problems == log_chain_verify().problems == [problem]
    assert (report.events, report.entries) == (LogEvent.objects.count(), Disclosure.objects.count())
