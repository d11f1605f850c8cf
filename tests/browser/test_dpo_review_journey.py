"""A partner's DPO reviews, then its signatory signs (issue 17, item 2; decision 0062), in
Chromium: the owner turns the step on; the lead signatory is told the DPO review is awaited; the
partner's named DPO first finds changes needed (a missing comment is refused in the error
summary), then content to sign; the owner sees each stage; the lead signatory signs. axe on every
page, and the review page fits 320 px."""

import re

from playwright.sync_api import expect

from agreements.models import Agreement, ContactRole, DpoReview, Party, PartyStatus, Status
from agreements.services import agreement_version_create, party_contact_add, signature_record_paper
from partners.models import Role
from tests.factories import ContactFactory

from .helpers import check_page, fits_narrow, sign_in_browser, sign_out, sign_version


def police_row(page):
    """Borsetshire Police's row in the signatures page's table of every party."""
    return page.locator("table").last.get_by_role("row").filter(has_text="Borsetshire Police")


def test_a_partners_dpo_reviews_and_its_signatory_then_signs(page, live_server, roles):
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    roles.agreement.refresh_from_db()
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    signature_record_paper(party=roles.owner_party, version=version, signatory_name="Kit Example")
    roles.lead_signatory.first_name, roles.lead_signatory.last_name = "Jo", "Example"
    roles.lead_signatory.save()
    # Borsetshire Police names Pat Officer, who signs in to the portal, as its DPO for the agreement.
    dpo = roles.member(roles.partner, Role.PRACTITIONER)
    dpo.first_name, dpo.last_name = "Pat", "Officer"
    dpo.save()
    contact = ContactFactory(
        organisation=roles.partner, user=dpo, name="Pat Officer", job_title="Data Protection Officer",
    )
    party_contact_add(party=roles.partner_party, contact=contact, role=ContactRole.DPO)
    signatures = f"{live_server.url}/agreements/{roles.agreement.pk}/signatures/"

    # The owner's governance manager asks each party's DPO to review before signing.
    sign_in_browser(page, live_server, roles.governance_manager)
    page.goto(signatures)
    page.get_by_role("button", name="Ask each party's DPO to review before signing").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Each party's data protection officer now reviews the latest version")
    expect(police_row(page)).to_contain_text("Awaiting DPO review")
    check_page(page, heading="Signatures")
    sign_out(page)

    # The lead signatory cannot sign yet: the home page offers no link to sign, and the signing page
    # says the DPO review is awaited.
    sign_in_browser(page, live_server, roles.lead_signatory)
    waiting = page.locator("main li").filter(has_text=roles.agreement.title)
    expect(waiting).to_contain_text("awaiting the DPO review of version 1.0 before it can be signed")
    expect(waiting.get_by_role("link", name=re.compile("^read and sign"))).to_have_count(0)
    check_page(page)
    page.goto(f"{live_server.url}/agreements/{roles.agreement.pk}/parties/{roles.partner_party.pk}/sign/")
    expect(page.locator("#dpo-review-awaited")).to_contain_text("The DPO review is awaited")
    expect(page.get_by_role("button", name="Sign version 1.0")).to_have_count(0)
    check_page(page, heading="Sign version 1.0")
    sign_out(page)

    # The DPO finds the review on "What's due" and the link on the signatures page. Changes needed,
    # with no comment, is refused; then with one it is recorded.
    sign_in_browser(page, live_server, dpo, next_path="/due/")
    due = page.get_by_role("link", name="Review version 1.0 of BCSP ISA as DPO for Borsetshire Police")
    review_path = f"/agreements/{roles.agreement.pk}/parties/{roles.partner_party.pk}/dpo-review/"
    expect(due).to_have_attribute("href", review_path)
    check_page(page)
    page.goto(signatures)
    page.get_by_role("link", name="Review as DPO for Borsetshire Police").click()
    check_page(page, heading="Review version 1.0 as data protection officer")
    expect(page.locator(".app-hash")).to_have_text(version.content_hash)
    page.get_by_label("Changes needed").check()
    page.get_by_role("button", name="Record your review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the changes needed")
    check_page(page)
    page.get_by_label("Changes needed").check()
    page.get_by_label("Comments").fill("Section 1 must say how long the police keep what it receives.")
    page.get_by_role("button", name="Record your review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Changes needed")
    expect(page.locator("#dpo-stage")).to_have_text("Changes needed")
    # The owner settles the point outside the text; the DPO is now content to sign.
    page.get_by_label("Content to sign").check()
    page.get_by_role("button", name="Record your review").click()
    expect(page.locator("#dpo-stage")).to_have_text("Ready to sign")
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    fits_narrow(page)  # waits for tables.js to stack the tables
    check_page(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    review = DpoReview.objects.filter(party=roles.partner_party).order_by("-reviewed_at").first()
    assert (review.outcome, review.content_hash, review.reviewer_name, review.reviewer_job_title) == (
        "content_to_sign", version.content_hash, "Pat Officer", "Data Protection Officer")
    sign_out(page)

    # The owner sees the stage; the lead signatory signs.
    sign_in_browser(page, live_server, roles.governance_manager)
    page.goto(signatures)
    expect(police_row(page)).to_contain_text(
        "Ready to sign")
    check_page(page)
    sign_out(page)

    sign_in_browser(page, live_server, roles.lead_signatory)
    page.goto(f"{live_server.url}/agreements/{roles.agreement.pk}/parties/{roles.partner_party.pk}/sign/")
    expect(page.locator("#dpo-review-awaited")).to_have_count(0)
    sign_version(page, label="1.0", full_name="Jo Example")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You have signed version 1.0 for Borsetshire Police.")
    check_page(page)
    assert roles.partner_party.signatures.get().content_hash == version.content_hash
    page.goto(signatures)
    expect(police_row(page)).to_contain_text("Signed")
    check_page(page)
