"""Retention (001 §5.15; DOMAIN.md rule 8): the daily job destroys the personal parts of every entry
whose retention due date has come — in the record and in every history row — keeps a
de-personalised stub and a destruction record, and asks each holder of a copy to destroy it.

The case of the first tests: the owner (Borsetshire County Council) shared with the partner
(Borsetshire Police) under case ``CASE``, corrected the summary, marked the entry inaccurate, let
the Police pass it on to a youth offending service, and refused a later request of the same case,
which the Police escalated. The case closed 20 months ago (the agreement keeps records 18), so
all of it is due. Another case of the owner's, not closed, must be left as it was.
"""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from partners.models import Notification, Sector
from sharing_log.models import (
    AppendOnlyError,
    CaseClosure,
    ConfirmationOutcome,
    ConfirmationReason,
    Decision,
    Destruction,
    Disclosure,
    EscalationOutcome,
    OnwardDecision,
    RecipientDestructionConfirmation,
)
from sharing_log.services import (
    case_close,
    case_closure_change,
    disclosure_amend,
    disclosure_mark_inaccurate,
    disclosures_destroy_due,
    escalation_raise,
    escalation_resolve,
    onward_disclosure_decide,
    onward_disclosure_request,
    recipient_copy_confirm,
)
from tests.auth import sign_in
from tests.factories import ContactFactory, DisclosureFactory, OrganisationFactory, PartyFactory

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]

Outcome = ConfirmationOutcome
Reason = ConfirmationReason

CASE = "BCSP-RET-0417"
SUMMARY = "Tenancy arrears and a joint visit planned for the fourteenth week."
# Everything of the destroyed case that must leave no trace.
SECRETS = {
    "case reference": CASE,
    "summary": SUMMARY,
    "corrected summary": "Tenancy arrears only; the joint visit was cancelled.",
    "recipient's name": "Robin Quillfeather",
    "recipient's contact": "robin.quillfeather@police.example",
    "decision reason": "Not proportionate for the housing enquiry in Ambridge Row.",
    "consent reason": "Seeking consent would prejudice the Ambridge Row enquiry.",
    "inaccuracy notice": "The arrears figure for Ambridge Row was wrong.",
    "onward purpose": "A youth justice assessment at Ambridge Row.",
    "escalation concern": "A child at Ambridge Row may be unsafe without it.",
    "escalation note": "Refusal upheld: Ambridge Row is covered by another plan.",
    "can I share answer": "Prevent harm at Ambridge Row.",
    "closure reason": "Closing date moved: the Ambridge Row plan ended earlier.",
}
KEPT_CASE = "BCSP-KEEP-0002"
KEPT_SUMMARY = "Anti-social behaviour warnings, to agree a joint letter."


def today() -> datetime.date:
    return timezone.localdate()


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


@pytest.fixture
def agreement(roles):
    roles.agreement.retention_months_after_closure = 18
    roles.agreement.save(update_fields=["retention_months_after_closure"])
    return roles.agreement


@pytest.fixture
def yos(roles):
    return OrganisationFactory(name="Borsetshire Youth Offending Service", sector=Sector.OTHER)


def owners_entry(roles, agreement, **fields) -> Disclosure:
    kwargs = {
        "agreement": agreement, "disclosing_organisation": roles.owner, "recipient_organisation": roles.partner,
        "disclosed_by": roles.practitioner, "case_reference": CASE, "occurred_at": at(today() - relativedelta(years=2)),
    }
    return DisclosureFactory(**{**kwargs, **fields})


