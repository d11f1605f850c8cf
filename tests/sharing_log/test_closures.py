"""Case closure (001 §5.15; DOMAIN.md rule 8; sharing_log/models/closures.py,
services/closures.py, selectors/closures.py): closing a case sets the retention due date of the
entries the closing organisation logged under it, from each entry's agreement; the closing date
may change and the case re-open, and every step is recorded; the rules the database holds. The
pages are in test_closures_views.py."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sharing_log.models import (
    CaseClosure,
    Decision,
)
from sharing_log.selectors import closure_timeline, disclosure_timeline
from sharing_log.services import case_close, case_closure_change, case_reopen, disclosure_amend, retention_due
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    DisclosureFactory,
    PartyFactory,
)
from tests.sharing_log.helpers.closures import CASE, PINNED, at, close, days_ago, due, owners_entry

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


class TestRetentionDue:
    @pytest.mark.parametrize(("closed_on", "months", "expected"), [
        (datetime.date(2026, 3, 2), 18, datetime.date(2027, 9, 2)),
        # 31 August + 18 months: February has no 31st, so its last day – a leap day in 2028.
        (datetime.date(2026, 8, 31), 18, datetime.date(2028, 2, 29)),
        (datetime.date(2025, 8, 31), 18, datetime.date(2027, 2, 28)),
        # Closed on a leap day: 18 months on is 29 August; a year on, 28 February.
        (datetime.date(2024, 2, 29), 18, datetime.date(2025, 8, 29)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 48, datetime.date(2028, 2, 29)),
    ])
    def test_months_after_closing_with_the_calendar(self, closed_on, months, expected):
        assert retention_due(closed_on=closed_on, months=months) == expected

    def test_no_period_gives_no_date(self):
        assert retention_due(closed_on=datetime.date(2026, 3, 2), months=None) is None


class TestClose:
    def test_closing_sets_the_due_date_of_what_the_organisation_shared_and_decided(self, roles, agreement):
        shared = owners_entry(roles, agreement)
        refused = owners_entry(roles, agreement, decision=Decision.NOT_SHARED, art6_basis=None,
                               decision_reason="Not necessary.")
        closed_on = days_ago(10)

        closure = close(roles, closed_on=closed_on)

        expected = retention_due(closed_on=closed_on, months=18)
        assert (due(shared), due(refused)) == (expected, expected)
        assert (closure.organisation, closure.case_reference, closure.closed_on, closure.closed_by) == (
            roles.owner, CASE, closed_on, roles.governance_manager,
        )

    def test_each_entry_takes_its_own_agreements_period(self, roles, agreement):
        other = AgreementFactory(owner=roles.owner, in_force=True, retention_months_after_closure=24)
        PartyFactory(agreement=other, organisation=roles.owner, signed=True)
        PartyFactory(agreement=other, organisation=roles.partner, signed=True)
        no_rule = AgreementFactory(owner=roles.owner, in_force=True, retention_months_after_closure=None)
        PartyFactory(agreement=no_rule, organisation=roles.owner, signed=True)
        PartyFactory(agreement=no_rule, organisation=roles.partner, signed=True)
        under_isa, under_other, without = (owners_entry(roles, a) for a in (agreement, other, no_rule))

        close(roles, closed_on=days_ago(10))

        assert due(under_isa) == retention_due(closed_on=days_ago(10), months=18)
        assert due(under_other) == retention_due(closed_on=days_ago(10), months=24)
        assert due(without) is None

    def test_what_the_organisation_received_and_other_organisations_cases_are_left_alone(self, roles, agreement):
        received = DisclosureFactory(agreement=agreement, disclosing_organisation=roles.partner,
                                     recipient_organisation=roles.owner, disclosed_by=roles.spoc, case_reference=CASE)
        another_case = owners_entry(roles, agreement, case_reference="BCSP-2026-0999")
        mine = owners_entry(roles, agreement)

        close(roles)

        assert (due(received), due(another_case)) == (None, None)
        assert due(mine) is not None

    def test_reference_matches_in_any_letter_case_and_as_corrected(self, roles, agreement):
        lower = owners_entry(roles, agreement, case_reference=CASE.lower())
        corrected_to = owners_entry(roles, agreement, case_reference="BCSP-2026-0141")
        disclosure_amend(disclosure=corrected_to, by_user=roles.governance_manager, field="case_reference",
                           value=CASE, reason="Wrong case number.")
        corrected_away = owners_entry(roles, agreement)
        disclosure_amend(disclosure=corrected_away, by_user=roles.governance_manager, field="case_reference",
                           value="BCSP-2026-0150", reason="Wrong case number.")

        close(roles)

        assert due(lower) is not None and due(corrected_to) is not None
        assert due(corrected_away) is None

    def test_each_entrys_history_records_who_set_its_due_date(self, roles, agreement):
        entry = owners_entry(roles, agreement)

        close(roles, closed_on=days_ago(10))

        row = entry.history.latest()
        assert (row.history_type, row.history_user, row.retention_due_on) == ("~", roles.governance_manager, due(entry))
        titles = [event.title for event in disclosure_timeline(entry)]
        assert titles[-1] == f"Retention due date set: {due(entry):%-d %B %Y}"
        assert disclosure_timeline(entry)[-1].by == roles.governance_manager.get_full_name()

    @pytest.mark.parametrize("subject", ["practitioner", "auditor", "lead_signatory", "unrelated"])
    def test_only_the_organisations_spoc_or_governance_manager_closes_its_cases(self, roles, agreement, subject):
        entry = owners_entry(roles, agreement)

        with pytest.raises(PermissionDenied):
            close(roles, by=roles.subject(subject))

        assert CaseClosure.objects.exists() is False and due(entry) is None

    def test_spoc_closes_a_case_of_its_own_organisation(self, roles, agreement):
        police_entry = DisclosureFactory(agreement=agreement, disclosing_organisation=roles.partner,
                                         recipient_organisation=roles.owner, disclosed_by=roles.spoc,
                                         case_reference="BP-24-77", occurred_at=at(days_ago(30)))

        close(roles, by=roles.spoc, organisation=roles.partner, case_reference="BP-24-77")

        assert due(police_entry) == retention_due(closed_on=days_ago(10), months=18)

    @pytest.mark.parametrize(("reference", "closed_on", "errors"), [
        ("  ", -10, {"case_reference": ["Enter the case reference."]}),
        ("BCSP-2026-0999", -10, {"case_reference": [
            "Borsetshire County Council has logged nothing under the case reference BCSP-2026-0999. "
            "Check the reference."]}),
        (CASE, None, {"closed_on": ["Enter the date the case closed."]}),
        (CASE, 1, {"closed_on": ["The date the case closed must be today or in the past."]}),
    ])
    def test_bad_closure_is_refused_and_nothing_saved(self, roles, agreement, reference, closed_on, errors):
        entry = owners_entry(roles, agreement)
        day = None if closed_on is None else timezone.localdate() + datetime.timedelta(days=closed_on)

        with pytest.raises(ValidationError) as error:
            case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=reference,
                       closed_on=day)

        assert error.value.message_dict == errors
        assert CaseClosure.objects.exists() is False and due(entry) is None

    def test_case_cannot_close_before_its_latest_entry(self, roles, agreement):
        owners_entry(roles, agreement, days=60)
        latest = owners_entry(roles, agreement, days=20)

        with pytest.raises(ValidationError) as error:
            close(roles, closed_on=days_ago(21))

        day = timezone.localdate(latest.occurred_at)
        assert error.value.message_dict == {"closed_on": [
            f"The case has an entry on {day:%-d %B %Y}: it cannot have closed before then. Enter the date it closed."
        ]}
        assert CaseClosure.objects.exists() is False

    def test_a_closed_case_is_not_closed_twice(self, roles, agreement):
        owners_entry(roles, agreement)
        first = close(roles, closed_on=days_ago(10))

        with pytest.raises(ValidationError) as error:
            close(roles, closed_on=days_ago(5), case_reference=CASE.lower())

        assert error.value.message_dict == {"case_reference": [
            f"Case {CASE} was closed on {first.closed_on:%-d %B %Y}. To move the date, change the closure."
        ]}
        assert CaseClosure.objects.get().closed_on == days_ago(10)


class TestChangeAndReopen:
    @pytest.fixture
    def entry(self, roles, agreement):
        return owners_entry(roles, agreement)

    @pytest.fixture
    def closure(self, roles, entry):
        return close(roles, closed_on=days_ago(10))

    def test_changing_the_closing_date_moves_the_due_dates_and_is_recorded(self, roles, entry, closure):
        closure = case_closure_change(closure=closure, by_user=roles.governance_manager, closed_on=days_ago(30),
                                      reason="  The panel closed it at its earlier meeting.  ")

        assert due(entry) == retention_due(closed_on=days_ago(30), months=18)
        assert (closure.closed_on, closure.reason) == (days_ago(30), "The panel closed it at its earlier meeting.")
        assert [event.title for event in closure_timeline(closure)] == [
            f"Case closed on {days_ago(10):%-d %B %Y}",
            f"Closing date changed from {days_ago(10):%-d %B %Y} to {days_ago(30):%-d %B %Y}: "
            "The panel closed it at its earlier meeting.",
        ]

    @pytest.mark.parametrize(("closed_on", "reason", "errors"), [
        (30, "", {"reason": ["Give the reason the closing date is changing."]}),
        (10, "Typo.", {"closed_on": ["This is the closing date already: enter the date the case really closed."]}),
        (None, "Typo.", {"closed_on": ["Enter the date the case closed."]}),
    ])
    def test_bad_change_is_refused(self, roles, entry, closure, closed_on, reason, errors):
        with pytest.raises(ValidationError) as error:
            case_closure_change(closure=closure, by_user=roles.governance_manager,
                                closed_on=None if closed_on is None else days_ago(closed_on), reason=reason)

        assert error.value.message_dict == errors
        assert CaseClosure.objects.get().closed_on == days_ago(10)
        assert due(entry) == retention_due(closed_on=days_ago(10), months=18)

    def test_reopening_takes_the_due_dates_away_until_it_closes_again(self, roles, entry, closure):
        reopened = case_reopen(closure=closure, by_user=roles.governance_manager, reason="A new incident.")

        assert due(entry) is None
        assert (reopened.reopened_on, reopened.reopened_by, reopened.is_closed) == (
            timezone.localdate(), roles.governance_manager, False,
        )
        assert [event.title for event in disclosure_timeline(entry)][-1] == (
            "Retention due date removed: the case was re-opened"
        )

        again = close(roles, closed_on=timezone.localdate())

        assert again.pk == closure.pk and again.is_closed is True
        assert due(entry) == retention_due(closed_on=timezone.localdate(), months=18)
        assert [event.title for event in closure_timeline(again)][1:] == [
            f"Case re-opened on {timezone.localdate():%-d %B %Y}: A new incident.",
            f"Case closed again on {timezone.localdate():%-d %B %Y}",
        ]

    def test_reopened_case_cannot_close_before_it_reopened(self, roles, entry, closure):
        case_reopen(closure=closure, by_user=roles.governance_manager, reason="A new incident.")

        with pytest.raises(ValidationError) as error:
            close(roles, closed_on=days_ago(5))

        assert error.value.message_dict == {"closed_on": [
            f"The case was re-opened on {timezone.localdate():%-d %B %Y}: enter a closing date on or after it."
        ]}
        assert due(entry) is None

    def test_reopening_needs_a_reason_and_happens_once(self, roles, entry, closure):
        with pytest.raises(ValidationError) as error:
            case_reopen(closure=closure, by_user=roles.governance_manager, reason=" ")
        assert error.value.message_dict == {"reason": ["Give the reason the case is being re-opened."]}
        assert due(entry) is not None

        case_reopen(closure=closure, by_user=roles.governance_manager, reason="A new incident.")
        with pytest.raises(ValidationError) as error:
            case_reopen(closure=closure, by_user=roles.governance_manager, reason="Again.")
        assert error.value.message_dict == {"__all__": [
            f"The case was re-opened on {timezone.localdate():%-d %B %Y} already."
        ]}

    def test_reopened_case_has_no_closing_date_to_change(self, roles, entry, closure):
        case_reopen(closure=closure, by_user=roles.governance_manager, reason="A new incident.")

        with pytest.raises(ValidationError) as error:
            case_closure_change(closure=closure, by_user=roles.governance_manager, closed_on=days_ago(3),
                                reason="Typo.")

        assert error.value.message_dict == {"__all__": [
            f"The case was re-opened on {timezone.localdate():%-d %B %Y}: close it again instead."
        ]}

    @pytest.mark.parametrize("subject", ["practitioner", "spoc", "unrelated"])
    def test_only_the_organisations_spoc_or_governance_manager_changes_it(self, roles, closure, subject):
        with pytest.raises(PermissionDenied):
            case_reopen(closure=closure, by_user=roles.subject(subject), reason="A new incident.")
        with pytest.raises(PermissionDenied):
            case_closure_change(closure=closure, by_user=roles.subject(subject), closed_on=days_ago(20),
                                reason="Typo.")

        assert CaseClosure.objects.get().is_closed is True


class TestCaseClosure:
    def test_organisation_closes_a_case_once(self, disclosure):
        fields = {
            "organisation": disclosure.disclosing_organisation, "case_reference": "ASB-00001",
            "closed_on": timezone.localdate(), "closed_by": disclosure.disclosed_by,
        }
        CaseClosure.objects.create(**fields)

        with violates(CaseClosure, "case_closed_once"):
            CaseClosure.objects.create(**fields)

    def test_another_organisation_may_close_its_case_of_the_same_reference(self, disclosure):
        for organisation in (disclosure.disclosing_organisation, disclosure.recipient_organisation):
            CaseClosure.objects.create(
                organisation=organisation, case_reference="ASB-00001",
                closed_on=timezone.localdate(), closed_by=disclosure.disclosed_by,
            )

        assert CaseClosure.objects.count() == 2


class TestCaseClosureReopening:
    @pytest.fixture
    def fields(self, disclosure):
        return {
            "organisation": disclosure.disclosing_organisation, "case_reference": "ASB-00001",
            "closed_on": datetime.date(2026, 3, 2), "closed_by": disclosure.disclosed_by,
        }

    def test_closure_needs_a_case_reference(self, fields):
        with violates(CaseClosure, "case_closure_has_reference"):
            CaseClosure.objects.create(**{**fields, "case_reference": ""})

    @pytest.mark.parametrize("missing", ["reopened_by", "reason"])
    def test_reopening_needs_who_and_why(self, fields, missing):
        reopening = {"reopened_on": datetime.date(2026, 4, 1), "reopened_by": fields["closed_by"],
                     "reason": "New incident reported.", missing: "" if missing == "reason" else None}

        with violates(CaseClosure, "case_reopening_has_who_and_why"):
            CaseClosure.objects.create(**fields, **reopening)

    def test_who_reopened_needs_a_reopening_date(self, fields):
        with violates(CaseClosure, "case_reopening_has_who_and_why"):
            CaseClosure.objects.create(**fields, reopened_by=fields["closed_by"], reason="New incident.")

    def test_case_cannot_reopen_before_it_closed(self, fields):
        with violates(CaseClosure, "case_reopened_after_closing"):
            CaseClosure.objects.create(**fields, reopened_on=datetime.date(2026, 3, 1),
                                       reopened_by=fields["closed_by"], reason="New incident.")

    def test_reopened_case_is_accepted(self, fields):
        closure = CaseClosure.objects.create(**fields, reopened_on=datetime.date(2026, 3, 2),
                                             reopened_by=fields["closed_by"], reason="New incident.")

        assert closure.is_closed is False
