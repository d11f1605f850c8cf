"""The PAdES seal on signed copies (agreements/seal.py, services/documents.py): applied
before the SHA-256 is stored, checked here with pyHanko's own validator as a PDF reader would;
no seal certificate means no copy; ``manage.py seal_certificate`` makes a local one once."""

import datetime
import hashlib
import logging
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.urls import reverse
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfWriter

from agreements.checks import seal_certificate_check
from agreements.models import SignedCopy
from agreements.seal import SEAL_FIELD, SealNotConfigured, seal_pdf, seal_signer
from tests.agreements.helpers.documents import TITLE, paper, signed, stored, upload
from tests.agreements.helpers.tagged import tagged

pytestmark = pytest.mark.django_db

def seal_status(content: bytes, cert_path: str):
    """pyHanko's verdict on the only signature in ``content``, trusting the test certificate."""
    signatures = PdfFileReader(BytesIO(content)).embedded_signatures
    assert len(signatures) == 1
    context = ValidationContext(trust_roots=[load_cert_from_pemder(cert_path)])
    return signatures[0], validate_pdf_signature(signatures[0], context)


def byte_altered_in_signed_range(content: bytes) -> bytes:
    """``content`` with one byte of the first page's content stream changed: same length, same
    structure, so the file still opens, but inside the bytes the seal covers."""
    start = content.index(b"stream\n", content.index(b"/Type /Page")) + len(b"stream\n") + 20
    return content[:start] + bytes([content[start] ^ 0x01]) + content[start + 1:]


class TestSealedCopy:
    def test_frozen_copy_carries_an_intact_seal_covering_the_whole_file(self, scene, settings):
        copy = signed(scene)
        content = stored(copy)

        signature, status = seal_status(content, settings.PDF_SEAL_CERT)

        assert signature.field_name == SEAL_FIELD
        assert status.intact and status.valid and status.trusted
        assert status.coverage.name == "ENTIRE_FILE"
        assert status.bottom_line
        assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"

    def test_the_sealed_copy_keeps_its_tags_and_its_seal_is_hidden_from_the_reading_order(self, scene):
        # PDF/UA-1 (docs/decisions/0046): the seal's widget is not tagged, so it must be hidden.
        copy = signed(scene)
        document = tagged(stored(copy))

        assert document.catalog["/MarkInfo"]["/Marked"].value is True
        assert document.catalog["/Lang"] == "en-GB"
        assert document.title == f"{TITLE} – version {copy.version.label}"
        assert document.headings()[:2] == ["H1", "H2"] and document.elements("TH")
        [field] = [field.get_object() for field in document.catalog["/AcroForm"]["/Fields"]]
        assert field["/T"] == SEAL_FIELD
        assert field["/TU"] == "Seal of ISA Portal"
        assert field["/F"] & 0b10  # hidden

    def test_stored_hash_is_that_of_the_sealed_bytes(self, scene):
        copy = signed(scene)

        content = stored(copy)

        assert b"/ETSI.CAdES.detached" in content
        assert copy.sha256 == hashlib.sha256(content).hexdigest()

    def test_one_altered_byte_breaks_the_seal(self, scene, settings):
        content = byte_altered_in_signed_range(stored(signed(scene)))

        try:
            _, status = seal_status(content, settings.PDF_SEAL_CERT)
        except SignatureValidationError:
            return  # refusing to validate at all is as good as reporting it broken
        assert not status.intact
        assert not status.bottom_line

    def test_one_altered_byte_is_rejected_by_verify(self, client, scene):
        content = byte_altered_in_signed_range(stored(signed(scene)))

        response = client.post(reverse("verify"), {"file": upload(content)})

        page = response.content.decode()
        assert "This file is not a signed copy issued by ISA Portal" in page
        assert TITLE not in page

    def test_a_certificate_it_does_not_trust_is_reported_untrusted(self, scene, tmp_path):
        # A reader trusting only some other certificate sees the seal intact but not trusted.
        from agreements.seal import local_certificate_write

        local_certificate_write(tmp_path / "other.pem", tmp_path / "other-key.pem")

        _, status = seal_status(stored(signed(scene)), str(tmp_path / "other.pem"))

        assert status.intact
        assert not status.trusted


