"""The reports' reads (isa_portal/reports/selectors.py): breach deadlines met and missed, signature
completion, reviews overdue, and the log's counts, each narrowed by agreement and period.

The clock is pinned on Wednesday 17 June 2026 (no bank holiday in England from 1 to 30 June).
"""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from agreements.models import Agreement, Breach, PartyStatus
from agreements.services import breach_record
from isa_portal.reports.selectors import (
    ReportFilters,
    breach_deadline_report,
    default_period,
    disclosure_report,
    reviews_overdue,
    signature_completion,
)
from tests.factories import DisclosureFactory, LegalGatewayFactory, OrganisationFactory, PartyFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED, tick=False)]
TODAY = PINNED.date()


def this_year(agreement=None) -> ReportFilters:
    return ReportFilters(agreement=agreement, date_from=datetime.date(2026, 1, 1), date_to=TODAY)


def record(roles, *, discovered: datetime.datetime) -> Breach:
    return breach_record(
        agreement=roles.agreement, reporting_organisation=roles.partner, kind="breach", discovered_at=discovered,
        description="A referral went to the wrong mailbox.", data_involved="An address.",
        personal_data_breach=True, by_user=roles.spoc,
    )


def test_breach_deadlines_are_counted_met_missed_and_still_open(roles):
    # Yesterday's breach: the rest still to come. The owner has nobody on record to tell, so
    # "partners told" is not done (``_partners_told_on``): open until 23 June.
    record(roles, discovered=datetime.datetime(2026, 6, 16, 9, tzinfo=LONDON))
    # 1 June's: the partners not told by 8 June, the report in on 12 June (due 15 June), the
    # ICO's 72 hours long gone.
    late = record(roles, discovered=datetime.datetime(2026, 6, 1, 9, tzinfo=LONDON))
    Breach.objects.filter(pk=late.pk).update(report_received_on=datetime.date(2026, 6, 12))
    # Discovered before the period: not counted.
    record(roles, discovered=datetime.datetime(2025, 12, 1, 9, tzinfo=LONDON))

    report = breach_deadline_report(roles.governance_manager, this_year())

    assert report.breaches == 2
    assert {step.key: (step.met, step.missed, step.open) for step in report.steps} == {
        "partners_told": (0, 1, 1), "report": (1, 0, 1), "meeting": (0, 0, 2), "minutes": (0, 0, 2),
        "ico": (0, 1, 1),
    }


def test_breach_deadlines_count_only_the_breaches_the_viewer_may_see(roles):
    record(roles, discovered=datetime.datetime(2026, 6, 16, 9, tzinfo=LONDON))

    assert breach_deadline_report(roles.unrelated, this_year()).breaches == 0
    assert breach_deadline_report(roles.auditor, this_year()).breaches == 1


def test_signature_completion_counts_the_latest_version_and_leaves_out_those_not_taking_part(roles):
    PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Borsetshire Fire"))
    PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Borsetshire Schools"),
                 status=PartyStatus.DECLINED)

    (row,) = signature_completion(roles.governance_manager, this_year())

    assert (row.agreement, row.signed, row.resigning, row.to_sign, row.not_taking_part) == (
        roles.agreement, 2, 0, 1, 1)
    assert (row.expected, row.percent) == (3, 67)
    assert signature_completion(roles.governance_manager, this_year(roles.unrelated_agreement)) == []
    assert signature_completion(roles.spoc, this_year()) == []  # manages nothing


def test_reviews_overdue_are_today_s_longest_overdue_first(roles):
    Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY - datetime.timedelta(days=10))

    rows = reviews_overdue(roles.governance_manager, this_year())

    assert [(row.days, row.due) for row in rows] == [(10, TODAY - datetime.timedelta(days=10))]
    assert rows[0].what == f"Carry out the review of {roles.agreement.reference or roles.agreement.title}"
    assert reviews_overdue(roles.governance_manager, this_year(roles.unrelated_agreement)) == []
    assert reviews_overdue(roles.spoc, this_year()) == []


def test_the_log_is_counted_by_month_in_the_local_time_zone(roles):
    basis = LegalGatewayFactory(art6=True)
    # 00:30 on 1 May in London is still 30 April in UTC: it counts in May.
    for _ in range(5):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner, art6_basis=basis,
                          occurred_at=datetime.datetime(2026, 5, 1, 0, 30, tzinfo=LONDON))

    report = disclosure_report(roles.governance_manager, this_year())

    by_month = dict(zip(report.months, (figure.text for figure in report.month_totals), strict=True))
    assert (by_month[datetime.date(2026, 4, 1)], by_month[datetime.date(2026, 5, 1)]) == ("0", "5")
    assert report.total.text == "5"
    (partner,) = [row for row in report.breakdowns[0].rows]
    assert (partner.label, partner.total.text) == ("Borsetshire County Council", "5")
    (basis_row,) = report.breakdowns[1].rows
    assert basis_row.label == basis.plain_name


def test_the_default_period_is_the_last_twelve_months_this_one_included():
    assert default_period(on=datetime.date(2026, 6, 17)) == (datetime.date(2025, 7, 1), datetime.date(2026, 6, 17))
    assert default_period(on=datetime.date(2026, 1, 31)) == (datetime.date(2025, 2, 1), datetime.date(2026, 1, 31))
    assert timezone.localdate() == TODAY
