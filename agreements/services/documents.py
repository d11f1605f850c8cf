"""The signed copy: a version's PDF frozen once every required party has signed it.

*Required parties* of a version are the agreement's parties that have signed or are still
expected to sign — signed, invited, awaiting details, awaiting an appropriate case — the owner
included. Parties that declined, withdrew or gave notice of withdrawal cannot sign
(``signing.signing_refusal``), so they are not waited for. As for moving into force
(``lifecycle.signature_problems``), the owner and at least one partner must have signed.

The copy is rendered by ``agreements.pdf.agreement_pdf`` once, stored under ``MEDIA_ROOT`` (private,
like signature scans) under a name the server makes, and never rendered again: the parties'
names and signatories printed in it are those of the moment the last signature landed.

Before its SHA-256 is taken the copy is sealed (``agreements.seal``, PAdES), so ``/verify/`` matches
the sealed bytes. Without a configured seal certificate nothing is frozen: an unsealed copy could
never be sealed later, since a frozen copy is never made again (docs/decisions/0016).

Rendering is a background task (``agreements.tasks.freeze_signed_copy``, docs/decisions/0050): the
last signature asks for it (``agreements.tasks.signed_copy_freeze_enqueue``) and a worker renders, seals and stores
the copy, so a signatory does not wait for WeasyPrint. It can never undo a signature: a failure is
logged (agreement and version ids only) and ``None`` returned; the task tries again later, as do
the next signature on the version and ``manage.py freeze_signed_copies`` (the daily scheduler).
"""

import datetime
import hashlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..models import AgreementVersion, PartyStatus, PreparedPdf, SignedCopy, Status
from ..seal import SealNotConfigured, seal_pdf

logger = logging.getLogger(__name__)


# Parties a version waits for: those that have signed or may still sign.
REQUIRED_STATUSES = (
    PartyStatus.SIGNED, PartyStatus.INVITED, PartyStatus.AWAITING_DETAILS, PartyStatus.AWAIT_CASE,
)


def version_fully_signed(version: AgreementVersion) -> bool:
    """Whether every required party of ``version``'s agreement has signed ``version``."""
    agreement = version.agreement
    required = set(agreement.parties.filter(status__in=REQUIRED_STATUSES).values_list("pk", flat=True))
    signed = set(version.signatures.values_list("party_id", flat=True))
    owners = set(agreement.parties.filter(organisation_id=agreement.owner_id).values_list("pk", flat=True))
    if not required or required - signed:
        return False
    return bool(owners & signed) and bool(signed - owners)


def signed_copy_due(version: AgreementVersion) -> bool:
    """Whether ``version`` is ready to be frozen: fully signed, and not a version signed before the
    portal that waits for the day it came into force to be recorded (``services.existing``), so
    that its sealed copy shows that day, not "not yet in force"."""
    if not version_fully_signed(version):
        return False
    return not (version.issued_on is not None and version.agreement.status == Status.AWAITING_SIGNATURES)


def signed_copy_render(version: AgreementVersion) -> bytes:
    """The bytes frozen for ``version``; a separate function so tests can make it fail."""
    from ..pdf import agreement_pdf  # WeasyPrint loads only when a copy is made

    return agreement_pdf(version.agreement, version)


@transaction.atomic
def signed_copy_freeze(*, version: AgreementVersion) -> SignedCopy | None:
    """Freeze ``version``'s PDF if every required party has signed it; idempotent.

    Returns the existing copy if there is one, ``None`` while parties are still to sign or if
    rendering failed (logged; a later call retries). Called by the signing services after the
    signature is saved, inside their transaction.
    """
    # The version's row lock makes simultaneous last signatures freeze one after the other: the
    # second sees the first's copy.
    version = AgreementVersion.objects.select_for_update().select_related("agreement").get(pk=version.pk)
    existing = SignedCopy.objects.filter(version=version).first()
    if existing is not None:
        return existing
    if not signed_copy_due(version):
        return None
    try:
        content = seal_pdf(signed_copy_render(version))
    except SealNotConfigured as problem:
        logger.error(
            "The signed copy of agreement %s version %s was not frozen: the seal is not configured (%s); "
            "it will be retried",
            version.agreement_id, version.number, problem,
        )
        return None
    except Exception:
        logger.exception(
            "Rendering the signed copy of agreement %s version %s failed; it will be retried",
            version.agreement_id, version.number,
        )
        return None
    copy = SignedCopy(version=version, sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    copy.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the signature standing
            copy.full_clean()
            copy.save()
    except Exception:
        # The row was not written, so the file it would have pointed at goes too.
        copy.file.storage.delete(copy.file.name)
        logger.exception(
            "Storing the signed copy of agreement %s version %s failed; it will be retried",
            version.agreement_id, version.number,
        )
        return None
    return copy


def signed_copies_freeze_outstanding() -> list[SignedCopy]:
    """Freeze every fully signed version that has no copy yet (``freeze_signed_copies``)."""
    frozen = []
    for version in AgreementVersion.objects.filter(signed_copy__isnull=True, signatures__isnull=False).distinct():
        copy = signed_copy_freeze(version=version)
        if copy is not None:
            frozen.append(copy)
    return frozen


# A large agreement's PDF, prepared by a task (docs/decisions/0050) ------------------------------

# A request older than this whose PDF is not ready is asked for again (its worker died).
PREPARING_GIVEN_UP_AFTER = datetime.timedelta(minutes=15)



@transaction.atomic
def prepared_pdf_request(
    *, agreement, version: AgreementVersion | None, html_sha256: str,
) -> tuple[PreparedPdf, bool]:
    """The prepared PDF of ``agreement`` at ``version`` (``None``: the working draft) for the HTML
    whose hash is ``html_sha256``, and whether it must be rendered (a new request, or one whose
    task was lost). A prepared file of other HTML is dropped: its document has changed."""
    prepared = (PreparedPdf.objects.select_for_update()
                .filter(agreement=agreement, version=version).order_by("-requested_at", "-pk").first())
    now = timezone.now()
    if prepared is not None and prepared.html_sha256 == html_sha256:
        lost = not prepared.is_ready and now - prepared.requested_at > PREPARING_GIVEN_UP_AFTER
        if lost:
            prepared.requested_at = now
            prepared.save(update_fields=["requested_at"])
        return prepared, lost
    if prepared is None:
        prepared = PreparedPdf(agreement=agreement, version=version)
    elif prepared.file:
        old, storage = prepared.file.name, prepared.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    prepared.html_sha256, prepared.file, prepared.requested_at, prepared.ready_at = html_sha256, "", now, None
    prepared.save()
    return prepared, True


@transaction.atomic
def prepared_pdf_store(*, prepared: PreparedPdf, html_sha256: str, content: bytes) -> PreparedPdf:
    """Keep ``content``, the PDF of the HTML whose hash is ``html_sha256``, as ``prepared``'s file."""
    prepared = PreparedPdf.objects.select_for_update().get(pk=prepared.pk)
    old = prepared.file.name if prepared.file else ""
    prepared.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
    prepared.html_sha256, prepared.ready_at = html_sha256, timezone.now()
    prepared.save()
    if old:
        transaction.on_commit(lambda: prepared.file.storage.delete(old))
    return prepared
