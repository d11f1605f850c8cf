"""Background tasks of ``agreements`` (docs/decisions/0050): freezing a signed copy, and rendering
a large agreement's PDF, off the request path. Retries back off as ``partners.tasks`` says."""

import hashlib
import logging

from django.db import transaction
from django_tasks import task

from partners.tasks import TaskFailed, task_retry_later

from .models import AgreementVersion, PreparedPdf, SignedCopy
from .pdf import agreement_html, html_pdf
from .services.documents import prepared_pdf_request, prepared_pdf_store, signed_copy_due, signed_copy_freeze

logger = logging.getLogger(__name__)


def signed_copy_freeze_enqueue(*, version: AgreementVersion) -> bool:
    """Ask a worker to freeze ``version``'s copy if it is due and has none; whether it was asked.

    Called by the signing services after the signature is saved, inside their transaction: with
    the database backend the task's row commits (or rolls back) with the signature, and a worker
    sees it only then; with the immediate backend (``make run``, the tests) the copy is frozen
    there and then, as before.
    """
    if SignedCopy.objects.filter(version=version).exists() or not signed_copy_due(version):
        return False
    freeze_signed_copy.enqueue(version.pk)
    return True


@task()
def freeze_signed_copy(version_pk: int, attempt: int = 1) -> bool:
    """Freeze one version's signed copy (``signed_copy_freeze``); whether there is one now. A copy
    still due but not made (rendering, sealing or storing failed, logged there) is tried again."""
    version = AgreementVersion.objects.filter(pk=version_pk).first()
    if version is None:
        return False
    if signed_copy_freeze(version=version) is not None:
        return True
    if signed_copy_due(version):
        task_retry_later(freeze_signed_copy, version_pk, attempt=attempt)
    return False


def html_sha256(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


@transaction.atomic
def pdf_prepare_enqueue(*, agreement, version: AgreementVersion | None, html: str) -> PreparedPdf:
    """The prepared PDF of ``agreement`` at ``version`` for ``html`` (``agreements.pdf.agreement_html``),
    asking a worker to render it if it is not ready or being rendered. With the immediate backend
    it is rendered there and then, and comes back ready."""
    prepared, render = prepared_pdf_request(agreement=agreement, version=version, html_sha256=html_sha256(html))
    if render:
        prepare_pdf.enqueue(prepared.pk)
        prepared.refresh_from_db()
    return prepared


@task()
def prepare_pdf(prepared_pk: int, attempt: int = 1) -> bool:
    """Render a large agreement's PDF as its document stands now, and keep it; whether it did."""
    prepared = PreparedPdf.objects.select_related("agreement", "version").filter(pk=prepared_pk).first()
    if prepared is None or prepared.is_ready:
        return False
    html = agreement_html(prepared.agreement, prepared.version)
    try:
        content = html_pdf(html)
    except Exception as error:
        retried = task_retry_later(prepare_pdf, prepared_pk, attempt=attempt)
        logger.error(
            "Preparing the PDF of agreement %s failed on attempt %s (%s); %s", prepared.agreement_id, attempt,
            type(error).__name__, "it will be retried" if retried else "it will not be retried",
        )
        raise TaskFailed(type(error).__name__) from None
    prepared_pdf_store(prepared=prepared, html_sha256=html_sha256(html), content=content)
    return True
