"""Issue 14, item 3 in Chromium: an agreement with forty parties. Its page summarises them; the
parties page sorts them (MOJ sortable table) and filters them (a GET form); the signatures page
leads with whom to chase, and a reminder is sent once — then the page says when, instead of the
button. axe on every page."""

import re

from playwright.sync_api import expect

from agreements.models import Agreement, ContactRole, Party, PartyStatus, Status
from agreements.services import agreement_version_create, party_contact_add, signature_record_paper
from tests.factories import ContactFactory, OrganisationFactory, PartyFactory

from .helpers import check_page, sign_in_browser

PARISHES = [f"Parish Council {number:02d}" for number in range(1, 39)]


def organisations(page) -> list[str]:
    """The organisations in the sortable table, top to bottom."""
    return [name.strip() for name in page.locator("table[data-module=moj-sortable-table] tbody th").all_inner_texts()]


def test_forty_parties_summarised_sorted_filtered_and_chased(page, live_server, roles):
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    signature_record_paper(party=roles.owner_party, version=version, signatory_name="Kit Manager")
    for name in PARISHES:
        PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name=name))
    spoc = ContactFactory(organisation=roles.partner, name="Riley Example", email="riley@police.example")
    party_contact_add(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)
    base = f"{live_server.url}/agreements/{roles.agreement.pk}"

    sign_in_browser(page, live_server, roles.governance_manager)
    page.goto(f"{base}/")
    check_page(page)
    expect(page.locator("#parties").locator("xpath=..")).to_contain_text("1 of 40 parties have signed version 1.0")
    expect(page.get_by_role("columnheader", name="Lead signatory")).to_have_count(0)  # no parties table

    # The parties page: sorted by organisation, then the other way with one click; filtered.
    page.get_by_role("link", name="See every party, with its SPOCs and lead signatory").click()
    check_page(page, heading="Parties")
    names = organisations(page)
    assert len(names) == 40 and names == sorted(names)
    page.locator("table[data-module=moj-sortable-table] thead").get_by_role("button", name="Organisation").click()
    expect(page.locator("table[data-module=moj-sortable-table] thead th").first).to_have_attribute(
        "aria-sort", "descending",
    )
    assert organisations(page) == sorted(names, reverse=True)
    page.get_by_label("Organisation").fill("police")
    page.get_by_role("button", name="Filter parties").click()
    expect(page).to_have_url(re.compile(r"\?search=police"))
    assert organisations(page) == ["Borsetshire Police"]
    check_page(page)

    # The signatures page leads with whom to chase; one reminder, then the date instead.
    page.goto(f"{base}/signatures/")
    check_page(page, heading="Signatures")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings.index("Parties to chase") < headings.index("All parties")
    page.get_by_role("button", name="Send a reminder to Borsetshire Police").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        re.compile(r"A reminder was sent to Borsetshire Police on \d{1,2} \w+ \d{4}\."),
    )
    expect(page.get_by_role("button", name="Send a reminder to Borsetshire Police")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Borsetshire Police").first).to_contain_text(
        "A reminder was sent to Borsetshire Police on",
    )
    check_page(page)

    page.get_by_label("Status").select_option(label="Invited")
    page.get_by_role("button", name="Filter parties").click()
    assert len(organisations(page)) == 39
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these parties and their signatures as CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    check_page(page)
