"""Browsing journeys: a governance manager finds the agreement that cites repealed law and reads
its history, and pages through a long history and the directory; a SPOC confirms their directory
details are current. axe checks every page."""

import re

from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from agreements.models import ContactRole
from agreements.services import party_contact_add
from partners.models import Sector
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    LegalGatewayFactory,
    OrganisationFactory,
    PartyFactory,
    SectionFactory,
)

from .helpers import check_page, sign_in_browser


def haringey_like_agreement(roles):
    """An agreement in force that still cites the Data Protection Act 1998 (as seed 002 does)."""
    dpa2018 = LegalGatewayFactory(
        key="dpa-2018-s8", instrument="Data Protection Act 2018", provision="s8",
        title="Lawfulness of processing: public interest",
    )
    dpa1998 = LegalGatewayFactory(repealed=True, replaced_by=dpa2018, summary="Disclosure to prevent crime.")
    agreement = AgreementFactory(
        title="Borsetshire Children and Young People's Information Sharing Protocol", reference="BCYP ISP",
        owner=roles.owner, in_force=True, gateways=[dpa1998, LegalGatewayFactory(art6=True)],
    )
    PartyFactory(agreement=agreement, organisation=roles.owner, signed=True)
    partner = PartyFactory(agreement=agreement, organisation=roles.partner, signed=True)
    spoc = ContactFactory(organisation=roles.partner, name="Ali Brook", job_title="Partnership analyst")
    party_contact_add(party=partner, contact=spoc, role=ContactRole.SPOC)
    return agreement


def test_governance_manager_finds_the_agreement_citing_repealed_law_and_reads_its_history(page, live_server, roles):
    manager = roles.governance_manager
    agreement = haringey_like_agreement(roles)
    section = SectionFactory(agreement=agreement, number="5", heading="Consent", body="Consent is sought first.")
    # The governance manager's own change, as their signed-in request would record it.
    section._history_user = manager
    section.heading = "Consent and when it is not sought"
    section.save()

    sign_in_browser(page, live_server, manager, next_path="/agreements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements")
    expect(page.get_by_role("heading", name="3 agreements")).to_be_visible()
    check_page(page)

    # Filter: only the agreement that cites repealed law; the filter stays in the address.
    page.get_by_label("Cites repealed or superseded law").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"cites_repealed_law=on"))
    expect(page.get_by_role("heading", name="1 agreement matches your filters")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link")).to_have_text([agreement.title])
    expect(table).to_contain_text("Cites repealed law")
    check_page(page)

    # A bad filter value in the address: a GOV.UK error, the page still works.
    page.goto(f"{live_server.url}/agreements/?status=lost&cites_repealed_law=on")
    expect(page).to_have_title("Error: Agreements – ISA Portal")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a status from the list.")
    check_page(page)
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("heading", name="3 agreements")).to_be_visible()
    page.get_by_label("Cites repealed or superseded law").check()
    page.get_by_role("button", name="Apply filters").click()

    # The agreement: the warning names the law that replaced the repealed one.
    page.get_by_role("link", name=agreement.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(agreement.title)
    warning = page.locator(".govuk-warning-text")
    expect(warning).to_contain_text("This agreement cites Data Protection Act 1998 s29, which has been repealed.")
    expect(warning).to_contain_text("It is replaced by Data Protection Act 2018 s8")
    # Its parties are summarised here and listed on their own page (issue 14).
    page.get_by_role("link", name="See every party, with its SPOCs and lead signatory").click()
    parties = page.get_by_role("table", name=re.compile("Every party"))
    expect(parties.get_by_role("row", name=re.compile("Borsetshire Police"))).to_contain_text("Ali Brook")
    page.go_back()
    page.get_by_text("5. Consent and when it is not sought").click()  # a section opens
    expect(page.get_by_text("Consent is sought first.")).to_be_visible()
    check_page(page)

    # Its history: the change the governance manager made, field by field.
    page.get_by_role("navigation", name="Agreement pages").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History")
    expect(page.get_by_role("link", name="History")).to_have_attribute("aria-current", "page")
    latest = page.locator(".moj-timeline__item").first
    expect(latest.get_by_role("heading")).to_have_text("Section 5. Consent and when it is not sought changed")
    expect(latest).to_contain_text(f"by {manager.get_full_name()}")
    expect(latest).to_contain_text("Heading changed from “Consent” to “Consent and when it is not sought”")
    check_page(page)


def test_history_and_directory_a_page_at_a_time_filtered_without_javascript(page, live_server, roles):
    manager = roles.governance_manager
    agreement = AgreementFactory(title="Felpersham Youth Offending ISA", owner=roles.owner)
    for number in range(1, 31):
        SectionFactory(agreement=agreement, number=str(number), heading=f"Heading {number}")
    PartyFactory(agreement=agreement, organisation=roles.partner)
    for number in range(1, 31):
        OrganisationFactory(name=f"Felpersham Partner {number:02d}")

    # The history: 32 changes, newest first, 25 a page; the page count in the title.
    sign_in_browser(page, live_server, manager, next_path=f"/agreements/{agreement.pk}/history/")
    expect(page).to_have_title("History (page 1 of 2) – Felpersham Youth Offending ISA – ISA Portal")
    expect(page.get_by_role("heading", name="32 changes, showing 1 to 25")).to_be_visible()
    expect(page.locator(".moj-timeline__item")).to_have_count(25)
    check_page(page)
    pages = page.get_by_role("navigation", name="Pages of the history")
    pages.get_by_role("link", name="Next page").click()
    expect(page).to_have_title("History (page 2 of 2) – Felpersham Youth Offending ISA – ISA Portal")
    expect(page.locator(".moj-timeline__item").last.get_by_role("heading")).to_have_text("Agreement created")
    check_page(page)

    # One kind of change: the GET form keeps it in the address and starts again at page 1.
    page.get_by_label("Show changes to").select_option(label="Parties")
    page.get_by_role("button", name="Show changes").click()
    expect(page).to_have_url(re.compile(r"\?kind=parties$"))
    expect(page.get_by_role("heading", name="1 change to parties")).to_be_visible()
    headings = page.locator(".moj-timeline__item").get_by_role("heading")
    expect(headings).to_have_text(["Party Borsetshire Police created"])
    check_page(page)

    # The directory: 25 organisations a page; a search narrows it, and says when nothing matches.
    page.goto(f"{live_server.url}/partners/")
    expect(page).to_have_title(re.compile(r"^Partners \(page 1 of 2\) – ISA Portal$"))
    page.get_by_role("navigation", name="Pages of organisations").get_by_role("link", name="Page 2").click()
    expect(page).to_have_title(re.compile(r"^Partners \(page 2 of 2\) – ISA Portal$"))
    check_page(page)
    page.get_by_label("Organisation name or ICO registration number").fill("Felpersham Partner 1")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="10 organisations match your filters")).to_be_visible()
    expect(page.get_by_role("navigation", name="Pages of organisations")).to_have_count(0)
    page.get_by_label("Organisation name or ICO registration number").fill("Ambridge")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No organisations match your filters.")).to_be_visible()
    check_page(page)


