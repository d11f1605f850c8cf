"""Reads for the signed copy: which one, if any, an uploaded file is (``/verify/``)."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError

from ..models import SignedCopy

VERIFY_MISSING = "Select the PDF to check"
VERIFY_EMPTY = "The selected file is empty"
VERIFY_NOT_PDF = "The selected file must be a PDF"


def verify_too_big_message() -> str:
    megabytes = settings.SIGNATURE_SCAN_MAX_BYTES / (1024 * 1024)
    return f"The selected file must be smaller than {megabytes:g}MB"


def signed_copy_matching(upload) -> SignedCopy | None:
    """The signed copy whose SHA-256 is that of ``upload`` (an uploaded file), or ``None``.

    ``ValidationError`` on ``file`` for an empty file, one larger than ``SIGNATURE_SCAN_MAX_BYTES``
    (the limit signature scans have) or one that does not start as a PDF does. Nothing is kept.
    """
    if upload.size == 0:
        raise ValidationError({"file": VERIFY_EMPTY})
    if upload.size > settings.SIGNATURE_SCAN_MAX_BYTES:
        raise ValidationError({"file": verify_too_big_message()})
    upload.seek(0)
    if not upload.read(5).startswith(b"%PDF-"):
        raise ValidationError({"file": VERIFY_NOT_PDF})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return (
        SignedCopy.objects.select_related("version__agreement").filter(sha256=digest.hexdigest()).first()
    )