@pytest.fixture
def case(roles, agreement, yos):
    """The destroyed case's entries and everything pointing at them; returns (shared, refusal)."""
    shared = owners_entry(
        roles, agreement, summary=SUMMARY, recipient_name=SECRETS["recipient's name"],
        recipient_contact=SECRETS["recipient's contact"], consent_status="not_sought",
        consent_reason=SECRETS["consent reason"],
        can_i_share_answers={"questions": [{"question": "What is the purpose?",
                                            "answer": SECRETS["can I share answer"]}],
                             "outcome": "You may share."},
    )
    disclosure_amend(disclosure=shared, by_user=roles.practitioner, field="summary",
                       value=SECRETS["corrected summary"], reason="The visit was cancelled.", summary_checked=True)
    disclosure_mark_inaccurate(disclosure=shared, by_user=roles.practitioner,
                               what_is_wrong=SECRETS["inaccuracy notice"], text_checked=True)
    onward = onward_disclosure_request(disclosure=shared, by_user=roles.spoc, purpose=SECRETS["onward purpose"],
                                       third_party_organisation=yos)
    onward_disclosure_decide(onward_request=onward, by_user=roles.governance_manager,
                             decision=OnwardDecision.GRANTED, reason="Needed for the assessment.")
    refusal = owners_entry(roles, agreement, decision=Decision.NOT_SHARED, art6_basis=None,
                           decision_reason=SECRETS["decision reason"],
                           occurred_at=at(today() - relativedelta(years=2) + datetime.timedelta(days=3)))
    escalation = escalation_raise(disclosure=refusal, by_user=roles.spoc, organisation=roles.partner,
                                  concern=SECRETS["escalation concern"], concern_checked=True)
    escalation_resolve(escalation=escalation, by_user=roles.governance_manager, outcome=EscalationOutcome.UPHELD,
                       resolution_note=SECRETS["escalation note"], note_checked=True)
    closed = case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=CASE,
                        closed_on=today() - relativedelta(months=20, days=5))
    case_closure_change(closure=closed, by_user=roles.governance_manager,
                        closed_on=today() - relativedelta(months=20), reason=SECRETS["closure reason"])
    return shared, refusal


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
        entry = owners_entry(roles, agreement)
        entry.retention_due_on = today()
        entry.save(update_fields=list(Disclosure.RETENTION_FIELDS))

        disclosures_destroy_due(on=today() + datetime.timedelta(days=days_after_due))

        assert (reload(entry).purged_at is not None) is destroyed

    @pytest.mark.parametrize(("on", "destroyed"), [
        (datetime.date(2028, 2, 28), False), (datetime.date(2028, 2, 29), True),
    ])
    def test_a_leap_day_due_date_is_kept_to(self, roles, agreement, on, destroyed):
        entry = owners_entry(roles, agreement)
        entry.retention_due_on = datetime.date(2028, 2, 29)
        entry.save(update_fields=list(Disclosure.RETENTION_FIELDS))

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

    def test_the_case_closure_loses_its_reference_once_every_entry_of_the_case_is_destroyed(self, roles, agreement):
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

        disclosures_destroy_due(on=today() + relativedelta(months=4))

        assert CaseClosure.objects.get(pk=closure.pk).case_reference == f"Destroyed case {closure.pk}"
        assert set(closure.history.values_list("case_reference", flat=True)) == {f"Destroyed case {closure.pk}"}


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


class TestPages:
    """Every page that shows a destroyed entry says so, shows the stub, and never fails."""

    @pytest.fixture
    def destroyed(self, roles, case):
        disclosures_destroy_due(on=today())
        return case

    def test_the_entry_page_says_when_and_why_and_shows_the_stub(self, client, roles, destroyed):
        shared, _ = destroyed
        when = timezone.localtime(Destruction.objects.get(disclosure=shared).destroyed_at)

        response = sign_in(client, roles.governance_manager).get(reverse("sharing_log:detail", args=[shared.pk]))

        html = response.content.decode()
        assert response.status_code == 200
        assert f"Destroyed on {when.day} {when:%B %Y} under the retention rule" in html
        assert "What remains of the entry" in html
        assert "The entry as logged" not in html
        assert "Amend this entry" not in html
        assert "Borsetshire Youth Offending Service" in html

    @pytest.mark.parametrize("route", ["list", "received", "export", "inbox", "copies", "cases", "escalations"])
    def test_the_log_pages_still_open(self, client, roles, destroyed, route):
        user = roles.spoc if route in ("received", "inbox", "copies", "escalations") else roles.governance_manager

        response = sign_in(client, user).get(reverse(f"sharing_log:{route}"))

        assert response.status_code == 200

    def test_the_case_and_escalation_pages_still_open(self, client, roles, destroyed):
        _, refusal = destroyed
        sign_in(client, roles.governance_manager)

        assert client.get(CaseClosure.objects.get().get_absolute_url()).status_code == 200
        assert client.get(refusal.escalations.get().get_absolute_url()).status_code == 200
        assert client.get(reverse("sharing_log:detail", args=[refusal.pk])).status_code == 200

    def test_the_recipients_spoc_confirms_on_its_page(self, client, roles, destroyed):
        confirmation = RecipientDestructionConfirmation.objects.get(reason=Reason.RETENTION, organisation=roles.partner)
        url = reverse("sharing_log:copy_confirm", args=[confirmation.pk])
        sign_in(client, roles.spoc)

        page = client.get(url)
        empty = client.post(url, {})
        done = client.post(url, {"destroyed": "on"})

        assert page.status_code == 200
        assert "Destroy your copy of information from Borsetshire County Council" in page.content.decode()
        assert empty.status_code == 200
        assert "Confirm that your organisation destroyed its copy" in empty.content.decode()
        assert 'class="govuk-error-summary"' in empty.content.decode()
        assert done.status_code == 302
        assert RecipientDestructionConfirmation.objects.get(pk=confirmation.pk).outcome == Outcome.DESTROYED

    def test_the_onward_recipient_confirms_without_seeing_the_entry(self, client, roles, destroyed, yos):
        from partners.models import Role

        yos_spoc = roles.member(yos, Role.SPOC)
        confirmation = RecipientDestructionConfirmation.objects.get(reason=Reason.RETENTION, organisation=yos)

        response = sign_in(client, yos_spoc).get(reverse("sharing_log:copy_confirm", args=[confirmation.pk]))

        assert response.status_code == 200
        assert reverse("sharing_log:detail", args=[confirmation.disclosure_id]) not in response.content.decode()
