"""Signing in Chromium: the lead signatory reads the exact version and signs it; the governance
manager records a returned paper form with its scan and watches the counts move; then a
substantive change asks the lead signatory to re-sign, showing what changed. axe on every page."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Agreement, Party, PartyStatus, Status
from agreements.services import agreement_version_create, section_save, signature_record_paper
from tests.factories import LegalGatewayFactory, OrganisationFactory, PartyFactory

from .helpers import check_page, sign_in_browser, sign_out, tiny_pdf

AGREEMENT = "Borsetshire Community Safety Information Sharing Agreement"
COLLEGE = "Felpersham College"



def name_the_signatory(cast) -> None:
    cast.lead_signatory.first_name, cast.lead_signatory.last_name = "Jo", "Example"
    cast.lead_signatory.save()


def test_lead_signatory_signs_and_governance_manager_records_a_paper_form(page, live_server, roles):
    # The cast's agreement goes back out for signature as version 1.0: the owner has signed on
    # paper; the police (the lead signatory's organisation) and a college are still to sign.
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    roles.agreement.refresh_from_db()
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True))  # what coming into force needs (issue 13)
    PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name=COLLEGE))
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    signature_record_paper(party=roles.owner_party, version=version, signatory_name="Kit Example")
    name_the_signatory(roles)

    # The lead signatory finds the agreement waiting at home and reads the exact version.
    sign_in_browser(page, live_server, roles.lead_signatory)
    page.get_by_role("link", name=f"read and sign {AGREEMENT} for Borsetshire Police").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign version 1.0")
    expect(page.locator(".app-hash")).to_have_text(version.content_hash)
    expect(page.get_by_role("heading", name="1. Purpose")).to_be_visible()
    check_page(page)

    # Someone else's name is refused; their own (in any case) signs.
    page.get_by_label(re.compile(r"^I have read version 1\.0 of this agreement and I sign it for Borsetshire")).check()
    page.get_by_label("Your full name").fill("Jo Sample")
    page.get_by_role("button", name="Sign version 1.0").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter your full name as it appears on your account: Jo Example")
    check_page(page)
    page.get_by_label(re.compile(r"^I have read version 1\.0")).check()
    page.get_by_label("Your full name").fill("jo example")
    page.get_by_label("Your job title").fill("Chief Constable")
    page.get_by_role("button", name="Sign version 1.0").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You have signed version 1.0 for Borsetshire Police.")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Borsetshire Police has signed version 1.0")
    check_page(page)
    signature = roles.partner_party.signatures.get()
    assert (signature.signed_by, signature.content_hash) == (roles.lead_signatory, version.content_hash)
    sign_out(page)

    # The governance manager sees the counts across their agreements, then this one's matrix.
    sign_in_browser(page, live_server, roles.governance_manager)
    page.get_by_role("link", name="Signatures across your agreements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signatures across your agreements")
    check_page(page)
    page.get_by_role("link", name=AGREEMENT, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signatures")
    expect(page.locator("main")).to_contain_text("2 of 3 signed")
    check_page(page)

    # The college's form came back on paper: first a file that is not really a PDF.
    page.get_by_role("link", name=f"Record signature form for {COLLEGE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a returned signature form")
    check_page(page)
    page.get_by_label("Name of the person who signed").fill("Alex Example")
    page.get_by_label("Their role").fill("Principal")
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.set_input_files("#id_scan", files=[
        {"name": "signature-form.pdf", "mimeType": "application/pdf", "buffer": b"Signed, honestly."},
    ])
    page.get_by_role("button", name="Record signature form").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be a PDF, PNG or JPEG")
    check_page(page)
    page.set_input_files("#id_scan", files=[
        {"name": "signature-form.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()},
    ])
    page.get_by_role("button", name="Record signature form").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"The signature form of {COLLEGE} for version 1.0 has been recorded.")
    expect(page.locator("main")).to_contain_text("3 of 3 signed")
    check_page(page)

    # The scan comes back as a download, never cached or sniffed.
    link = page.get_by_role("link", name=f"Download scan of the signature form of {COLLEGE}")
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert (response.headers["cache-control"], response.headers["x-content-type-options"]) == ("no-store", "nosniff")
    assert response.body() == tiny_pdf()

    # Every party has signed: the governance manager brings the agreement into force.
    page.get_by_role("link", name="Status", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Status")
    check_page(page)
    page.get_by_role("button", name="Bring into force").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"“{AGREEMENT}” is now in force.")
    check_page(page)
    roles.agreement.refresh_from_db()
    assert roles.agreement.status == Status.IN_FORCE


def test_a_substantive_change_asks_the_lead_signatory_to_re_sign_showing_what_changed(page, live_server, roles):
    # The agreement in force, version 1.0 signed by both parties.
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    for party in (roles.owner_party, roles.partner_party):
        signature_record_paper(party=party, version=version, signatory_name="Kit Example")
    name_the_signatory(roles)

    sign_in_browser(page, live_server, roles.lead_signatory)
    expect(page.get_by_role("heading", name="Needs re-signing")).to_have_count(0)

    # Meanwhile the governance manager changes section 1: a substantive change, so version 2.0.
    section = roles.agreement.sections.get()
    section_save(
        agreement=roles.agreement, by_user=roles.governance_manager, section=section, number="1",
        heading="Purpose", body="The partners share information to reduce crime, disorder and anti-social behaviour.",
    )
    assert roles.agreement.versions.count() == 2

    page.reload()
    expect(page.get_by_role("heading", name="Needs re-signing")).to_be_visible()
    check_page(page)

    # What changed: the words struck out and added, announced to screen readers.
    page.get_by_role("link", name=f"See what changed in {AGREEMENT}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed in version 2.0")
    expect(page.locator("main")).to_contain_text("Compared with version 1.0")
    expect(page.locator("del.app-diff__delete").first).to_contain_text("removed:")
    expect(page.locator("ins.app-diff__insert").first).to_contain_text("added:")
    expect(page.locator("ins.app-diff__insert").filter(has_text="anti-social")).to_have_count(1)
    check_page(page)

    # The versions of the agreement.
    page.get_by_role("link", name="Versions").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Versions")
    expect(page.get_by_role("heading", name="Version 2.0 (latest)")).to_be_visible()
    check_page(page)

    # Back home, the lead signatory signs version 2.0.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=f"sign version 2.0 of {AGREEMENT} for Borsetshire Police").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Needs re-signing: Borsetshire Police signed version 1.0")
    check_page(page)
    page.get_by_label(re.compile(r"^I have read version 2\.0")).check()
    page.get_by_label("Your full name").fill("Jo Example")
    page.get_by_label("Your job title").fill("Chief Constable")
    page.get_by_role("button", name="Sign version 2.0").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have signed version 2.0")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Needs re-signing")).to_have_count(0)
