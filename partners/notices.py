"""Writes that tell people things: a notification in the portal with its e-mail
(``notification_send``), and a notice the rules require, recorded when it reaches nobody
(``notice_send``, ``UndeliveredNotice``, delivered later by ``undelivered_notices_deliver``).
``partners.services`` re-exports them, where callers import them from. The daily run's
reminders are e-mailed as one digest a person (``notification_digests_send``, decision 0039)."""

import logging
from dataclasses import dataclass, field
from itertools import groupby

from django.db import transaction
from django.utils import timezone

from .emails import digest_email_send
from .emails import portal_url as portal_url
from .models import Contact, Notification, Organisation, UndeliveredNotice
from .selectors import contacts_reachable, organisation_contacts_reachable
from .tasks import notification_email, task_enqueue_after_commit

logger = logging.getLogger(__name__)


def notification_send(
    *, contacts, subject: str, body: str, url: str = "", event_key: str = "", in_digest: bool = False,
) -> list[Notification]:
    """Tell each of ``contacts`` something: a notification in the portal, and an e-mail.

    Each e-mail is a background task (``partners.tasks.notification_email``), asked for only when
    the surrounding transaction commits, so a write that fails tells nobody, and a mail server that
    refuses it is tried again later rather than failing the write. With ``event_key``, a person
    already told of that event is not told again. With ``in_digest`` (the daily run's reminders)
    the e-mail waits for the person's digest.
    """
    sent = []
    for contact in {contact.pk: contact for contact in contacts}.values():
        if event_key and Notification.objects.filter(recipient=contact, event_key=event_key).exists():
            continue
        notification = Notification.objects.create(
            recipient=contact, subject=subject, body=body, url=url, event_key=event_key, in_digest=in_digest,
        )
        if contact.email and not in_digest:
            task_enqueue_after_commit(notification_email, notification.pk)
        sent.append(notification)
    return sent


@dataclass(frozen=True)
class Message:
    """One notification of a batch (``notifications_send_in_digest``): to each of ``contacts``."""

    contacts: list = field(hash=False)
    subject: str
    body: str
    url: str
    event_key: str


def notifications_send_in_digest(messages: list[Message], *, batch_size: int = 1000) -> int:
    """``notification_send(in_digest=True)`` for many messages at once, in a few queries however
    many (the daily run, issue 15): each contact gets a notification, e-mailed in their digest,
    and nobody is told of an event key twice. How many were told."""
    keys = sorted({message.event_key for message in messages if message.event_key})
    told = set()
    for start in range(0, len(keys), batch_size):
        chunk = keys[start:start + batch_size]
        told.update(Notification.objects.filter(event_key__in=chunk).values_list("recipient_id", "event_key"))
    notifications = {}
    for number, message in enumerate(messages):
        for contact in message.contacts:
            if (contact.pk, message.event_key) in told:
                continue
            # Without an event key each message is its own; with one, once a person.
            notifications[contact.pk, message.event_key or number] = Notification(
                recipient=contact, subject=message.subject, body=message.body, url=message.url,
                event_key=message.event_key, in_digest=True,
            )
    Notification.objects.bulk_create(notifications.values(), batch_size=batch_size)
    return len(notifications)


def notice_send(
    *, recipients, subject: str, body: str, url: str, event_key: str,
    responsible_organisation: Organisation | None = None, shown_at: str = "", in_digest: bool = False,
) -> list[UndeliveredNotice]:
    """Send a notice the rules require to each organisation in ``recipients`` (pairs of an
    organisation and the people to tell there), through ``notification_send``.

    An organisation where none of those people can be reached (``contacts_reachable``: no
    e-mail address, nobody who signs in for it) is not silently skipped: an ``UndeliveredNotice``
    records it, shown at ``shown_at`` (by default ``url``) and on "What's due" as "not delivered:
    <organisation> has nobody to tell". Returns those records, so the caller can say so and mark
    nothing done that reached nobody. ``event_key`` names the event; each organisation's notice is recorded once.
    With ``in_digest`` (news and asks that can wait for the morning, decision 0045) its e-mail waits
    for each person's daily digest; delivered or not is still decided, and recorded, now.
    """
    undelivered = []
    for organisation, contacts in recipients:
        reachable = contacts_reachable(contacts, organisation)
        if reachable:
            notification_send(contacts=reachable, subject=subject, body=body, url=url, event_key=event_key,
                              in_digest=in_digest)
            continue
        notice, _ = UndeliveredNotice.objects.get_or_create(
            organisation=organisation, event_key=event_key,
            defaults={"subject": subject, "body": body, "url": shown_at or url,
                      "responsible_organisation": responsible_organisation},
        )
        undelivered.append(notice)
    return undelivered


