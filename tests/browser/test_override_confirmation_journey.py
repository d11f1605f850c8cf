"""An override of a refusal of consent confirmed by a designated manager, in Chromium (issue 13;
DOMAIN.md rule 2, 002 §4.6–4.7, decision 0033): the county council's practitioner logs a share
overriding a refusal of consent, choosing one of the council's designated managers for the
agreement from the list; the entry shows it awaiting their confirmation; the designated manager
signs in, is told by a notification, finds it on "What's due", submits the confirmation page
without the tick (GOV.UK error summary, nothing saved), then confirms; the entry shows who confirmed
and when. axe on every page, error states included."""

import re

from playwright.sync_api import expect

from govuk_blocks.dates import date_time
from partners.models import Role
from sharing_log.models import ConsentStatus, Disclosure, OverrideAuthorisation, OverrideConfirmation
from tests.factories import LegalGatewayFactory, MembershipFactory
from tests.sharing_log.helpers.overrides import designated_manager

from .helpers import check_page, sign_in_browser

MANAGER = "Jordan Example"
AUTHORISED_BY = f"{MANAGER}, Head of Safeguarding"
LOG = "Log a disclosure or a decision not to share"


def test_a_designated_manager_confirms_the_override_a_practitioner_logged(page, live_server, roles):
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True))
    # The council names a designated manager for the agreement, who signs in to the portal for it.
    manager = designated_manager(roles.owner_party, name=MANAGER, job_title="Head of Safeguarding")
    MembershipFactory(user=manager.user, organisation=roles.owner, role=Role.GOVERNANCE_MANAGER)

    # The practitioner logs a share made although the person refused consent.
    sign_in_browser(page, live_server, roles.practitioner, next_path="/log/new/")
    check_page(page, heading=LOG)
    page.get_by_label("Case reference").fill("ASB-2026-0070")
    page.get_by_label("Child", exact=True).check()
    page.get_by_label("Minimum data (identifying details)").check()
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("Consent refused but overridden").check()
    page.get_by_label("Why was the refusal overridden?").fill(
        "Serious risk of harm to a child: the police must know before tonight's visit.")
    check_page(page)  # the reveal open

    # Without choosing who authorised it: the error summary says so and nothing is saved.
    page.get_by_label("Yes, the person was told").check()
    page.get_by_label("Why was sharing necessary and proportionate?").fill(
        "The visit cannot be made safely without the police knowing of the risk.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the designated manager who authorised overriding the refusal of consent")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page, heading=LOG)
    assert (Disclosure.objects.count(), OverrideAuthorisation.objects.count()) == (0, 0)

    consent = page.get_by_role("group", name="Consent")
    consent.get_by_label("Designated manager who authorised it").select_option(label=AUTHORISED_BY)
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("alert")).to_contain_text("Disclosure to Borsetshire Police logged")
    entry = Disclosure.objects.get()
    assert (entry.consent_status, entry.authorised_by) == (ConsentStatus.REFUSED_OVERRIDDEN, AUTHORISED_BY)
    expect(page.locator("main")).to_contain_text(f"{AUTHORISED_BY}: awaiting confirmation by {MANAGER}")
    check_page(page, heading="Disclosure to Borsetshire Police")
    authorisation = OverrideAuthorisation.objects.get()
    assert (authorisation.disclosure, authorisation.designated_manager, authorisation.requested_by) == (
        entry, manager, roles.practitioner)
    page.get_by_role("button", name="Sign out").click()

    # The designated manager is told, and finds it on "What's due".
    sign_in_browser(page, live_server, manager.user, next_path="/notifications/")
    check_page(page, heading="Notifications")
    expect(page.get_by_role("link", name="Confirm you authorised an override for Borsetshire County Council")) \
        .to_be_visible()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="What's due").first.click()
    check_page(page, heading="What's due")
    page.get_by_role("link", name=f"Confirm you authorised the override on entry {entry.pk}").click()
    check_page(page, heading="Confirm an override you authorised")

    # Submitted without the tick: an error, nothing saved.
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you authorised this override")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page, heading="Confirm an override you authorised")
    assert OverrideConfirmation.objects.count() == 0

    page.get_by_label("I authorised this override").check()
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"You confirmed that you authorised the override on entry {entry.pk}")
    check_page(page, heading="Confirm an override you authorised")
    confirmation = OverrideConfirmation.objects.get()
    assert (confirmation.authorisation, confirmation.confirmed_by) == (authorisation, manager.user)
    page.get_by_role("button", name="Sign out").click()

    # The entry shows who confirmed, and when.
    sign_in_browser(page, live_server, roles.practitioner, next_path=f"/log/{entry.pk}/")
    expect(page.locator("main")).to_contain_text(
        f"{AUTHORISED_BY}: confirmed by {MANAGER} on {date_time(confirmation.confirmed_at)}")
    expect(page.locator("main")).not_to_contain_text("awaiting confirmation")
    check_page(page, heading="Disclosure to Borsetshire Police")
