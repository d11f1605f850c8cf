"""The help page and the glossary in Chromium, signed out (issue 14, item 6): axe on both, a
term reached by its anchor, and the print stylesheet: on paper no navigation, footer, phase
banner or buttons, and each link in the content followed by its address."""

from playwright.sync_api import expect

from .helpers import check_page

AFTER = "el => getComputedStyle(el, '::after').content"


def test_a_visitor_reads_the_help_and_the_glossary_and_prints_them(page, live_server):
    page.goto(f"{live_server.url}/help/")
    check_page(page, heading="Help")

    page.get_by_role("link", name="legal gateway").first.click()
    expect(page).to_have_url(f"{live_server.url}/help/glossary/#legal-gateway")
    check_page(page, heading="Glossary")
    expect(page.locator("#legal-gateway")).to_have_text("Legal gateway")
    expect(page.locator("#legal-gateway")).to_be_in_viewport()

    page.emulate_media(media="print")
    for hidden in (".govuk-phase-banner", "footer", ".govuk-back-link"):
        expect(page.locator(hidden).first).to_be_hidden()
    within_page = page.locator("#main-content a[href='#article-6']").first
    assert within_page.evaluate(AFTER) == '""'  # a link within the page: no address after it
    page.goto(f"{live_server.url}/help/")
    register = page.locator("#main-content a[href='/register/']")
    assert register.evaluate(AFTER) == '" (/register/)"'
    page.emulate_media(media="screen")
    expect(page.locator("footer")).to_be_visible()
    assert register.evaluate(AFTER) == "none"
