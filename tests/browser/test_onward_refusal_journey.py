"""Onward disclosure refused, in Chromium (issue 13; DOMAIN.md rule 3, 001 §5.7, decision 0027):
the partner's SPOC, who received information from the county council through the log, asks the
council's consent to pass it on to a third party; the council's SPOC, told by a notification,
refuses it with a reason; the partner's SPOC then tries to log the onward share on the log form,
naming the entry it came in, and the page refuses it with the refusal's reason in the GOV.UK error
summary. Nothing is saved. axe on every page, error states included."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from govuk_blocks.dates import long_date
from partners.models import Role
from sharing_log.models import Disclosure, OnwardDecision, OnwardDisclosureRequest
from tests.factories import (
    ContactFactory,
    DisclosureFactory,
    LegalGatewayFactory,
    OrganisationFactory,
    PartyFactory,
)

from .helpers import check_page, sign_in_browser

THIRD_PARTY = "Felpersham Children's Services"
REASON = "The investigation is still open: telling anyone else now could prejudice it."


def test_a_share_to_a_third_party_is_refused_on_the_log_once_the_originator_refused_consent(
    page, live_server, roles,
):
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True))
    # The third party is a signed party to the agreement, so the log form offers it as a partner.
    third_party = OrganisationFactory(name=THIRD_PARTY)
    PartyFactory(agreement=roles.agreement, organisation=third_party, signed=True)
    # The council's single point of contact, who decides requests to pass on what it shared.
    council_spoc = roles.member(roles.owner, Role.SPOC, first_name="Robin", last_name="Example")
    ContactFactory(organisation=roles.owner, user=council_spoc, name="Robin Example", job_title="SPOC")
    # Yesterday the council shared information with the police (the partner).
    received = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, case_reference="ASB-2026-0060",
        occurred_at=timezone.now() - datetime.timedelta(days=1),
    )
    entry_page = f"/log/{received.pk}/"

    # The police SPOC asks, from the entry's page, to pass it on: first without saying to whom.
    sign_in_browser(page, live_server, roles.spoc, next_path=entry_page)
    check_page(page)
    page.get_by_role("button", name="Ask to pass this on").click()
    check_page(page, heading="Ask to pass this on")
    page.get_by_label("Why do you want to pass it on?").fill(
        "To plan a joint visit with children's services about the family's safety.")
    page.get_by_role("button", name="Ask for consent").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether the organisation is in the directory")
    check_page(page, heading="Ask to pass this on")
    assert OnwardDisclosureRequest.objects.count() == 0

    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Organisation", exact=True).select_option(label=THIRD_PARTY)
    check_page(page)
    page.get_by_role("button", name="Ask for consent").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Consent to pass this on to {THIRD_PARTY} asked of Borsetshire County Council")
    check_page(page)
    onward = OnwardDisclosureRequest.objects.get()
    assert (onward.disclosure, onward.third_party_organisation, onward.decision) == (
        received, third_party, OnwardDecision.PENDING)
    page.get_by_role("button", name="Sign out").click()

    # The council's SPOC is told, opens the notification and refuses: first without a reason.
    sign_in_browser(page, live_server, council_spoc, next_path="/notifications/")
    check_page(page, heading="Notifications")
    page.get_by_role("link", name="Borsetshire Police asks to pass on information you shared").click()
    question = f"May Borsetshire Police pass this on to {THIRD_PARTY}?"
    check_page(page, heading=question)
    page.get_by_label("Refuse consent").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for your decision")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page, heading=question)
    onward.refresh_from_db()
    assert onward.decision == OnwardDecision.PENDING

    page.get_by_label("Your reason").fill(REASON)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Consent to pass it on to {THIRD_PARTY} refused")
    check_page(page)
    onward.refresh_from_db()
    assert (onward.decision, onward.decided_by, onward.decision_reason) == (
        OnwardDecision.REFUSED, council_spoc, REASON)
    page.get_by_role("button", name="Sign out").click()

    # The police SPOC logs sharing it with the third party, naming the entry it came in: refused,
    # with the council's reason, and nothing saved.
    before = Disclosure.objects.count()
    sign_in_browser(page, live_server, roles.spoc, next_path="/log/new/")
    check_page(page, heading="Log a disclosure or a decision not to share")
    page.get_by_label("Partner organisation").select_option(label=THIRD_PARTY)
    page.get_by_text("Passing on what you received?", exact=True).click()
    page.get_by_label("Are you passing on information another organisation shared with you?").select_option(
        label=f"Entry {received.pk}: from Borsetshire County Council on "
              f"{long_date(timezone.localdate(received.occurred_at))}")
    page.get_by_label("Case reference").fill("POL-2026-0117")
    page.get_by_label("Adult", exact=True).check()
    page.get_by_label("Minimum data (identifying details)").check()
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("Explicit consent given").check()
    page.get_by_label("Yes, the person was told").check()
    page.get_by_label("Why was sharing necessary and proportionate?").fill(
        "Children's services need to know of the risk before the joint visit.")
    page.get_by_role("button", name="Save entry").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        f"Borsetshire County Council refused consent to pass this information on to {THIRD_PARTY} on "
        f"{long_date(timezone.localdate(onward.decided_at))}. Their reason: “{REASON}” Do not pass it on.")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page, heading="Log a disclosure or a decision not to share")
    assert Disclosure.objects.count() == before
    assert not Disclosure.objects.filter(recipient_organisation=third_party).exists()
    assert not Disclosure.objects.filter(case_reference="POL-2026-0117").exists()
