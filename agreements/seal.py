"""The portal's PAdES seal on signed copies (docs/decisions/0016).

A signed copy is sealed with the certificate and key named by ``PDF_SEAL_CERT`` and
``PDF_SEAL_KEY`` (PEM files; ``PDF_SEAL_KEY_PASSWORD`` if the key is encrypted) before its
SHA-256 is taken, so ``/verify/`` matches the sealed bytes and any PDF reader can show that the
file was altered after the portal issued it.

No certificate is ever made here: without one, ``SealNotConfigured`` is raised and the copy is
not frozen (a later signature or ``manage.py freeze_signed_copies`` retries). A local one comes
from ``make seal-certificate`` (``manage.py seal_certificate``), part of ``make run``.
"""

import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings

SEAL_FIELD = "PortalSeal"
SEAL_REASON = "Signed copy issued by ISA Portal"
SEAL_FIELD_DESCRIPTION = "Seal of ISA Portal"
LOCAL_COMMON_NAME = "ISA Portal signed copies (local)"
LOCAL_VALIDITY = datetime.timedelta(days=5 * 365)


class SealNotConfigured(RuntimeError):
    """The seal's certificate or key is not configured, missing or unreadable."""


def seal_signer():
    """pyHanko's signer from the configured certificate and key; ``SealNotConfigured`` if it cannot."""
    from pyhanko.sign import signers

    cert, key = settings.PDF_SEAL_CERT, settings.PDF_SEAL_KEY
    if not cert or not key:
        raise SealNotConfigured("PDF_SEAL_CERT and PDF_SEAL_KEY must both be set")
    for path in (cert, key):
        if not Path(path).is_file():
            raise SealNotConfigured(f"The seal file {path} does not exist")
    password = settings.PDF_SEAL_KEY_PASSWORD
    # SimpleSigner.load logs and returns None on a wrong password or unreadable key.
    signer = signers.SimpleSigner.load(
        key_file=str(key), cert_file=str(cert), key_passphrase=password.encode() if password else None,
    )
    if signer is None:
        raise SealNotConfigured("The seal's certificate or key could not be read")
    return signer


def seal_pdf(content: bytes) -> bytes:
    """``content`` (a PDF) with the portal's PAdES seal covering the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = seal_signer()
    writer = IncrementalPdfFileWriter(BytesIO(content))
    # The copy is tagged PDF/UA-1 (docs/decisions/0046), and pyHanko does not tag the seal's
    # invisible widget: PDF/UA allows an untagged annotation only if it is hidden. A reader's
    # signature panel still lists the seal; it has no appearance to print.
    field = fields.SigFieldSpec(
        sig_field_name=SEAL_FIELD,
        readable_field_name=SEAL_FIELD_DESCRIPTION,
        invis_sig_settings=fields.InvisSigSettings(set_print_flag=False, set_hidden_flag=True),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=SEAL_REASON,
        location="ISA Portal",
    )
    return signers.sign_pdf(writer, metadata, signer=signer, new_field_spec=field).getvalue()


def local_certificate_write(cert_path: Path, key_path: Path) -> bool:
    """Write a self-signed P-256 certificate and key for local use; ``False`` if either exists.

    Never overwrites: copies already sealed name the existing certificate.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    if cert_path.exists() or key_path.exists():
        return False
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOCAL_COMMON_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + LOCAL_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption(),
    )
    # The key is readable by its owner only, created so rather than narrowed afterwards.
    key_path.touch(mode=0o600)
    key_path.write_bytes(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return True
