"""Organisation assurance in Chromium (issue 17, item 5; decision 0063): the owner's governance
manager records its DSPT status (first with a bad ODS code and a missing date, then correctly),
sees the lapsed tag on the agreement's parties table, and acts for a partner with nobody to
administer it. axe on every page; the changed pages do not scroll sideways at 320 px."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from .helpers import check_page, fits_narrow, sign_in_browser


def row_of(page, organisation: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(organisation)))


def fits_320(page) -> None:
    fits_narrow(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_governance_manager_records_assurance_and_acts_for_a_partner(page, live_server, roles):
    published = timezone.localdate().replace(day=1).replace(year=timezone.localdate().year - 2)
    sign_in_browser(page, live_server, roles.governance_manager)

    page.goto(f"{live_server.url}/partners/{roles.owner.pk}/edit/")
    page.get_by_label("ODS code").fill("R-1")
    page.get_by_label("Data Security and Protection Toolkit (DSPT) status").select_option(label="Standards met")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an ODS code in the correct format")
    expect(summary).to_contain_text("Enter the date the DSPT status was published.")
    check_page(page)
    fits_320(page)

    page.get_by_label("ODS code").fill("rgt")
    date = page.get_by_role("group", name=re.compile("DSPT publication date"))
    date.get_by_label("Day").fill(str(published.day))
    date.get_by_label("Month").fill(str(published.month))
    date.get_by_label("Year").fill(str(published.year))
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("RGT")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Standards met, published")
    expect(page.locator(".govuk-tag", has_text="DSPT lapsed")).to_be_visible()
    check_page(page)

    page.goto(f"{live_server.url}/agreements/{roles.agreement.pk}/parties/")
    owner_row = row_of(page, "Borsetshire County Council")
    expect(owner_row.locator("strong.govuk-tag", has_text="DSPT lapsed")).to_be_visible()
    expect(row_of(page, "Borsetshire Police").locator("strong.govuk-tag", has_text="lapsed")).to_have_count(0)
    check_page(page)
    fits_320(page)

    # The police have nobody to administer them in the portal: the owner acts for them.
    page.get_by_role("link", name=re.compile("^Act for it")).click()
    check_page(page, heading="Act for Borsetshire Police")
    fits_320(page)
    page.get_by_role("button", name="Act for Borsetshire Police").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You now act for Borsetshire Police.")
    expect(row_of(page, "Borsetshire Police")).to_contain_text("Acted for by")
    check_page(page)