@dataclass(frozen=True)
class Notice:
    """One notice of a batch (``notices_record``): to ``reachable``, the people it reaches at
    ``organisation`` (``contacts_reachable``), or recorded as undelivered there when none."""

    organisation: Organisation
    reachable: list = field(hash=False)
    subject: str
    body: str
    url: str
    event_key: str
    responsible_organisation: Organisation | None = None


def notices_record(notices: list[Notice], *, batch_size: int = 1000) -> int:
    """``notice_send`` for many notices at once, in a few queries whatever their number (the daily
    run, issue 15): each person reached gets a notification e-mailed in their digest, and an
    organisation with nobody to tell gets an ``UndeliveredNotice``. As with ``notice_send``, nobody
    is told of an event key twice and each organisation's notice is recorded once. How many
    people were told now."""
    keys = sorted({notice.event_key for notice in notices})
    told = set()
    for start in range(0, len(keys), batch_size):
        chunk = keys[start:start + batch_size]
        told.update(Notification.objects.filter(event_key__in=chunk).values_list("recipient_id", "event_key"))
    notifications, undelivered = {}, []
    for notice in notices:
        for contact in notice.reachable:
            if (contact.pk, notice.event_key) not in told:
                notifications[contact.pk, notice.event_key] = Notification(
                    recipient=contact, subject=notice.subject, body=notice.body, url=notice.url,
                    event_key=notice.event_key, in_digest=True,
                )
        if not notice.reachable:
            undelivered.append(UndeliveredNotice(
                organisation=notice.organisation, event_key=notice.event_key, subject=notice.subject,
                body=notice.body, url=notice.url, responsible_organisation=notice.responsible_organisation,
            ))
    Notification.objects.bulk_create(notifications.values(), batch_size=batch_size)
    UndeliveredNotice.objects.bulk_create(undelivered, batch_size=batch_size, ignore_conflicts=True)
    return len(notifications)


@transaction.atomic
def undelivered_notices_deliver() -> int:
    """Send each notice that reached nobody to whoever now acts for its organisation in the
    portal as its SPOC or governance manager (with a directory entry), and mark it delivered.
    Run daily; a notice whose organisation still has nobody stays as it is. How many were sent.
    Who acts for each organisation is read once for the run, and only the notices of
    organisations with someone are locked and read (issue 15)."""
    waiting = UndeliveredNotice.objects.open()
    people = organisation_contacts_reachable(waiting.values("organisation_id"))
    delivered = 0
    for notice in (waiting.filter(organisation_id__in=list(people)).select_related("organisation")
                   .select_for_update(of=("self",))):
        notification_send(contacts=people[notice.organisation_id], subject=notice.subject, body=notice.body,
                          url=notice.url, event_key=notice.event_key)
        notice.delivered_at = timezone.now()
        notice.save(update_fields=["delivered_at"])
        delivered += 1
    return delivered


def notification_digests_send() -> int:
    """E-mail each person, in one message, every reminder of theirs waiting for a digest; how many
    e-mails were sent. The last step of the daily run, so a run's reminders go together; one not
    sent (the mail server refused it) stays waiting for the next run, and the others still go."""
    waiting = (Notification.objects.filter(in_digest=True, emailed_at__isnull=True)
               .exclude(recipient__email="").select_related("recipient").order_by("recipient_id", "created_at", "pk"))
    sent = 0
    for _, group in groupby(waiting, key=lambda notification: notification.recipient_id):
        notifications = list(group)
        recipient = notifications[0].recipient
        try:
            with transaction.atomic():
                Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
                digest_email_send(recipient, notifications)
        except Exception as error:  # noqa: BLE001 – one refused address must not hold up the others
            logger.error("The digest to contact %s was not sent: %s", recipient.pk, type(error).__name__)
            continue
        sent += 1
    return sent


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def account_event_tell(*, user, subject: str, body: str) -> list[Notification]:
    """Tell a person of something done to their login (a backup code used, the password changed):
    kept among their notifications and e-mailed, so that someone else's doing shows."""
    return notification_send(contacts=Contact.objects.filter(user=user), subject=subject, body=body)