class TestSealNotConfigured:
    @pytest.mark.parametrize(("cert", "reason"), [
        ("", "PDF_SEAL_CERT and PDF_SEAL_KEY must both be set"),
        ("/nonexistent/seal/cert.pem", "The seal file /nonexistent/seal/cert.pem does not exist"),
    ])
    def test_nothing_is_frozen_and_the_error_is_logged(self, scene, settings, caplog, cert, reason):
        settings.PDF_SEAL_CERT = cert
        paper(scene, scene.owner_party)

        with caplog.at_level(logging.ERROR, logger="agreements.services.documents"):
            paper(scene, scene.party)

        assert scene.version.signatures.count() == 2
        assert not SignedCopy.objects.exists()
        assert [record.getMessage() for record in caplog.records] == [
            f"The signed copy of agreement {scene.agreement.pk} version 1 was not frozen: the seal is not "
            f"configured ({reason}); it will be retried"
        ]

    def test_unreadable_key_counts_as_not_configured(self, settings, tmp_path):
        key = tmp_path / "key.pem"
        key.write_text("not a key")
        settings.PDF_SEAL_KEY = str(key)

        with pytest.raises(SealNotConfigured):
            seal_signer()

    def test_the_retry_freezes_a_sealed_copy_once_it_is_configured(self, scene, settings, seal_files):
        settings.PDF_SEAL_KEY = ""
        paper(scene, scene.owner_party)
        paper(scene, scene.party)
        settings.PDF_SEAL_KEY = str(seal_files[1])

        call_command("freeze_signed_copies")

        _, status = seal_status(stored(SignedCopy.objects.get()), settings.PDF_SEAL_CERT)
        assert status.intact and status.valid


class TestSealCertificateCommand:
    def test_creates_a_five_year_self_signed_certificate_and_private_key(self, settings, tmp_path):
        settings.PDF_SEAL_CERT, settings.PDF_SEAL_KEY = str(tmp_path / "seal/cert.pem"), str(tmp_path / "seal/key.pem")

        call_command("seal_certificate", stdout=StringIO())

        certificate = x509.load_pem_x509_certificate(Path(settings.PDF_SEAL_CERT).read_bytes())
        common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        assert common_name == "ISA Portal signed copies (local)"
        assert certificate.issuer == certificate.subject
        assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
        assert certificate.public_key().curve.name == "secp256r1"
        lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
        assert datetime.timedelta(days=5 * 365) <= lifetime <= datetime.timedelta(days=5 * 366)
        assert Path(settings.PDF_SEAL_KEY).stat().st_mode & 0o077 == 0
        assert seal_pdf(_blank_pdf()).startswith(b"%PDF-")

    def test_never_overwrites_an_existing_certificate(self, settings, tmp_path):
        settings.PDF_SEAL_CERT, settings.PDF_SEAL_KEY = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
        call_command("seal_certificate", stdout=StringIO())
        before = Path(settings.PDF_SEAL_CERT).read_bytes(), Path(settings.PDF_SEAL_KEY).read_bytes()
        out = StringIO()

        call_command("seal_certificate", stdout=out)

        assert (Path(settings.PDF_SEAL_CERT).read_bytes(), Path(settings.PDF_SEAL_KEY).read_bytes()) == before
        assert "already exists" in out.getvalue()


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


class TestDeployCheck:
    def test_warns_when_the_seal_is_not_configured(self, settings):
        settings.PDF_SEAL_CERT = settings.PDF_SEAL_KEY = ""

        warnings = seal_certificate_check(None)

        assert [(warning.id, warning.msg) for warning in warnings] == [
            ("agreements.W001", "Signed copies cannot be sealed: PDF_SEAL_CERT and PDF_SEAL_KEY must both be set."),
        ]

    def test_silent_when_it_is(self):
        assert seal_certificate_check(None) == []
