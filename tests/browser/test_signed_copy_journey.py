"""The signed copy in Chromium: the governance manager records the last paper signature and the
signatures page offers the sealed copy; the agreement's PDF downloads too; then, signed out,
/verify/ recognises the downloaded copy and rejects it with one byte altered. axe on every page."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Agreement, Party, PartyStatus, SignedCopy, Status
from agreements.services import agreement_version_create, signature_record_paper

from .helpers import check_page, sign_in_browser
from .test_signing_journey import sign_out, tiny_pdf

AGREEMENT = "Borsetshire Community Safety Information Sharing Agreement"



def upload_to_verify(page, content: bytes) -> None:
    page.set_input_files("#id_file", files=[
        {"name": "signed-copy.pdf", "mimeType": "application/pdf", "buffer": content},
    ])
    page.get_by_role("button", name="Check the file").click()


def test_last_paper_signature_issues_a_sealed_copy_that_verify_recognises(page, live_server, roles):
    # Version 1.0 is out for signature; the owner has signed on paper, the police not yet.
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    roles.agreement.refresh_from_db()
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    signature_record_paper(party=roles.owner_party, version=version, signatory_name="Kit Example")
    agreement_url = f"{live_server.url}/agreements/{roles.agreement.pk}"

    sign_in_browser(page, live_server, roles.governance_manager)
    page.goto(f"{agreement_url}/signatures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signatures")
    expect(page.get_by_role("link", name=re.compile("download the signed copy"))).to_have_count(0)
    check_page(page)

    # The police's form came back on paper: the last signature.
    page.get_by_role("link", name="Record signature form for Borsetshire Police").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a returned signature form")
    check_page(page)
    page.get_by_label("Name of the person who signed").fill("Alex Example")
    page.get_by_label("Their role").fill("Chief Constable")
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.set_input_files("#id_scan", files=[
        {"name": "signature-form.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()},
    ])
    page.get_by_role("button", name="Record signature form").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The signature form of Borsetshire Police for version 1.0 has been recorded.")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Every party has signed version 1.0.")
    check_page(page)

    # The signed copy: an attachment, never cached or sniffed, exactly the stored sealed bytes.
    link = page.get_by_role("link", name="download the signed copy of version 1.0 (PDF)")
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "-signed.pdf" in response.headers["content-disposition"]
    assert (response.headers["cache-control"], response.headers["x-content-type-options"]) == ("no-store", "nosniff")
    signed_copy = response.body()
    assert signed_copy.startswith(b"%PDF-")
    assert b"/ETSI.CAdES.detached" in signed_copy  # the PAdES seal
    assert SignedCopy.objects.get(version=version).size == len(signed_copy)

    # The agreement's own PDF, rendered on request.
    response = page.request.get(f"{agreement_url}/pdf/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert response.body().startswith(b"%PDF-")
    sign_out(page)

    # Signed out, anyone can check the copy.
    page.goto(f"{live_server.url}/verify/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a signed agreement")
    check_page(page)
    upload_to_verify(page, signed_copy)
    expect(page.locator(".govuk-panel__title")).to_have_text("This is a signed copy issued by ISA Portal")
    expect(page.locator(".govuk-summary-list")).to_contain_text(AGREEMENT)
    expect(page.locator(".govuk-summary-list")).to_contain_text(re.compile(r"Version\s*1\.0"))
    check_page(page)

    # One byte altered inside the sealed content: not a signed copy.
    middle = len(signed_copy) // 2
    tampered = signed_copy[:middle] + bytes([signed_copy[middle] ^ 0x01]) + signed_copy[middle + 1:]
    upload_to_verify(page, tampered)
    expect(page.locator("#verify-result")).to_contain_text("This file is not a signed copy issued by ISA Portal")
    expect(page.locator(".govuk-panel")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(AGREEMENT)
    check_page(page)

    # Something that is not a PDF at all: the GOV.UK error summary.
    upload_to_verify(page, b"Hello, this is plain text.")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be a PDF")
    expect(page).to_have_title(re.compile(r"^Error: Check a signed agreement"))
    check_page(page)
