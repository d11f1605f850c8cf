"""Retention (001 §5.15; DOMAIN.md rule 8; sharing_log/services/retention.py; the pages are in
test_retention_views.py): the daily job destroys the personal parts of every entry whose retention
due date has come — in the record and in every history row — keeps a de-personalised stub and a
destruction record, and asks each holder of a copy to destroy it.

The case of the first tests: the owner (Borsetshire County Council) shared with the partner
(Borsetshire Police) under case ``CASE``, corrected the summary, marked the entry inaccurate, let
the Police pass it on to a youth offending service, and refused a later request of the same case,
which the Police escalated. The case closed 20 months ago (the agreement keeps records 18), so
all of it is due. Another case of the owner's, not closed, must be left as it was.
"""

import datetime
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Notification
from sharing_log.models import (
    AppendOnlyError,
    CaseClosure,
    Decision,
    Destruction,
    Disclosure,
    RecipientDestructionConfirmation,
)
from sharing_log.services import (
    case_close,
    disclosure_amend,
    disclosure_destroy,
    disclosures_destroy_due,
    recipient_copy_confirm,
)
from tests.factories import ContactFactory, PartyFactory
from tests.sharing_log.helpers import Outcome
from tests.sharing_log.helpers.database import force_retention_due
from tests.sharing_log.helpers.retention import CASE, PINNED, SECRETS, Reason, at, owners_entry, today

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


KEPT_CASE = "BCSP-KEEP-0002"


KEPT_SUMMARY = "Anti-social behaviour warnings, to agree a joint letter."


@pytest.fixture
def kept(roles, agreement):
    """Another case of the owner's, open: nothing of it is due."""
    return owners_entry(roles, agreement, case_reference=KEPT_CASE, summary=KEPT_SUMMARY)