def test_spoc_confirms_their_details_are_current_and_sees_the_date(page, live_server, roles):
    spoc = roles.spoc
    ContactFactory(organisation=roles.partner, user=spoc, name="Ali Brook", job_title="Partnership analyst")
    ContactFactory(organisation=roles.partner, name="Sam Hale", job_title="Duty inspector")

    sign_in_browser(page, live_server, spoc, next_path="/partners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners")
    check_page(page)
    page.get_by_label("Sector").select_option(label="Police")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 organisation matches your filters")).to_be_visible()
    page.get_by_role("link", name="Borsetshire Police").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Borsetshire Police")
    own_row = page.get_by_role("row", name=re.compile("Ali Brook"))
    expect(own_row).to_contain_text("Never")
    expect(page.get_by_role("row", name=re.compile("Sam Hale")).get_by_role("button")).to_have_count(0)
    check_page(page)

    # A mistake first: changing their details without a name.
    own_row.get_by_role("link", name="Change your details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your details")
    check_page(page)
    page.get_by_label("Full name").fill("")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(["Enter the person’s full name."])
    check_page(page)
    page.get_by_role("link", name="Back to Borsetshire Police").click()

    # Then the confirmation itself: the date is kept and shown.
    page.get_by_role("row", name=re.compile("Ali Brook")).get_by_role(
        "button", name="Confirm my details are current",
    ).click()
    today = date_format(timezone.localdate(), "j F Y")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You confirmed your details are current on {today}.",
    )
    expect(page.get_by_role("row", name=re.compile("Ali Brook"))).to_contain_text(today)
    check_page(page)


def test_governance_manager_keeps_the_ico_registration_current(page, live_server, roles):
    manager = roles.governance_manager

    sign_in_browser(page, live_server, manager, next_path=roles.owner.get_absolute_url())
    page.get_by_role("link", name="Change the organisation’s details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the organisation’s details")
    check_page(page)

    page.get_by_label("ICO registration number").fill("za123456")
    renewal = page.get_by_role("group", name="ICO registration renewal date")
    renewal.get_by_label("Day").fill("31")
    renewal.get_by_label("Month").fill("2")
    renewal.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(["The renewal date must be a real date"])
    check_page(page)
    summary.get_by_role("link").click()
    expect(renewal.get_by_label("Day")).to_be_focused()

    renewal.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Borsetshire County Council’s details have been updated.",
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("ZA123456")
    expect(page.locator(".govuk-summary-list")).to_contain_text("28 February 2027")
    check_page(page)

    page.get_by_role("link", name="See their roles in agreements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roles in agreements")
    check_page(page)


def test_governance_manager_adds_a_partner_after_checking_the_near_matches(page, live_server, roles):
    OrganisationFactory(name="South Cambridgeshire District Council", sector=Sector.DISTRICT_COUNCIL)

    sign_in_browser(page, live_server, roles.governance_manager, next_path="/partners/")
    page.get_by_role("button", name="Add an organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an organisation")
    check_page(page)

    page.get_by_role("button", name="Add organisation").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text([
        "Enter the organisation’s name.", "Select the sector.",
    ])
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)

    page.get_by_label("Name", exact=True).fill("South Cambridgeshire Council")
    page.get_by_label("Sector").select_option(label="District council")
    page.get_by_label("Main phone number").fill("01954 713 000")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "The directory already has 1 organisation with a name like “South Cambridgeshire Council”",
    )
    expect(page.locator("#near-matches").get_by_role("link")).to_have_text(["South Cambridgeshire District Council"])
    check_page(page)

    page.get_by_role("button", name="It is a different organisation: add it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("South Cambridgeshire Council")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "South Cambridgeshire Council has been added to the directory.",
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("01954 713 000")
    check_page(page)

    # Nobody from it is in the portal yet: the governance manager keeps its record, and records
    # that it ceased and which body took on its work.
    page.get_by_role("link", name="Change the organisation’s details").click()
    ceased = page.get_by_role("group", name="Ceased on")
    ceased.get_by_label("Day").fill("31")
    ceased.get_by_label("Month").fill("3")
    ceased.get_by_label("Year").fill("2026")
    page.get_by_label("Organisation that took on its work").select_option(label="South Cambridgeshire District Council")
    check_page(page)
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "This organisation ceased to exist on 31 March 2026. Its work passed to South Cambridgeshire District Council.",
    )
    check_page(page)
