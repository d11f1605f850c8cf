"""Uploads judged by reading them in full (agreements/uploads.py; issue 12, bad input): a PDF is
parsed and refused if it does not parse or carries active content, an image is decoded, and the
stored name and content type come from what was found. Through the one page that keeps an
upload, the returned signature form (agreements/views/signing.py)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement, Party, PartyStatus, Signature, Status
from agreements.services import agreement_version_create
from agreements.uploads import IMAGE_UNREADABLE, JPEG, PDF, PDF_ACTIVE, PDF_UNREADABLE, PNG, WRONG_TYPE, scan_inspected
from tests import uploads
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

ACTIVE = {
    "JavaScript when it opens": uploads.pdf_with_javascript,
    "JavaScript in a link": uploads.pdf_with_javascript_in_a_link,
    "an attached file": uploads.pdf_with_attachment,
    "a launch action": uploads.pdf_with_launch_action,
}
UNREADABLE = {
    "HTML after %PDF-": (uploads.PDF_THEN_HTML, PDF_UNREADABLE),
    "a PDF cut short": (uploads.PDF[: len(uploads.PDF) // 2], PDF_UNREADABLE),
    "a PDF header and nothing else": (b"%PDF-1.7\n%%EOF\n", PDF_UNREADABLE),
    "a PNG signature and noise": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, IMAGE_UNREADABLE),
    "a PNG cut short": (uploads.PNG[:-5], IMAGE_UNREADABLE),
    "a JPEG cut short": (uploads.JPEG[: len(uploads.JPEG) // 2], IMAGE_UNREADABLE),
    "a JPEG marker and script": (b"\xff\xd8\xff\xe0<script>alert(1)</script>", IMAGE_UNREADABLE),
    "a GIF": (uploads.image("GIF"), WRONG_TYPE),
    "HTML": (b"<html><script>alert(1)</script></html>", WRONG_TYPE),
}


@pytest.mark.parametrize(("data", "kind"), [
    (uploads.PDF, PDF), (uploads.PNG, PNG), (uploads.JPEG, JPEG), (uploads.pdf_with_a_web_link(), PDF),
], ids=["pdf", "png", "jpeg", "pdf with a web link"])
def test_files_that_read_in_full_are_the_kind_found(data, kind):
    assert scan_inspected(data) == kind


@pytest.mark.parametrize("make", ACTIVE.values(), ids=ACTIVE.keys())
def test_a_pdf_with_active_content_is_refused(make):
    with pytest.raises(ValidationError) as refused:
        scan_inspected(make())

    assert refused.value.message_dict == {"scan": [PDF_ACTIVE]}


@pytest.mark.parametrize(("data", "message"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_file_that_does_not_read_as_what_it_starts_as_is_refused(data, message):
    with pytest.raises(ValidationError) as refused:
        scan_inspected(data)

    assert refused.value.message_dict == {"scan": [message]}


def test_an_image_too_large_to_decode_safely_is_refused(monkeypatch):
    monkeypatch.setattr("agreements.uploads.MAX_IMAGE_PIXELS", 40 * 30 - 1)

    with pytest.raises(ValidationError) as refused:
        scan_inspected(uploads.image("PNG", size=(40, 30)))

    assert refused.value.message_dict == {"scan": [IMAGE_UNREADABLE]}


# Through the page --------------------------------------------------------------------------


@pytest.fixture
def out_for_signature(roles, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    roles.partner_party.refresh_from_db()
    roles.version = agreement_version_create(agreement=roles.agreement, label="1.0")
    return roles


def post_scan(client, cast, name: str, data: bytes, content_type: str):
    url = reverse("agreements:party_paper_signature", kwargs={
        "pk": cast.agreement.pk, "party_pk": cast.partner_party.pk,
    })
    return sign_in(client, cast.governance_manager).post(url, {
        "signatory_name": "Jo Example", "signatory_role": "Chief Constable",
        "signed_on-day": "3", "signed_on-month": "2", "signed_on-year": "2026", "version": cast.version.pk,
        "scan": SimpleUploadedFile(name, data, content_type=content_type),
    })


@pytest.mark.parametrize(("data", "message"), [
    (uploads.PDF_THEN_HTML, PDF_UNREADABLE),
    (uploads.pdf_with_javascript(), PDF_ACTIVE),
    (b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", IMAGE_UNREADABLE),
], ids=["html after %PDF-", "pdf with javascript", "script after a PNG signature"])
def test_the_page_refuses_with_a_govuk_error_and_keeps_nothing(client, out_for_signature, data, message):
    cast = out_for_signature

    response = post_scan(client, cast, "form.pdf", data, "application/pdf")

    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="govuk-error-summary"' in content
    assert f'<a href="#id_scan">{message}</a>' in content
    assert Signature.objects.filter(party=cast.partner_party).exists() is False
    assert not list(Path(settings.MEDIA_ROOT).glob("signature-scans/*/*"))


def test_the_stored_name_and_served_type_are_what_was_found_not_what_was_claimed(client, out_for_signature):
    cast = out_for_signature

    response = post_scan(client, cast, "form.pdf", uploads.JPEG, "application/pdf")

    assert response.status_code == 302
    signature = cast.partner_party.signatures.get()
    assert signature.scan.name.endswith(".jpg")
    download = client.get(reverse("agreements:signature_scan", kwargs={
        "pk": cast.agreement.pk, "signature_pk": signature.pk,
    }))
    assert download["Content-Type"] == "image/jpeg"
    assert b"".join(download.streaming_content) == uploads.JPEG