def stored_text() -> list[tuple[str, str, str]]:
    """(table, column, value) for every text value of the whole database, history tables
    included: a raw SELECT of every column of every table."""
    stored = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
            # Names from the database's own catalogue, quoted: nothing comes from outside.
            cursor.execute(f"SELECT {', '.join(quote(column) for column in columns)} FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "replace")
                    elif isinstance(value, (dict, list)):  # JSON, as PostgreSQL's driver returns it
                        value = json.dumps(value, ensure_ascii=False)
                    if isinstance(value, str) and value:
                        stored.append((table, column, value))
    return stored


def rows_holding(text: str, stored: list | None = None) -> list[tuple[str, str]]:
    """Every (table, column) with a value that holds ``text``, in any letter case."""
    return [(table, column) for table, column, value in (stored if stored is not None else stored_text())
            if text.lower() in value.lower()]


def reload(entry: Disclosure) -> Disclosure:
    return Disclosure.objects.get(pk=entry.pk)


class TestWholeDatabase:
    def test_no_trace_of_a_destroyed_entrys_personal_parts_remains_in_any_table(self, roles, case, kept):
        before = stored_text()
        for name, secret in SECRETS.items():
            assert rows_holding(secret, before), f"The test would prove nothing: the {name} was never stored."

        disclosures_destroy_due(on=today())

        after = stored_text()
        for name, secret in SECRETS.items():
            assert rows_holding(secret, after) == [], f"The {name} is still in the database."

    def test_the_other_case_is_untouched(self, roles, case, kept):
        before = model_to_dict(kept)
        history = list(kept.history.values())

        disclosures_destroy_due(on=today())

        assert model_to_dict(reload(kept)) == before
        assert list(kept.history.values()) == history
        assert {table for table, column in rows_holding(KEPT_CASE)} >= {
            "sharing_log_disclosure", "sharing_log_historicaldisclosure",
        }
        assert rows_holding(KEPT_SUMMARY)


class TestDestroy:
    def test_due_entries_lose_their_personal_parts_and_keep_a_stub(self, roles, case):
        shared, refusal = case

        destroyed = disclosures_destroy_due(on=today())

        assert {destruction.disclosure_id for destruction in destroyed} == {shared.pk, refusal.pk}
        entry = reload(shared)
        assert entry.purged_at is not None
        assert {field: getattr(entry, field) for field in Disclosure.PERSONAL_FIELDS} == {
            field: ({} if field == "can_i_share_answers" else "") for field in Disclosure.PERSONAL_FIELDS
        }
        stub = Destruction.objects.get(disclosure=shared).stub
        assert stub["agreement"]["reference"] == "BCSP ISA"
        assert (stub["disclosing_organisation"]["name"], stub["recipient_organisation"]["name"]) == (
            "Borsetshire County Council", "Borsetshire Police",
        )
        assert stub["decision"] == Decision.SHARED
        assert stub["data_categories"] == ["identity", "asb"]
        assert stub["occurred_on"] == (today() - relativedelta(years=2)).isoformat()
        assert stub["case_closed_on"] == (today() - relativedelta(months=20)).isoformat()
        assert stub["counts"] == {"corrections": 1, "voided": False, "marked_inaccurate": True,
                                  "acknowledged": False, "onward_requests": 1, "escalations": 0}

    def test_every_history_row_of_the_entry_loses_them_too(self, roles, case):
        shared, _ = case

        disclosures_destroy_due(on=today())

        rows = list(shared.history.values_list("case_reference", "summary", "recipient_name", "consent_reason"))
        assert len(rows) >= 2
        assert set(rows) == {("", "", "", "")}

    @pytest.mark.parametrize(("days_after_due", "destroyed"), [(-1, False), (0, True), (1, True)])
    def test_an_entry_goes_on_its_due_date_and_not_before(self, roles, agreement, days_after_due, destroyed):
        # The clock moves to the day of the run: the database destroys nothing before its own today.
        entry = owners_entry(roles, agreement)
        force_retention_due(entry, today() - datetime.timedelta(days=days_after_due))

        disclosures_destroy_due(on=today())

        assert (reload(entry).purged_at is not None) is destroyed

    @pytest.mark.parametrize(("on", "destroyed"), [
        (datetime.date(2028, 2, 28), False), (datetime.date(2028, 2, 29), True),
    ])
    def test_a_leap_day_due_date_is_kept_to(self, roles, agreement, on, destroyed, time_machine):
        entry = owners_entry(roles, agreement)
        force_retention_due(entry, datetime.date(2028, 2, 29))
        time_machine.move_to(at(on))

        disclosures_destroy_due(on=on)

        assert (reload(entry).purged_at is not None) is destroyed

    def test_an_entry_of_a_reopened_case_has_no_due_date_and_stays(self, roles, agreement):
        entry = owners_entry(roles, agreement)

        disclosures_destroy_due(on=today() + relativedelta(years=10))

        assert reload(entry).purged_at is None
        assert Destruction.objects.exists() is False

    def test_running_twice_destroys_nothing_twice_and_asks_nobody_twice(self, roles, case):
        ContactFactory(organisation=roles.partner, user=roles.spoc)
        disclosures_destroy_due(on=today())
        notifications = Notification.objects.count()
        confirmations = RecipientDestructionConfirmation.objects.count()

        again = disclosures_destroy_due(on=today())

        assert again == []
        assert Destruction.objects.count() == 2
        assert (Notification.objects.count(), RecipientDestructionConfirmation.objects.count()) == (
            notifications, confirmations,
        )

    def test_every_holder_of_a_copy_is_asked_to_destroy_it_and_its_spocs_told(self, roles, case, yos):
        shared, refusal = case
        police_spoc = ContactFactory(organisation=roles.partner, user=roles.spoc)

        disclosures_destroy_due(on=today())

        asked = {(confirmation.disclosure_id, confirmation.organisation.name, confirmation.outcome)
                 for confirmation in RecipientDestructionConfirmation.objects.filter(reason=Reason.RETENTION)}
        # A refusal gave nobody a copy; the shared entry went to the Police, and on to the YOS.
        assert asked == {(shared.pk, "Borsetshire Police", Outcome.PENDING),
                         (shared.pk, "Borsetshire Youth Offending Service", Outcome.PENDING)}
        confirmation = RecipientDestructionConfirmation.objects.get(reason=Reason.RETENTION, organisation=roles.partner)
        told = Notification.objects.get(recipient=police_spoc, event_key=f"retention-confirmation-{confirmation.pk}")
        assert told.subject == "Destroy your copy of information Borsetshire County Council shared"
        assert told.url == reverse("sharing_log:copy_confirm", args=[confirmation.pk])
        assert CASE not in told.body

    def test_the_inaccuracy_confirmations_already_asked_stay_as_they_were(self, roles, case):
        shared, _ = case

        disclosures_destroy_due(on=today())

        assert set(RecipientDestructionConfirmation.objects.filter(reason=Reason.INACCURACY).values_list(
            "organisation__name", "outcome")) == {("Borsetshire Police", Outcome.PENDING)}

    def test_the_case_closure_loses_its_reference_once_every_entry_of_the_case_is_destroyed(self, roles, agreement,
                                                                                           time_machine):
        longer = PartyFactory(agreement__retention_months_after_closure=24, agreement__owner=roles.owner,
                              organisation=roles.owner, signed=True).agreement
        PartyFactory(agreement=longer, organisation=roles.partner, signed=True)
        first = owners_entry(roles, agreement)
        second = owners_entry(roles, longer)
        closure = case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=CASE,
                             closed_on=today() - relativedelta(months=20))

        disclosures_destroy_due(on=today())

        assert (reload(first).purged_at is not None, reload(second).purged_at is None) == (True, True)
        assert CaseClosure.objects.get(pk=closure.pk).case_reference == CASE

        time_machine.move_to(at(today() + relativedelta(months=4)))
        disclosures_destroy_due(on=today())

        assert CaseClosure.objects.get(pk=closure.pk).case_reference == f"Destroyed case {closure.pk}"
        assert set(closure.history.values_list("case_reference", flat=True)) == {f"Destroyed case {closure.pk}"}


    def test_destroying_an_entry_asks_no_more_of_the_database_for_a_bigger_case(self, roles, agreement):
        # Whether it is the last of its case is read in one go, not entry by entry (issue 15:
        # the purge asked again for every entry of the case).
        longer = PartyFactory(agreement__retention_months_after_closure=24, agreement__owner=roles.owner,
                              organisation=roles.owner, signed=True).agreement
        PartyFactory(agreement=longer, organisation=roles.partner, signed=True)

        def queries_to_destroy(reference: str, others: int) -> int:
            due = owners_entry(roles, agreement, case_reference=reference)
            for number in range(others):
                other = owners_entry(roles, longer, case_reference=reference)
                if number % 2:
                    disclosure_amend(disclosure=other, by_user=roles.practitioner, field="summary",
                                     value="Tenancy arrears.", reason="Clearer.")
            case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=reference,
                       closed_on=today() - relativedelta(months=20))
            with CaptureQueriesContext(connection) as captured:
                disclosure_destroy(disclosure_id=due.pk, on=today())
            assert reload(due).purged_at is not None
            return len(captured.captured_queries)

        assert queries_to_destroy("BCSP-SMALL-1", 1) == queries_to_destroy("BCSP-LARGE-1", 8)


