"""Background tasks of ``partners``: the e-mails the portal sends on their own, off the request path
(docs/decisions/0050). The daily digest is sent by the scheduler, itself a background process.

A write asks for a task with ``task_enqueue_after_commit``: with the database backend the task's
row is written in the write's own transaction (it commits, or rolls back, with it; a worker sees it
only once it has committed); with the immediate backend (``make run``, the tests) the task runs when
the transaction commits, as the e-mails did before. A worker that fails to send tries again later
(``task_retry_later``: 1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours, then it gives up and the
task stays failed in the admin); the person who asked sees no error page either way.

The secret of a single-use link (invitations, authenticator resets) is never stored, and so never
put in a task's arguments: the task makes the secret itself as it sends the e-mail, keeping only
its hash, and the hash the request made (of a secret nobody ever saw) is replaced.
"""

import datetime
import logging
import secrets
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

from .emails import authenticator_reset_email_send, invitation_email_send, notification_email_send
from .models import AuthenticatorReset, Invitation, Notification
from .selectors import link_token_hash

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd, … attempt; after the last, the task is left failed.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60)


def task_enqueue_after_commit(task_, *args, **kwargs) -> None:
    """Ask for ``task_`` once the current transaction commits (see the module's docstring)."""
    if isinstance(task_.get_backend(), DatabaseBackend):
        task_.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task_.enqueue, *args, **kwargs))


def task_retry_later(task_, *args, attempt: int, **kwargs) -> bool:
    """Enqueue ``task_`` again after the back-off for ``attempt`` (1 for the first), with
    ``attempt`` one higher; whether it was. A backend that cannot run a task later (immediate)
    does not retry: there the failure is only logged."""
    if attempt > len(RETRY_DELAYS) or not task_.get_backend().supports_defer:
        return False
    run_after = timezone.now() + datetime.timedelta(seconds=RETRY_DELAYS[attempt - 1])
    task_.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
    return True


class TaskFailed(Exception):
    """What a failed task raises, so that the worker marks it failed: it names the kind of error
    and nothing else, since the worker keeps the traceback in the database and a mail server's
    refusal quotes the address it refused."""


def _failed(task_, what: str, pk: int, attempt: int, error: Exception) -> TaskFailed:
    """Log a failed attempt (ids and the kind of error only: nothing personal), retry it, and
    return the exception to raise."""
    retried = task_retry_later(task_, pk, attempt=attempt)
    logger.error(
        "Sending %s %s failed on attempt %s (%s); %s", what, pk, attempt, type(error).__name__,
        "it will be retried" if retried else "it will not be retried",
    )
    return TaskFailed(type(error).__name__)


def link_secret() -> tuple[str, str]:
    """A new secret for a single-use link (invitation, authenticator reset), and the hash of it
    that is kept: the secret itself is only ever in the e-mail."""
    token = secrets.token_urlsafe(32)
    return token, link_token_hash(token)


@task()
def notification_email(notification_pk: int, attempt: int = 1) -> bool:
    """E-mail one notification on its own and mark it e-mailed; whether it was sent now."""
    notification = (Notification.objects.select_related("recipient")
                    .filter(pk=notification_pk, emailed_at__isnull=True).first())
    if notification is None:  # sent already (a repeated task), or gone
        return False
    try:
        notification_email_send(notification)
    except Exception as error:
        raise _failed(notification_email, "the e-mail of notification", notification_pk, attempt, error) from None
    Notification.objects.filter(pk=notification_pk).update(emailed_at=timezone.now())
    return True


@task()
def invitation_email(invitation_pk: int, attempt: int = 1) -> bool:
    """E-mail an open invitation its single-use link, made now; whether it was sent."""
    try:
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().select_related(
                "organisation", "invited_by").filter(pk=invitation_pk).first()
            if invitation is None or not invitation.is_open:
                return False
            token, invitation.token_hash = link_secret()
            invitation.save(update_fields=["token_hash"])
            invitation_email_send(invitation, token)  # refused: the new hash rolls back
    except Exception as error:
        raise _failed(invitation_email, "the invitation", invitation_pk, attempt, error) from None
    return True


@task()
def authenticator_reset_email(reset_pk: int, attempt: int = 1) -> bool:
    """E-mail the single-use link of an unused authenticator reset, made now; whether it was sent."""
    try:
        with transaction.atomic():
            reset = AuthenticatorReset.objects.select_for_update().select_related(
                "user", "requested_by").filter(pk=reset_pk, used_at__isnull=True).first()
            if reset is None:
                return False
            token, reset.token_hash = link_secret()
            reset.save(update_fields=["token_hash"])
            authenticator_reset_email_send(reset, token)
    except Exception as error:
        raise _failed(authenticator_reset_email, "the authenticator reset", reset_pk, attempt, error) from None
    return True
