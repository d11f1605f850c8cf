"""A DPIA in Chromium (issue 13, item 2): an agreement whose screening says it needs a DPIA cannot
come into force; the governance manager records the DPIA from the agreement's page, with an
error first, and brings the agreement into force. axe on every page."""

from playwright.sync_api import expect

from agreements.models import Agreement, Party, PartyStatus, Status
from agreements.services import agreement_version_create, dpia_record, signature_record_paper
from tests.factories import LegalGatewayFactory

from .helpers import check_page, sign_in_browser

AGREEMENT = "Borsetshire Community Safety Information Sharing Agreement"


def test_a_dpia_needing_agreement_comes_into_force_once_its_dpia_is_recorded(page, live_server, roles):
    # The cast's agreement is out for signature, signed by both parties, and screened as needing
    # a DPIA (children, criminal-offence data) that nobody has recorded yet.
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    roles.agreement.refresh_from_db()
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True))  # what coming into force needs (issue 13)
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    for party in (roles.owner_party, roles.partner_party):
        signature_record_paper(party=party, version=version, signatory_name="Kit Example")
    dpia_record(agreement=roles.agreement, by_user=roles.governance_manager,
                screening=["vulnerable_people", "criminal_offence"], needed=True)

    # The status page says why it cannot come into force.
    sign_in_browser(page, live_server, roles.governance_manager, next_path=f"/agreements/{roles.agreement.pk}/status/")
    expect(page.locator("main")).to_contain_text(
        "Cannot come into force: it needs a DPIA and none is on record (record the DPIA's reference or upload it).")
    expect(page.get_by_role("button", name="Bring into force")).to_have_count(0)
    check_page(page, heading="Status")

    # The governance manager opens the DPIA page from the agreement's page.
    page.goto(f"{live_server.url}{roles.agreement.get_absolute_url()}")
    page.get_by_role("link", name=f"Record or change the DPIA for {AGREEMENT}").click()
    check_page(page, heading="Data protection impact assessment (DPIA)")

    # Advice said not followed, without why: the error summary says so and nothing is saved.
    page.get_by_label("DPIA reference").fill("BCC-DPIA-2026-014")
    page.locator("#id_completed_on-day").fill("2")
    page.locator("#id_completed_on-month").fill("3")
    page.locator("#id_completed_on-year").fill("2026")
    page.get_by_label("Risks reduced to an acceptable level: the sharing may go ahead").check()
    page.get_by_label("The data protection officer's advice").fill("Proceed: minimise the fields shared.")
    page.locator("input[name=dpo_advice_followed][value=no]").check()
    page.get_by_role("button", name="Save the DPIA").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Explain why the DPO's advice was not followed")
    check_page(page, heading="Data protection impact assessment (DPIA)")

    page.locator("input[name=dpo_advice_followed][value=yes]").check()
    page.get_by_role("button", name="Save the DPIA").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The DPIA has been recorded.")
    expect(page.locator("main table")).to_contain_text("Yes")
    check_page(page, heading="Data protection impact assessment (DPIA)")

    # Now it may come into force.
    page.goto(f"{live_server.url}/agreements/{roles.agreement.pk}/status/")
    page.get_by_role("button", name="Bring into force").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"“{AGREEMENT}” is now in force.")
    check_page(page)
    roles.agreement.refresh_from_db()
    assert roles.agreement.status == Status.IN_FORCE