class TestAppendOnlyGuard:
    """The purge is the one rewrite of an entry the log allows: it may take every personal part
    away, with ``purged_at``, and do nothing else."""

    def purge(self, entry: Disclosure, **overrides) -> None:
        for field in Disclosure.PERSONAL_FIELDS:
            setattr(entry, field, {} if field == "can_i_share_answers" else "")
        entry.purged_at = timezone.now()
        for field, value in overrides.items():
            setattr(entry, field, value)
        entry._purging = True

    @pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL lets the purge through its database "
                        "function alone (tests/sharing_log/test_ledger_guards.py); this is the application's guard")
    def test_the_purge_itself_is_let_through(self, roles, agreement):
        entry = owners_entry(roles, agreement)
        self.purge(entry)

        entry.save(update_fields=list(Disclosure.PURGE_FIELDS))

        assert reload(entry).case_reference == ""

    def test_a_flagged_save_that_writes_another_field_is_refused(self, roles, agreement):
        entry = owners_entry(roles, agreement)
        self.purge(entry, decision=Decision.NOT_SHARED)

        with pytest.raises(AppendOnlyError):
            entry.save(update_fields=[*Disclosure.PURGE_FIELDS, "decision"])
        assert reload(entry).decision == Decision.SHARED

    def test_a_flagged_save_that_puts_a_personal_value_in_is_refused(self, roles, agreement):
        entry = owners_entry(roles, agreement)
        self.purge(entry, case_reference="BCSP-NEW-0001")

        with pytest.raises(AppendOnlyError):
            entry.save(update_fields=list(Disclosure.PURGE_FIELDS))
        assert reload(entry).case_reference == CASE

    def test_a_flagged_save_without_the_destruction_time_is_refused(self, roles, agreement):
        entry = owners_entry(roles, agreement)
        self.purge(entry, purged_at=None)

        with pytest.raises(AppendOnlyError):
            entry.save(update_fields=list(Disclosure.PURGE_FIELDS))
        assert reload(entry).case_reference == CASE

    def test_a_flagged_save_of_every_field_is_refused(self, roles, agreement):
        entry = owners_entry(roles, agreement)
        self.purge(entry)

        with pytest.raises(AppendOnlyError):
            entry.save()
        assert reload(entry).purged_at is None

    def test_the_same_blanking_without_the_flag_is_refused(self, roles, agreement):
        entry = owners_entry(roles, agreement)
        self.purge(entry)
        del entry._purging

        with pytest.raises(AppendOnlyError):
            entry.save(update_fields=list(Disclosure.PURGE_FIELDS))
        assert reload(entry).purged_at is None

    def test_a_queryset_update_is_still_refused(self, roles, agreement):
        entry = owners_entry(roles, agreement)

        with pytest.raises(AppendOnlyError):
            Disclosure.objects.filter(pk=entry.pk).update(case_reference="", purged_at=timezone.now())
        assert reload(entry).case_reference == CASE


