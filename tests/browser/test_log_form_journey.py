"""The log form rebuilt around the routine case (issue 14, item 1; decision 0040), in real
Chromium at 1280 × 800: a routine share from the home page in at most 12 interactions with Save
within two screen-heights, "log another for this case", a share to the same partner again from
the home page's link in at most 7 with what was shared filled in (decision 0047), and a decision
not to share in fewer interactions, asked only what applies to it. axe-core checks every page on
the way."""

import datetime

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from agreements.models import Agreement, ContactRole, PartyContact
from sharing_log.models import Decision, Disclosure
from tests.factories import ContactFactory, LegalGatewayFactory, OrganisationFactory, PartyFactory

from .helpers import check_page, sign_in_browser

SCREEN = {"width": 1280, "height": 800}
TWO_SCREENS = 2 * SCREEN["height"]


class Interactions:
    """Counts what the person does: each click, choice and typed field is one interaction."""

    def __init__(self):
        self.count = 0

    def click(self, locator: Locator) -> None:
        self.count += 1
        locator.click()

    def check(self, locator: Locator) -> None:
        self.count += 1
        locator.check()

    def fill(self, locator: Locator, text: str) -> None:
        self.count += 1
        locator.fill(text)

    def choose(self, locator: Locator, label: str) -> None:
        self.count += 1
        locator.select_option(label=label)


def save_top(page: Page) -> float:
    """Where the Save button starts, in CSS pixels from the top of the page."""
    return page.get_by_role("button", name="Save entry").evaluate(
        "button => button.getBoundingClientRect().top + window.scrollY")


def setting(roles):
    """The practitioner logs under two agreements; theirs has a second partner that has not
    signed, and the police name a SPOC for it."""
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True))
    Agreement.objects.filter(pk=roles.agreement.pk).update(  # reviewed: no warning above the form
        last_review_on=timezone.localdate(), next_review_due=timezone.localdate() + datetime.timedelta(days=365))
    PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Felpersham Homes"))
    PartyFactory(agreement=roles.agreement, signed=True, organisation=OrganisationFactory(name="Borsetshire Fire"))
    other = PartyFactory(signed=True, organisation=roles.owner).agreement
    PartyFactory(agreement=other, signed=True, organisation=OrganisationFactory(name="Felpersham College"))
    spoc = ContactFactory(organisation=roles.partner, name="Dana Whitlock", job_title="Information sharing officer",
                          email="dana.whitlock@police.example")
    PartyContact.objects.create(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)


