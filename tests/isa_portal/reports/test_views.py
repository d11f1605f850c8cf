"""The reports page (issue 16, item 1): charts drawn on the server as SVG, each named and with its
data table; filtered by agreement and period; counting only what the viewer may see; small
counts suppressed.

The clock is pinned on Wednesday 17 June 2026: the default period is 1 July 2025 to 17 June 2026.
"""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from agreements.models import Status
from sharing_log.models import Decision
from sharing_log.services import disclosure_void
from tests.auth import sign_in
from tests.factories import AgreementFactory, DisclosureFactory, LegalGatewayFactory, PartyFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED, tick=False)]
URL = reverse("reports:dashboard")


def shares(roles, count: int, *, month: int, year: int = 2026, basis=None, agreement=None, **fields):
    fields.setdefault("art6_basis", basis or LegalGatewayFactory(art6=True))
    return [
        DisclosureFactory(
            agreement=agreement or roles.agreement, disclosing_organisation=roles.owner,
            recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
            occurred_at=datetime.datetime(year, month, 10, 12, tzinfo=LONDON), **fields,
        )
        for _ in range(count)
    ]


def table_after(html: str, caption: str) -> str:
    start = html.index(f">{caption}")
    return html[start:html.index("</table>", start)]


def row_cells(table: str, header: str) -> list[str]:
    row = re.search(rf'<th scope="row" class="govuk-table__header">{re.escape(header)}</th>(.*?)</tr>', table, re.S)
    assert row, header
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_a_governance_manager_reads_every_section_each_chart_an_image_with_a_name_and_a_table(client, roles):
    basis = LegalGatewayFactory(art6=True)
    shares(roles, 12, month=3, basis=basis)
    shares(roles, 7, month=4, basis=basis)
    sign_in(client, roles.governance_manager)

    html = client.get(URL).content.decode()

    charts = re.findall(r'<svg class="app-chart__svg app-chart__svg--wide" role="img" '
                        r'aria-labelledby="([\w-]+)-title \1-desc"', html)
    narrow = re.findall(r'<svg class="app-chart__svg app-chart__svg--narrow" role="img" '
                        r'aria-labelledby="([\w-]+)-title \1-desc"', html)
    assert narrow == [f"{chart}-narrow" for chart in charts]
    # The cast's agreement is past its review date: the review overdue is charted too.
    assert charts == ["chart-months", "chart-partner", "chart-basis", "chart-decision", "chart-category",
                      "chart-signatures", "chart-reviews"]
    for chart in charts:
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    for heading in ("The sharing log", "Signatures", "Reviews overdue", "Breach deadlines"):
        assert f">{heading}</h2>" in html
    months = table_after(html, "Entries per month</caption>")
    assert row_cells(months, "Mar 2026") == ["12"] and row_cells(months, "Apr 2026") == ["7"]
    assert row_cells(months, "All months") == ["19"]
    decisions = table_after(html, "Entries by decision, month by month")
    assert row_cells(decisions, "Shared")[-1] == "19"
    signatures = table_after(html, "Signatures of each agreement&#x27;s latest version")
    link = reverse("agreements:signatures", args=[roles.agreement.pk])
    assert row_cells(signatures, f'<a class="govuk-link" href="{link}">{roles.agreement}</a>') == [
        "2", "0", "0", "0", "100%"]
    assert 'href="/reports/"' in html.split("</header>", 1)[0]  # in the service navigation


def test_small_counts_read_fewer_than_5_and_the_total_does_not_give_them_away(client, roles):
    basis = LegalGatewayFactory(art6=True)
    shares(roles, 3, month=3, basis=basis)
    shares(roles, 9, month=3, basis=basis, decision=Decision.NOT_SHARED, art6_basis=None,
           decision_reason="Not necessary.", data_categories=[], consent_status="", subject_informed="")
    sign_in(client, roles.governance_manager)

    html = client.get(URL).content.decode()

    decisions = table_after(html, "Entries by decision, month by month")
    march = 8  # July 2025 .. June 2026: March is the ninth column
    shared, not_shared = row_cells(decisions, "Shared"), row_cells(decisions, "Decided not to share")
    assert shared[march] == "fewer than 5"
    # The month's 12 would give the 3 away as 12 - 9: the 9 is withheld (or the 12).
    assert "withheld" in (not_shared[march], row_cells(decisions, "All entries")[march])
    assert ">3<" not in decisions and ">3 " not in decisions
    assert "fewer than 5" in html.split('id="chart-decision-title"', 1)[1].split("</svg>", 1)[0]