class TestAfterDestruction:
    def test_a_destroyed_entry_cannot_be_corrected_back(self, roles, case):
        shared, _ = case
        disclosures_destroy_due(on=today())

        with pytest.raises(ValidationError) as excinfo:
            disclosure_amend(disclosure=shared, by_user=roles.practitioner, field="case_reference",
                               value=CASE, reason="Put it back.")

        assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [
            "This entry's personal details were destroyed under the retention rule: it cannot be corrected."
        ]}
        assert rows_holding(CASE) == []

    def test_the_recipients_spoc_confirms_its_copy_destroyed(self, roles, case):
        disclosures_destroy_due(on=today())
        confirmation = RecipientDestructionConfirmation.objects.get(reason=Reason.RETENTION, organisation=roles.partner)

        confirmed = recipient_copy_confirm(confirmation=confirmation, by_user=roles.spoc, outcome=Outcome.DESTROYED)

        assert (confirmed.outcome, confirmed.confirmed_by) == (Outcome.DESTROYED, roles.spoc)

    def test_a_copy_of_a_destroyed_entry_cannot_be_confirmed_merely_corrected(self, roles, case):
        disclosures_destroy_due(on=today())
        confirmation = RecipientDestructionConfirmation.objects.get(reason=Reason.RETENTION, organisation=roles.partner)

        with pytest.raises(ValidationError) as excinfo:
            recipient_copy_confirm(confirmation=confirmation, by_user=roles.spoc, outcome=Outcome.CORRECTED)

        assert excinfo.value.message_dict == {"outcome": ["Confirm that your organisation destroyed its copy."]}
        assert RecipientDestructionConfirmation.objects.get(pk=confirmation.pk).outcome == Outcome.PENDING