def test_a_routine_share_takes_at_most_12_interactions_and_a_decision_not_to_share_fewer(page, live_server, roles):
    setting(roles)
    page.set_viewport_size(SCREEN)
    sign_in_browser(page, live_server, roles.practitioner)

    # The routine share, from the home page.
    done = Interactions()
    done.click(page.get_by_role("button", name="Log a disclosure or a decision not to share"))
    check_page(page, heading="Which agreement are you logging under?")
    done.click(page.get_by_role("link", name=roles.agreement.title))
    check_page(page, heading="Log a disclosure or a decision not to share")
    assert save_top(page) < TWO_SCREENS
    partner = page.get_by_label("Partner organisation")
    expect(partner.locator("option", has_text="Felpersham Homes – cannot receive: has not signed")).to_have_count(1)
    expect(partner.locator("option", has_text="Felpersham College")).to_have_count(0)
    expect(page.get_by_label("UK GDPR Article 6 lawful basis")).to_have_value(
        str(roles.agreement.gateways.get(category="art6").pk))
    done.choose(partner, "Borsetshire Police")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Dana Whitlock")
    done.fill(page.get_by_label("Case reference"), "ASB-2026-0042")
    done.check(page.get_by_label("Adult", exact=True))
    done.fill(page.get_by_label("Why was sharing necessary and proportionate?"),
              "The joint visit cannot be planned safely without the tenancy status.")
    done.check(page.get_by_label("Minimum data (identifying details)"))
    done.check(page.get_by_label("Housing and tenancy"))
    done.check(page.get_by_label("Explicit consent given"))
    done.check(page.get_by_label("Yes, the person was told"))
    assert save_top(page) < TWO_SCREENS
    check_page(page)
    done.click(page.get_by_role("button", name="Save entry"))

    expect(page.get_by_role("alert")).to_contain_text("Disclosure to Borsetshire Police logged")
    check_page(page, heading="Disclosure to Borsetshire Police")
    assert done.count <= 12, f"a routine share took {done.count} interactions"
    shared = Disclosure.objects.get()
    assert (shared.recipient_organisation, shared.recipient_name, shared.art6_basis.provision) == (
        roles.partner, "Dana Whitlock", "Art 6(1)(e)")

    # Log another for this case: the agreement and case reference are carried over.
    page.get_by_role("link", name="Log another for this case").click()
    check_page(page, heading="Log a disclosure or a decision not to share")
    expect(page.get_by_label("Case reference")).to_have_value("ASB-2026-0042")
    expect(page.locator("#main-content")).to_contain_text(roles.agreement.title)

    # A share to the same partner again, from the home page's link to it (decision 0047): how much
    # and what it included are filled in from the last share to it, and the page says so; the
    # case reference, who it is about, the reason, consent and telling are asked again.
    page.goto(f"{live_server.url}/")
    check_page(page)
    again = Interactions()
    again.click(page.get_by_role("list", name="Log a share again with").get_by_role("link", name="Borsetshire Police"))
    check_page(page, heading="Log a disclosure or a decision not to share")
    expect(page.get_by_label("Partner organisation")).to_have_value(str(roles.partner.pk))
    expect(page.locator("[data-filled-from-last]")).to_be_visible()
    # (Not counted: a partner never shared with clears what was filled in, and back again.)
    page.get_by_label("Partner organisation").select_option(label="Borsetshire Fire")
    expect(page.locator("[data-filled-from-last]")).to_be_hidden()
    expect(page.get_by_label("Minimum data (identifying details)")).not_to_be_checked()
    expect(page.get_by_label("Housing and tenancy")).not_to_be_checked()
    page.get_by_label("Partner organisation").select_option(label="Borsetshire Police")
    expect(page.locator("[data-filled-from-last]")).to_be_visible()
    expect(page.get_by_label("Minimum data (identifying details)")).to_be_checked()
    expect(page.get_by_label("Housing and tenancy")).to_be_checked()
    expect(page.get_by_label("Explicit consent given")).not_to_be_checked()
    expect(page.get_by_label("Yes, the person was told")).not_to_be_checked()
    again.fill(page.get_by_label("Case reference"), "ASB-2026-0044")
    again.check(page.get_by_label("Adult", exact=True))
    again.fill(page.get_by_label("Why was sharing necessary and proportionate?"), "To plan the joint visit safely.")
    again.check(page.get_by_label("Explicit consent given"))
    again.check(page.get_by_label("Yes, the person was told"))
    assert save_top(page) < TWO_SCREENS
    check_page(page)
    again.click(page.get_by_role("button", name="Save entry"))
    expect(page.get_by_role("alert")).to_contain_text("Disclosure to Borsetshire Police logged")
    assert again.count <= 7, f"a share to the same partner again took {again.count} interactions"
    repeat = Disclosure.objects.get(case_reference="ASB-2026-0044")
    assert (repeat.data_level, repeat.data_categories) == ("minimum", ["housing"])

    # A decision not to share, from the home page: fewer interactions, nothing about a share.
    page.goto(f"{live_server.url}/")
    refused = Interactions()
    refused.click(page.get_by_role("button", name="Log a disclosure or a decision not to share"))
    # The person's last agreement is the default; they may change it.
    expect(page.locator("#chosen-agreement")).to_contain_text(roles.agreement.title)
    refused.choose(page.get_by_label("Partner organisation"), "Borsetshire Fire")
    refused.check(page.get_by_label("Decided not to share"))
    expect(page.get_by_role("heading", name="How much was shared?")).to_be_hidden()
    expect(page.get_by_label("Why was sharing necessary and proportionate?")).to_be_hidden()
    expect(page.get_by_label("Explicit consent given")).to_be_hidden()
    expect(page.get_by_label("Yes, the person was told")).to_be_visible()  # asked, not required
    refused.fill(page.get_by_label("Why did you decide not to share?"), "Not necessary: the visit is cancelled.")
    refused.fill(page.get_by_label("Case reference"), "ASB-2026-0043")
    refused.check(page.get_by_label("Family", exact=True))
    check_page(page)
    refused.click(page.get_by_role("button", name="Save entry"))

    expect(page.get_by_role("alert")).to_contain_text("Decision not to share with Borsetshire Fire logged")
    check_page(page)
    assert refused.count < done.count
    entry = Disclosure.objects.get(case_reference="ASB-2026-0043")
    assert (entry.decision, entry.data_level, entry.consent_status, entry.subject_informed) == (
        Decision.NOT_SHARED, "", "", "")
    expect(page.locator(".govuk-summary-list")).not_to_contain_text("Consent")
    expect(page.locator(".govuk-summary-list")).not_to_contain_text("Data level")


