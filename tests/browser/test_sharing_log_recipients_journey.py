"""Onward disclosure and data-quality correction in real Chromium (001 §5.6–5.7).

The recipient's SPOC asks to pass an entry on to a third party in the directory, and the
originating SPOC gives consent. Then the entry's author marks it inaccurate, and both
organisations holding a copy — the recipient, and the third party it was passed on to — see it
and confirm, one that it corrected its copy, the other that it destroyed it. axe-core checks
every page on the way, error states and revealed questions included.
"""

import re

from playwright.sync_api import expect

from partners.models import Role, Sector
from sharing_log.models import Amendment, AmendmentKind, ConfirmationOutcome, OnwardDecision, OnwardDisclosureRequest
from sharing_log.models import RecipientDestructionConfirmation as Confirmation
from tests.factories import ContactFactory, DisclosureFactory, OrganisationFactory

from .helpers import check_page, sign_in_browser

WRONG = "The tenancy end date was wrong: the tenancy continues."



def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_an_entry_is_passed_on_with_consent_and_its_correction_reaches_every_recipient(page, live_server, roles):
    youth = OrganisationFactory(name="Borsetshire Youth Offending Service", sector=Sector.OTHER)
    youth_spoc = roles.member(youth, Role.SPOC, username="youth-spoc")
    owner_spoc = roles.member(roles.owner, Role.SPOC, username="owner-spoc")
    # Every SPOC here has a directory entry, so the notices reach them (issue 13, item 3).
    for person, organisation in ((roles.spoc, roles.partner), (youth_spoc, youth), (owner_spoc, roles.owner)):
        ContactFactory(organisation=organisation, user=person, name=person.get_full_name() or person.username)
    entry = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, case_reference="ASB-2026-0070",
    )
    entry_path = f"/log/{entry.pk}/"

    # The recipient's SPOC asks to pass it on: first with nothing chosen, to see the error summary.
    sign_in_browser(page, live_server, roles.spoc, next_path=entry_path)
    check_page(page)
    page.get_by_role("button", name="Ask to pass this on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask to pass this on")
    check_page(page)
    page.get_by_role("button", name="Ask for consent").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select whether the organisation is in the directory")
    expect(summary).to_contain_text("Give the purpose of passing it on")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    assert OnwardDisclosureRequest.objects.exists() is False

    organisation = page.get_by_label("Organisation", exact=True)
    expect(organisation).to_be_hidden()
    page.get_by_label("Yes", exact=True).check()
    expect(organisation).to_be_visible()
    organisation.select_option(label="Borsetshire Youth Offending Service")
    page.get_by_label("Why do you want to pass it on?").fill("To plan a joint visit with the youth offending team.")
    check_page(page)
    page.get_by_role("button", name="Ask for consent").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Consent to pass this on to Borsetshire Youth Offending Service asked of Borsetshire County Council"
    )
    expect(page.get_by_text("Awaiting decision")).to_be_visible()
    check_page(page)
    sign_out(page)

    # The originating SPOC finds the request and gives consent.
    sign_in_browser(page, live_server, owner_spoc, next_path="/log/pass-on/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests to pass information on")
    check_page(page)
    page.get_by_role("link", name=re.compile(f"decide on passing entry {entry.pk} on to")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "May Borsetshire Police pass this on to Borsetshire Youth Offending Service?"
    )
    check_page(page)
    page.get_by_label("Give consent").check()
    page.get_by_label("Your reason").fill("Necessary for the joint visit: pass on the risk summary only.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Consent to pass it on to Borsetshire Youth Offending Service given"
    )
    expect(page.get_by_text("Consent given", exact=True)).to_be_visible()
    check_page(page)
    assert OnwardDisclosureRequest.objects.get().decision == OnwardDecision.GRANTED
    sign_out(page)

    # The author marks the entry inaccurate: both organisations holding a copy are asked.
    sign_in_browser(page, live_server, roles.practitioner, next_path=entry_path)
    page.get_by_role("button", name="Mark as inaccurate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark as inaccurate")
    expect(page.get_by_text("Borsetshire Youth Offending Service, which it was passed on to with your consent")) \
        .to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Mark as inaccurate and tell recipients").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say what is wrong with the information that was shared"
    )
    check_page(page)
    page.get_by_label("What is wrong with the information that was shared?").fill(WRONG)
    page.get_by_role("button", name="Mark as inaccurate and tell recipients").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Entry marked inaccurate: 2 recipients asked to correct or destroy their copy"
    )
    expect(page.locator(".govuk-warning-text")).to_contain_text(WRONG)
    expect(page.get_by_text("Awaiting confirmation")).to_have_count(2)
    check_page(page)
    assert Amendment.objects.get(kind=AmendmentKind.INACCURATE).disclosure == entry
    sign_out(page)

    # Each recipient's SPOC sees it and confirms for its own organisation.
    for spoc, organisation, answer, outcome in (
        (roles.spoc, "Borsetshire Police", "We corrected our copy", ConfirmationOutcome.CORRECTED),
        (youth_spoc, "Borsetshire Youth Offending Service", "We destroyed our copy", ConfirmationOutcome.DESTROYED),
    ):
        sign_in_browser(page, live_server, spoc, next_path="/log/copies/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Copies to confirm")
        check_page(page)
        page.get_by_role("link", name=re.compile(f"confirm what {organisation} did with its copy")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Inaccurate information from Borsetshire County Council"
        )
        expect(page.get_by_text(WRONG)).to_be_visible()
        check_page(page)
        page.get_by_role("button", name="Confirm").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Select whether your organisation corrected or destroyed its copy"
        )
        check_page(page)
        page.get_by_label(answer).check()
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("alert")).to_contain_text(f"{organisation}'s copy confirmed")
        expect(page.get_by_text("Nothing is waiting for confirmation.")).to_be_visible()
        check_page(page)
        assert Confirmation.objects.get(organisation__name=organisation).outcome == outcome
        sign_out(page)

    # The author sees every recipient's answer beside the entry.
    sign_in_browser(page, live_server, roles.practitioner, next_path=entry_path)
    recipients = page.locator("table.govuk-table", has_text="How it received it")
    expect(recipients.locator("tbody tr")).to_have_count(2)
    expect(recipients).to_contain_text("Corrected")
    expect(recipients).to_contain_text("Destroyed")
    expect(page.get_by_text("Awaiting confirmation")).to_have_count(0)
    check_page(page)
