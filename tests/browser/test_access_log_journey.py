"""The access log in real Chromium: the partner's practitioner opens an entry and is refused another
organisation's; the partner's auditor finds both on the access log (Partners › Access log), by
user number and route, never by name or case reference, and filters it to refusals. axe-core
checks the page."""

import pytest
from playwright.sync_api import expect

from partners.models import Role
from tests.factories import DisclosureFactory

from .helpers import check_page, sign_in_browser

pytestmark = pytest.mark.browser


def test_an_auditor_reads_who_opened_their_organisations_entry_and_who_was_refused(page, live_server, roles):
    entry = roles.disclosure
    elsewhere = DisclosureFactory(agreement=roles.unrelated_agreement,
                                  disclosing_organisation=roles.unrelated_organisation)
    reader = roles.member(roles.partner, Role.PRACTITIONER, username="hero-reader", first_name="Hermione",
                          last_name="Access")

    sign_in_browser(page, live_server, reader, next_path=f"/log/{entry.pk}/")
    expect(page.get_by_text(entry.case_reference).first).to_be_visible()
    page.goto(f"{live_server.url}/log/{elsewhere.pk}/")
    page.context.clear_cookies()

    sign_in_browser(page, live_server, roles.auditor, next_path="/partners/")
    page.get_by_role("link", name="Access log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access log")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Sharing log entry opened")
    expect(table).to_contain_text(f"User {reader.pk}")
    expect(table).not_to_contain_text(entry.case_reference)
    expect(table).not_to_contain_text("Hermione")
    check_page(page)

    page.get_by_text("Filter the access log").click()
    page.get_by_label("What happened").select_option(label="Access refused")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Refused 404")
    expect(rows.first).to_contain_text("sharing_log:detail")
    check_page(page)
