"""Retention due dates by the agreement's rule (issue 13 item 7; sharing_log/services/
retention_dates.py, selectors/closures.py ``cases_open_too_long``): a fixed period from the
disclosure dates the entry when it is logged; setting or changing an agreement's rule dates the
entries that have no date; a case open longer than its agreement allows is flagged. The pages
are in test_retention_dates_views.py."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models.signals import post_init
from django.utils import timezone

from agreements.services import agreement_retention_update
from sharing_log.models import AppendOnlyError, CaseClosure, Disclosure, LogEvent, LogEventKind
from sharing_log.selectors import cases_open_too_long, retention_display
from sharing_log.selectors.amendments import current_case_reference
from sharing_log.services import case_reopen, disclosure_amend, disclosure_log
from sharing_log.services.retention_dates import disclosure_retention_set
from tests.factories import DisclosureFactory, LegalGatewayFactory
from tests.sharing_log.helpers.closures import CASE, PINNED, close, days_ago, due, owners_entry

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def fixed(agreement, months=72):
    agreement.retention_months_after_closure, agreement.retention_months_from_disclosure = None, months
    agreement.save()
    return agreement


def retention_events(entry) -> list[LogEvent]:
    return list(LogEvent.objects.filter(kind=LogEventKind.RETENTION_SET, disclosure_id=entry.pk))


class TestFixedPeriodFromTheDisclosure:
    def test_a_logged_entry_is_dated_at_once_and_the_chain_records_it(self, roles):
        agreement = fixed(roles.agreement)
        art6 = LegalGatewayFactory(art6=True)
        agreement.gateways.add(art6)
        occurred = timezone.now() - datetime.timedelta(minutes=30)

        entry = disclosure_log(
            by_user=roles.practitioner, organisation=roles.owner, agreement=agreement,
            recipient_organisation=roles.partner, occurred_at=occurred, decision="shared",
            case_reference="ASB-2026-0042", subject_type="adult", data_level="minimum", data_categories=["asb"],
            purpose=agreement.purposes.get(), art6_basis=art6, gateways=[], consent_status="explicit",
            subject_informed="yes", summary="Tenancy status, to plan a joint visit.",
            necessity_reason="The joint visit cannot be planned safely without the tenancy status.",
        )

        assert due(entry) == timezone.localdate(occurred) + relativedelta(months=72)
        assert len(retention_events(entry)) == 1

    def test_closing_and_reopening_the_case_leave_the_date_alone(self, roles):
        agreement = roles.agreement  # 18 months after closure, until the rule changes
        entry = owners_entry(roles, agreement)
        agreement_retention_update(agreement=agreement, by_user=roles.governance_manager,
                                   retention_months_from_disclosure=24)
        expected = days_ago(60) + relativedelta(months=24)
        assert due(entry) == expected

        closure = close(roles, closed_on=days_ago(10))
        case_reopen(closure=closure, by_user=roles.governance_manager, reason="A new report came in.")

        assert due(entry) == expected

    def test_any_other_date_is_refused_and_nothing_changes(self, roles):
        agreement = fixed(roles.agreement, months=24)
        entry = owners_entry(roles, agreement)

        with pytest.raises(AppendOnlyError) as excinfo:
            disclosure_retention_set(entry=entry, due=days_ago(60) + relativedelta(months=30), by_user=None)

        expected = (days_ago(60) + relativedelta(months=24)).isoformat()
        assert str(excinfo.value) == (
            f"The agreement keeps entries for a fixed period from the disclosure: this entry's retention date "
            f"is {expected}."
        )
        assert due(entry) is None and retention_events(entry) == []


class TestOnTheEntryPage:
    def test_the_due_date_says_which_rule_gave_it(self, roles):
        agreement = roles.agreement
        entry = owners_entry(roles, agreement)
        assert retention_display(entry) == (
            "Not set: it is set when the case is closed, from the agreement's retention period"
        )

        agreement_retention_update(agreement=agreement, by_user=None, retention_months_from_disclosure=24)

        entry = Disclosure.objects.select_related("agreement").get(pk=entry.pk)
        expected = days_ago(60) + relativedelta(months=24)
        assert retention_display(entry) == f"{expected.day} {expected:%B %Y} – 24 months after the disclosure"

    def test_an_entry_under_an_agreement_without_a_rule_says_so(self, roles):
        agreement = roles.agreement
        agreement.retention_months_after_closure = None
        agreement.save()

        assert retention_display(owners_entry(roles, agreement)) == (
            "Not set. No retention rule: entries will not be destroyed until one is set"
        )


class TestRuleSetOrChanged:
    def test_a_rule_is_required(self, roles):
        agreement = roles.agreement

        with pytest.raises(ValidationError) as excinfo:
            agreement_retention_update(agreement=agreement, by_user=roles.governance_manager, retention_rule="Kept.")

        assert excinfo.value.message_dict == {"retention_basis": [
            "Choose one retention rule: a number of months after the case is closed, or a fixed period from "
            "the disclosure.",
        ]}
        agreement.refresh_from_db()
        assert (agreement.retention_months_after_closure, agreement.retention_rule) == (18, "")

    def test_setting_a_rule_dates_the_entries_of_closed_cases_only(self, roles):
        agreement = roles.agreement
        agreement.retention_months_after_closure = None
        agreement.save()
        closed, still_open = owners_entry(roles, agreement), owners_entry(roles, agreement, case_reference="OPEN-1")
        close(roles, closed_on=days_ago(10))
        assert due(closed) is None  # no rule yet: closing gave it no date

        agreement_retention_update(agreement=agreement, by_user=roles.governance_manager,
                                   retention_months_after_closure=18)

        assert (due(closed), due(still_open)) == (days_ago(10) + relativedelta(months=18), None)

    def test_changing_to_a_fixed_period_dates_the_rest_and_keeps_dates_already_set(self, roles):
        agreement = roles.agreement  # 18 months after closure
        closed, still_open = owners_entry(roles, agreement), owners_entry(roles, agreement, case_reference="OPEN-1")
        close(roles, closed_on=days_ago(10))
        closed_due = due(closed)

        agreement_retention_update(agreement=agreement, by_user=roles.governance_manager,
                                   retention_months_from_disclosure=36)

        assert (due(closed), due(still_open)) == (closed_due, days_ago(60) + relativedelta(months=36))

    def test_a_refused_rule_dates_nothing(self, roles):
        agreement = roles.agreement
        entry = owners_entry(roles, agreement)

        with pytest.raises(ValidationError) as excinfo:
            agreement_retention_update(agreement=agreement, by_user=roles.governance_manager,
                                       retention_months_after_closure=18, retention_months_from_disclosure=36)

        assert excinfo.value.message_dict == {"retention_basis": [
            "Choose one retention rule: a number of months after the case is closed, or a fixed period from "
            "the disclosure.",
        ]}
        agreement.refresh_from_db()
        assert (agreement.retention_months_after_closure, agreement.retention_months_from_disclosure) == (18, None)
        assert due(entry) is None and Disclosure.objects.filter(retention_due_on__isnull=False).count() == 0


class TestCasesOpenTooLong:
    def test_a_case_open_past_its_agreements_limit_is_flagged(self, roles):
        agreement = roles.agreement
        agreement.case_open_limit_months = 12
        agreement.save()
        opened = timezone.localdate() - relativedelta(months=12)
        old = owners_entry(roles, agreement, days=(timezone.localdate() - opened).days)
        owners_entry(roles, agreement, days=5)
        owners_entry(roles, agreement, case_reference="YOUNG-1", days=300)

        cases = cases_open_too_long(organisation_ids=[roles.owner.pk], on=timezone.localdate())

        assert [(c.case_reference, c.open_since, c.flagged_on, c.entries) for c in cases] == [
            (CASE, timezone.localdate(old.occurred_at), timezone.localdate(), 2),
        ]
        assert cases[0].why == (
            f"Open since {opened.day} {opened:%B %Y}: {agreement.reference} flags a case still open after 12 "
            "months, because its records are destroyed only once the case is closed"
        )

    def test_a_day_short_of_the_limit_it_is_not(self, roles):
        opened = timezone.localdate() - relativedelta(months=12) + datetime.timedelta(days=1)
        owners_entry(roles, roles.agreement, days=(timezone.localdate() - opened).days)

        assert cases_open_too_long(organisation_ids=[roles.owner.pk], on=timezone.localdate()) == []

    def test_a_closed_case_is_not_flagged_and_a_reopened_one_counts_from_its_reopening(self, roles, time_machine):
        owners_entry(roles, roles.agreement, days=500)
        closure = close(roles, closed_on=days_ago(10))
        assert cases_open_too_long(organisation_ids=[roles.owner.pk], on=timezone.localdate()) == []

        case_reopen(closure=closure, by_user=roles.governance_manager, reason="A new report came in.")
        assert cases_open_too_long(organisation_ids=[roles.owner.pk], on=timezone.localdate()) == []

        later = timezone.localdate() + relativedelta(months=12)
        cases = cases_open_too_long(organisation_ids=[roles.owner.pk], on=later)
        assert [(c.open_since, c.flagged_on) for c in cases] == [(timezone.localdate(), later)]

    def test_entries_under_a_fixed_period_or_no_rule_are_not_flagged(self, roles):
        fixed(roles.agreement)
        owners_entry(roles, roles.agreement, days=500)

        assert cases_open_too_long(organisation_ids=[roles.owner.pk], on=timezone.localdate()) == []

    def test_another_organisations_cases_are_not_listed(self, roles):
        owners_entry(roles, roles.agreement, days=500)

        assert cases_open_too_long(organisation_ids=[roles.partner.pk], on=timezone.localdate()) == []

    def test_a_corrected_reference_and_another_letter_case_are_the_same_case(self, roles):
        first = owners_entry(roles, roles.agreement, case_reference="TYPO-1", days=500)
        disclosure_amend(disclosure=first, by_user=roles.governance_manager, field="case_reference",
                         value=f"  {CASE} ", reason="Typed the wrong case number.")
        owners_entry(roles, roles.agreement, case_reference=CASE.lower(), days=400)
        moved = owners_entry(roles, roles.agreement, days=450)
        disclosure_amend(disclosure=moved, by_user=roles.governance_manager, field="case_reference",
                         value="OTHER-1", reason="Another case.")
        disclosure_amend(disclosure=moved, by_user=roles.governance_manager, field="case_reference",
                         value="OTHER-2", reason="Another case still.")

        cases = cases_open_too_long(organisation_ids=[roles.owner.pk], on=timezone.localdate())

        assert [(c.case_reference, c.open_since, c.entries) for c in cases] == [
            (CASE, timezone.localdate(first.occurred_at), 2),
            ("OTHER-2", timezone.localdate(moved.occurred_at), 1),
        ]

    def test_the_entries_are_grouped_in_the_database_not_read_one_by_one(self, roles):
        for days in range(400, 430):
            owners_entry(roles, roles.agreement, days=days)
        made = []

        def count(sender, **kwargs):
            made.append(sender)

        post_init.connect(count, sender=Disclosure)
        try:
            cases = cases_open_too_long(organisation_ids=[roles.owner.pk], on=timezone.localdate())
        finally:
            post_init.disconnect(count, sender=Disclosure)

        assert [c.entries for c in cases] == [30]
        assert made == []

    def test_the_grouped_query_finds_the_cases_the_entries_read_one_by_one_give(self, roles):
        # Issue 15: the query looks the corrected reference up only for the entries whose
        # reference was corrected. Whatever way it is computed, it must name the cases, first
        # days and numbers of entries that reading each entry's current reference gives.
        def amend(entry, *values):
            for value in values:
                disclosure_amend(disclosure=entry, by_user=roles.governance_manager, field="case_reference",
                                 value=value, reason="The case number was wrong.")

        for days, reference in ((500, "A-1"), (480, " a-1 "), (470, "A-1"), (460, "CLOSED-1"), (450, "")):
            owners_entry(roles, roles.agreement, case_reference=reference, days=days)
        amend(owners_entry(roles, roles.agreement, case_reference="TYPO-1", days=520), "A-1")
        amend(owners_entry(roles, roles.agreement, case_reference="X-1", days=440), "Y-1", "z-1")
        amend(owners_entry(roles, roles.agreement, case_reference="X-2", days=430), "closed-1")
        amend(owners_entry(roles, roles.agreement, case_reference="CLOSED-1", days=420), "D-1")
        amend(owners_entry(roles, roles.agreement, case_reference="A-1", days=410), "Z-1 ")
        owners_entry(roles, roles.agreement, case_reference="REOPENED-1", days=400)
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.partner,
                          recipient_organisation=roles.owner, disclosed_by=roles.spoc, case_reference="A-1",
                          occurred_at=timezone.now() - datetime.timedelta(days=390))
        close(roles, case_reference="CLOSED-1", closed_on=days_ago(5))
        case_reopen(closure=close(roles, case_reference="REOPENED-1", closed_on=days_ago(5)),
                    by_user=roles.governance_manager, reason="A new report came in.")
        owners_entry(roles, roles.agreement, case_reference="REOPENED-1", days=3)
        organisations = [roles.owner.pk, roles.partner.pk]
        later = timezone.localdate() + relativedelta(years=10)

        expected: dict[tuple, list] = {}
        for entry in Disclosure.objects.filter(disclosing_organisation_id__in=organisations, purged_at__isnull=True,
                                               retention_due_on__isnull=True).order_by("occurred_at", "pk"):
            reference = current_case_reference(entry).strip()
            closed = CaseClosure.objects.filter(organisation_id=entry.disclosing_organisation_id,
                                                case_reference__iexact=reference, reopened_on__isnull=True)
            if reference and not closed.exists():
                key = (entry.disclosing_organisation_id, reference.lower(), entry.agreement_id)
                expected.setdefault(key, [reference, timezone.localdate(entry.occurred_at), 0])[2] += 1
        reopened = CaseClosure.objects.get(case_reference="REOPENED-1").reopened_on
        expected[roles.owner.pk, "reopened-1", roles.agreement.pk][1] = reopened

        cases = cases_open_too_long(organisation_ids=organisations, on=later)

        assert sorted((c.organisation.pk, c.case_reference, c.agreement.pk, c.open_since, c.entries)
                      for c in cases) == sorted((organisation, reference, agreement, since, count)
                                                for (organisation, _, agreement), (reference, since, count)
                                                in expected.items())
        assert sorted((c.case_reference, c.entries) for c in cases) == [
            ("A-1", 1), ("A-1", 4), ("D-1", 1), ("REOPENED-1", 2), ("z-1", 2)]