# Issue 15: the purge read the same things again for every entry due (a holder's SPOCs, the
# stub's counts one by one, the entry's relations after the purge), and then asked some 25 queries
# of every entry it destroyed (0.64 s an entry at 100,000 entries). It is set-based now: a batch
# of entries due asks the same queries however many it holds — on PostgreSQL, where the purge is
# one statement calling the database function for each entry in turn, and on SQLite, where the
# application blanks each related table itself — and the run, one batch of them at a time.
QUERIES_PER_BATCH = {"postgresql": 30, "sqlite": 48}


class TestQueriesPerBatch:
    def queries_to_destroy(self, roles, agreement, *, due: int, prefix: str, like: Disclosure,
                           batch_size: int | None = None) -> int:
        for number in range(due):
            reference = f"{prefix}-{number}"
            entry = owners_entry(roles, agreement, case_reference=reference, purpose=like.purpose,
                                 art6_basis=like.art6_basis)
            if number % 2:
                disclosure_amend(disclosure=entry, by_user=roles.practitioner, field="summary",
                                 value="Tenancy arrears.", reason="Clearer.")
            case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=reference,
                       closed_on=today() - relativedelta(months=20))
        with CaptureQueriesContext(connection) as captured:
            batches = {} if batch_size is None else {"batch_size": batch_size}
            assert len(disclosures_destroy_due(on=today(), **batches)) == due
        return len(captured.captured_queries)

    def test_a_batch_asks_the_same_queries_however_many_entries_it_destroys(self, roles, agreement):
        spoc = ContactFactory(organisation=roles.partner, name="Priya Okafor", email="priya.okafor@police.example",
                              user=roles.spoc)
        # Entries name the purposes and gateways of a catalogue, the same few again and again.
        like = owners_entry(roles, agreement, case_reference="BCSP-OPEN-1")
        two = self.queries_to_destroy(roles, agreement, due=2, prefix="BCSP-TWO", like=like)
        seven = self.queries_to_destroy(roles, agreement, due=7, prefix="BCSP-SEVEN", like=like)

        assert (seven, two <= QUERIES_PER_BATCH[connection.vendor]) == (two, True)
        # Each entry's holder was still asked, and its SPOC told, once an entry.
        assert Notification.objects.filter(recipient=spoc, subject__startswith="Destroy your copy").count() == 9
        assert CaseClosure.objects.filter(case_reference__startswith="Destroyed case ").count() == 9

    def test_the_run_asks_the_same_queries_for_each_batch(self, roles, agreement):
        like = owners_entry(roles, agreement, case_reference="BCSP-OPEN-1")
        one_batch = self.queries_to_destroy(roles, agreement, due=3, prefix="BCSP-ONE", like=like, batch_size=3)
        three_batches = self.queries_to_destroy(roles, agreement, due=9, prefix="BCSP-THREE", like=like, batch_size=3)

        # The list of entries due is read once; each batch asks the same again.
        assert three_batches - 1 == 3 * (one_batch - 1), (one_batch, three_batches)

    def test_an_entry_destroyed_with_others_of_its_case_takes_the_closure_once(self, roles, agreement):
        entries = [owners_entry(roles, agreement) for _ in range(3)]
        closure = case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=CASE,
                             closed_on=today() - relativedelta(months=20))

        assert len(disclosures_destroy_due(on=today())) == 3

        assert [reload(entry).purged_at is not None for entry in entries] == [True, True, True]
        assert CaseClosure.objects.get(pk=closure.pk).case_reference == f"Destroyed case {closure.pk}"
