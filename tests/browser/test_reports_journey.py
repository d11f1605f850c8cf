"""The reports in real Chromium (issue 16, item 1): a governance manager reads the dashboard, its
charts drawn as SVG on the server, each an image with a name and its table; axe-core finds
nothing, charts and opened tables included; the page does not scroll sideways at 320 px; a bad
period shows the error summary; and with JavaScript off the charts are all still there.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from sharing_log.models import Decision
from tests.factories import DisclosureFactory, LegalGatewayFactory, OrganisationFactory, PartyFactory

from .helpers import check_page, fits_narrow, sign_in_browser

PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = pytest.mark.pinned_clock(PINNED)

CHARTS = [
    "Entries per month, 1 July 2025 to 17 June 2026",
    "Entries by the partner that shared or decided, 1 July 2025 to 17 June 2026",
    "Entries by lawful basis, 1 July 2025 to 17 June 2026",
    "Entries by decision, 1 July 2025 to 17 June 2026",
    "Entries by data category, 1 July 2025 to 17 June 2026",
    "Signatures of each agreement's latest version",
]


def log_some(roles):
    basis = LegalGatewayFactory(art6=True, title="Public task")
    # A partner with a long name, so the labels are tested for width too.
    long_named = PartyFactory(agreement=roles.agreement, signed=True, organisation=OrganisationFactory(
        name="Borsetshire and Felpersham Integrated Care Board (Mental Health Services)")).organisation
    # The owner's shares with the police, and the ICB's with the owner: the owner's governance
    # manager sees both.
    between = [{"disclosing_organisation": long_named, "recipient_organisation": roles.owner}, {
        "disclosing_organisation": roles.owner, "recipient_organisation": roles.partner,
        "disclosed_by": roles.practitioner}]
    for month, count in ((1, 14), (2, 3), (3, 22), (4, 8)):
        for number in range(count):
            DisclosureFactory(
                agreement=roles.agreement, **between[bool(number % 3)], art6_basis=basis,
                occurred_at=datetime.datetime(2026, month, 5 + number % 20, 11, tzinfo=PINNED.tzinfo),
                data_categories=["identity", "asb"] if number % 2 else ["housing"],
                special_categories=["health"] if number % 5 == 0 else [],
            )
    for _ in range(6):
        DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
            disclosed_by=roles.spoc, decision=Decision.NOT_SHARED, decision_reason="Not necessary.", art6_basis=None,
            data_categories=[], consent_status="", subject_informed="",
            occurred_at=datetime.datetime(2026, 3, 12, 11, tzinfo=PINNED.tzinfo),
        )


def open_every_details(page):
    page.locator("details").evaluate_all("(all) => all.forEach((details) => { details.open = true; })")


def wide_chart(page, name: str):
    """The chart called ``name`` as drawn for a wide screen. Its narrow twin has the same name and
    is hidden by the stylesheet, but only once the stylesheet applies: a locator by name alone can
    meet both while a new page is still loading its CSS."""
    return page.get_by_role("img", name=name).and_(page.locator(".app-chart__svg--wide"))


def test_governance_manager_reads_the_reports_axe_clean_and_320_pixels_wide(page, live_server, roles):
    log_some(roles)
    sign_in_browser(page, live_server, roles.governance_manager, next_path="/reports/")

    check_page(page, heading="Reports")
    for name in CHARTS:
        expect(wide_chart(page, name)).to_be_visible()
    expect(page.get_by_role("link", name="Reports")).to_have_attribute("aria-current", "true")
    # A chart's table, in its details: opened, it reads the figures, suppressed ones as such.
    page.get_by_text("Entries per month as a table").click()
    months = page.get_by_role("table", name="Entries per month")
    expect(months.get_by_role("row", name="Mar 2026")).to_contain_text("28")
    expect(months.get_by_role("row", name="All months")).to_contain_text("53")
    page.get_by_text("Entries by decision as a table").click()
    decisions = page.get_by_role("table", name="Entries by decision, month by month")
    expect(decisions.get_by_role("row", name="Decided not to share")).to_contain_text("6")
    expect(page.get_by_text("fewer than 5").first).to_be_attached()
    open_every_details(page)
    check_page(page)

    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    open_every_details(page)
    fits_narrow(page)  # waits for tables.js to stack the tables
    check_page(page)

    # A bad period: the error summary, the field, and the last twelve months still shown.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("textbox", name="From").fill("31/3/2026")
    page.get_by_role("textbox", name="To").fill("1/3/2026")
    page.get_by_role("button", name="Show the figures").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date to must be the same as or after the date from")
    expect(page).to_have_title("Error: Reports – ISA Portal")
    expect(page.get_by_text("Showing 1 July 2025 to 17 June 2026, every agreement.")).to_be_visible()
    check_page(page)

    # A good one narrows the charts.
    page.get_by_role("textbox", name="From").fill("1/3/2026")
    page.get_by_role("textbox", name="To").fill("31/3/2026")
    page.get_by_role("button", name="Show the figures").click()
    expect(wide_chart(page, "Entries per month, 1 March 2026 to 31 March 2026")).to_be_visible()
    check_page(page)


def test_the_charts_need_no_javascript(browser, live_server, roles):
    log_some(roles)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_browser(page, live_server, roles.governance_manager, next_path="/reports/")
        for name in CHARTS:
            expect(wide_chart(page, name)).to_be_visible()
        bars = page.locator("svg.app-chart__svg rect[height='22']")
        assert bars.count() > 10
    finally:
        context.close()