def test_a_partner_that_cannot_receive_is_refused_with_the_reason(page, live_server, roles):
    setting(roles)
    sign_in_browser(page, live_server, roles.practitioner, next_path=f"/log/new/?agreement={roles.agreement.pk}")

    page.get_by_label("Partner organisation").select_option(label="Felpersham Homes – cannot receive: has not signed")
    page.get_by_role("button", name="Save entry").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Felpersham Homes cannot receive information under this agreement today: it has not signed. "
        "Choose a partner that can, or ask your governance manager.")
    check_page(page)
    assert Disclosure.objects.exists() is False


def test_the_form_works_without_javascript(browser, live_server, roles):
    setting(roles)
    context = browser.new_context(java_script_enabled=False, locale="en-GB", viewport=SCREEN)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in_browser(page, live_server, roles.practitioner)
        page.get_by_role("button", name="Log a disclosure or a decision not to share").click()
        page.get_by_role("link", name=roles.agreement.title).click()
        page.get_by_label("Partner organisation").select_option(label="Borsetshire Police")
        page.get_by_label("Case reference").fill("ASB-2026-0042")
        page.get_by_label("Adult", exact=True).check()
        page.get_by_label("Why was sharing necessary and proportionate?").fill("To plan the joint visit safely.")
        page.get_by_label("Minimum data (identifying details)").check()
        page.get_by_label("Housing and tenancy").check()
        page.get_by_label("Explicit consent given").check()
        page.get_by_label("Yes, the person was told").check()
        page.get_by_role("button", name="Save entry").click()
        expect(page.locator(".govuk-notification-banner, [role=alert]").first).to_contain_text(
            "Disclosure to Borsetshire Police logged")

        # A decision not to share, opened on its own questions: "Log another", then the address.
        page.get_by_role("link", name="Log another for this case").click()
        page.goto(f"{page.url}&decision=not_shared")
        expect(page.get_by_label("Why did you decide not to share?")).to_be_visible()
        expect(page.get_by_label("Minimum data (identifying details)")).to_be_hidden()
        page.get_by_label("Partner organisation").select_option(label="Borsetshire Fire")
        page.get_by_label("Why did you decide not to share?").fill("Not necessary: the visit is cancelled.")
        page.get_by_label("Family", exact=True).check()
        page.get_by_role("button", name="Save entry").click()
        expect(page.locator("[role=alert]").first).to_contain_text("Decision not to share with Borsetshire Fire logged")
        assert Disclosure.objects.get(case_reference="ASB-2026-0042", decision=Decision.NOT_SHARED).consent_status == ""
    finally:
        context.close()