def test_the_figures_count_only_what_the_viewer_may_see_and_never_the_voided(client, roles):
    basis = LegalGatewayFactory(art6=True)
    mine = shares(roles, 6, month=5, basis=basis)
    disclosure_void(disclosure=mine[0], by_user=roles.practitioner, reason="Logged against the wrong case.")
    # The unrelated organisation's own entries: the owner's governance manager sees none of them.
    landlord = PartyFactory(agreement=roles.unrelated_agreement, signed=True).organisation
    for _ in range(8):
        DisclosureFactory(agreement=roles.unrelated_agreement, disclosing_organisation=roles.unrelated_organisation,
                          recipient_organisation=landlord, disclosed_by=roles.unrelated, art6_basis=basis,
                          occurred_at=datetime.datetime(2026, 5, 11, 9, tzinfo=LONDON))

    sign_in(client, roles.governance_manager)
    mine_html = client.get(URL).content.decode()
    sign_in(client, roles.unrelated)
    theirs_html = client.get(URL).content.decode()

    assert row_cells(table_after(mine_html, "Entries per month</caption>"), "May 2026") == ["5"]
    assert row_cells(table_after(theirs_html, "Entries per month</caption>"), "May 2026") == ["8"]
    assert "Borsetshire County Council" not in table_after(theirs_html, "Entries by the partner that shared or "
                                                                        "decided, month by month")


def test_the_agreement_and_period_narrow_the_figures(client, roles):
    basis = LegalGatewayFactory(art6=True)
    other = AgreementFactory(owner=roles.owner, in_force=True, title="Borsetshire Youth Offending ISA")
    PartyFactory(agreement=other, organisation=roles.owner, signed=True)
    PartyFactory(agreement=other, organisation=roles.partner, signed=True)
    shares(roles, 6, month=2, basis=basis)
    shares(roles, 7, month=2, basis=basis, agreement=other)
    shares(roles, 5, month=1, year=2025, basis=basis)
    sign_in(client, roles.governance_manager)

    html = client.get(URL, {"agreement": other.pk, "date_from": "1/1/2026", "date_to": "28/2/2026"}).content.decode()

    months = table_after(html, "Entries per month</caption>")
    assert row_cells(months, "Jan 2026") == ["0"] and row_cells(months, "Feb 2026") == ["7"]
    assert row_cells(months, "All months") == ["7"]
    assert "Showing 1 January 2026 to 28 February 2026, Borsetshire Youth Offending ISA" in html

    earlier = client.get(URL, {"date_from": "1/1/2025", "date_to": "31/1/2025"}).content.decode()
    assert row_cells(table_after(earlier, "Entries per month</caption>"), "Jan 2025") == ["5"]


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"date_from": "31/3/2026", "date_to": "1/3/2026"}, "date_to",
     "The date to must be the same as or after the date from"),
    ({"date_from": "1/1/2020", "date_to": "1/1/2026"}, "date_to", "The period must be 36 months or shorter"),
    ({"date_from": "31/2/2026"}, "date_from", "Enter the date from as a real date, for example 1/1/2026"),
    ({"agreement": "999999"}, "agreement", "Select an agreement from the list"),
])
def test_a_bad_period_shows_the_error_summary_and_the_last_twelve_months(client, roles, params, field, message):
    sign_in(client, roles.governance_manager)

    response = client.get(URL, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="govuk-error-summary"' in html
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert "<title>Error: Reports – ISA Portal</title>" in html
    assert "Showing 1 July 2025 to 17 June 2026, every agreement." in html


def test_a_draft_is_not_offered_and_another_organisations_agreement_is_refused(client, roles):
    sign_in(client, roles.governance_manager)

    page = client.get(URL).content.decode()
    refused = client.get(URL, {"agreement": roles.unrelated_agreement.pk}).content.decode()

    assert roles.draft.status == Status.DRAFT and f'value="{roles.draft.pk}"' not in page
    assert "Select an agreement from the list" in refused


@pytest.mark.parametrize(("subject", "headings"), [
    ("practitioner", ["The sharing log"]),
    ("spoc", ["The sharing log", "Breach deadlines"]),
    ("auditor", ["The sharing log", "Breach deadlines"]),
    ("governance_manager", ["The sharing log", "Signatures", "Reviews overdue", "Breach deadlines"]),
])
def test_each_role_sees_the_sections_it_may_read(client, roles, subject, headings):
    sign_in(client, roles.subject(subject))

    html = client.get(URL).content.decode()

    assert re.findall(r'<h2 class="govuk-heading-l[^"]*">([^<]+)</h2>', html) == headings
    assert 'href="/reports/"' in html.split("</header>", 1)[0]


@pytest.mark.parametrize("subject", ["lead_signatory", "admin"])
def test_those_with_nothing_to_report_get_403_and_no_link(client, roles, subject):
    sign_in(client, roles.subject(subject))

    assert client.get(URL).status_code == 403
    assert 'href="/reports/"' not in client.get(reverse("home")).content.decode()


def test_a_handful_of_entries_spread_thin_is_not_broken_down(client, roles):
    # One entry in each of four months, under one partner, basis and decision: each month's 1 and
    # the period's 4 are all "fewer than 5", and the months' cells would each be 1.
    basis = LegalGatewayFactory(art6=True)
    for month in (1, 2, 3, 4):
        shares(roles, 1, month=month, basis=basis)
    sign_in(client, roles.governance_manager)

    html = client.get(URL).content.decode()

    assert "Fewer than 5 entries in the period: too few, and spread too thinly, to break down" in html
    assert 'id="chart-months-title"' not in html
