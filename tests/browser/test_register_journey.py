"""The public register in Chromium, signed out: the list of agreements in force, an agreement's
page with its privacy-notice paragraph, and its PDF. axe on every page."""

from playwright.sync_api import expect

from .helpers import check_page


def test_a_visitor_who_is_not_signed_in_reads_the_public_register(page, live_server, roles):
    page.goto(f"{live_server.url}/register/")
    check_page(page, heading="Register of information sharing agreements")
    expect(page.get_by_role("link", name=roles.draft.title)).to_have_count(0)

    page.get_by_role("link", name=roles.agreement.title).click()
    check_page(page, heading=roles.agreement.title)
    expect(page.locator("#privacy-notice-text")).to_contain_text("Information Commissioner's Office")
    expect(page.locator("#privacy-notice-text")).to_contain_text(roles.owner.name)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this register entry (PDF)").click()
    assert download.value.suggested_filename.endswith("-register-entry.pdf")
