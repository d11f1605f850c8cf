"""Background tasks of ``agreements`` (docs/decisions/0050): freezing a signed copy, and rendering
a large agreement's PDF, off the request path. Retries back off as ``partners.tasks`` says."""

from django_tasks import task

from partners.tasks import task_retry_later

from .models import AgreementVersion, SignedCopy
from .services.documents import signed_copy_due, signed_copy_freeze


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
