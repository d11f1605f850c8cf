"""Search in real Chromium (issue 16 item 4; docs/decisions/0059): a practitioner opens Search
from the header, finds agreements, organisations and contacts, and an entry by its case reference;
each result opens its page; axe-core finds nothing; nothing scrolls sideways at 320 px; a search
too long shows the error summary.
"""

from playwright.sync_api import expect

from tests.factories import ContactFactory, DisclosureFactory

from .helpers import check_page, fits_narrow, sign_in_browser


def test_a_practitioner_searches_axe_clean_and_320_pixels_wide(page, live_server, roles):
    ContactFactory(organisation=roles.partner, name="Imogen Borsetshire-Thistlewood",
                   job_title="Community safety partnership analyst for the whole of Borsetshire",
                   email="imogen.thistlewood.community.safety@borsetshire-police.example")
    DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                      recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                      case_reference="ASB-2026-0042")
    # A name long enough that at 320 px "Sign out" wraps below "Search" and the name.
    roles.practitioner.first_name, roles.practitioner.last_name = "Jessamine", "Fitzwilliam"
    roles.practitioner.save(update_fields=["first_name", "last_name"])
    sign_in_browser(page, live_server, roles.practitioner)

    page.get_by_role("banner").get_by_role("link", name="Search").click()
    check_page(page, heading="Search")
    box = page.get_by_role("searchbox", name="Search agreements, organisations, contacts, legal gateways and "
                                             "sharing log case references")
    box.fill("Borsetshire")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Agreements 2 found")).to_be_visible()
    expect(page.get_by_role("link", name="Borsetshire Police", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Imogen Borsetshire-Thistlewood")).to_be_visible()
    check_page(page)

    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    fits_narrow(page)
    check_page(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name=roles.agreement.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(roles.agreement.title)

    page.goto(f"{live_server.url}/search/?q=asb-2026-0042")
    check_page(page)
    expect(page.get_by_role("searchbox")).to_have_attribute("maxlength", "200")
    page.get_by_role("link", name="Case ASB-2026-0042").click()
    expect(page).to_have_url(f"{live_server.url}/log/{roles.agreement.disclosures.get().pk}/")

    # The box stops at 200 characters; a longer search can come only from an address.
    page.goto(f"{live_server.url}/search/?q={'Borsetshire+' * 20}")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Search must be 200 characters or fewer")
    expect(page).to_have_title("Error: Search – ISA Portal")
    check_page(page)
