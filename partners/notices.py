"""Writes that tell people things: a notification in the portal with its e-mail
(``notification_send``), and a notice the rules require, recorded when it reaches nobody
(``notice_send``, ``UndeliveredNotice``, delivered later by ``undelivered_notices_deliver``).
``partners.services`` re-exports them, where callers import them from."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Contact, Notification, Organisation, Role, UndeliveredNotice
from .selectors import contacts_reachable


def portal_url(path: str) -> str:
    """``path`` as a link in an e-mail: on the portal's public address (``SITE_URL``)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def notification_send(
    *, contacts, subject: str, body: str, url: str = "", event_key: str = "",
) -> list[Notification]:
    """Tell each of ``contacts`` something: a notification in the portal, and an e-mail.

    E-mails leave only when the surrounding transaction commits, so a write that fails tells
    nobody. With ``event_key``, a person already told of that event is not told again.
    """
    sent = []
    for contact in {contact.pk: contact for contact in contacts}.values():
        if event_key and Notification.objects.filter(recipient=contact, event_key=event_key).exists():
            continue
        notification = Notification.objects.create(
            recipient=contact, subject=subject, body=body, url=url, event_key=event_key,
        )
        if contact.email:
            transaction.on_commit(partial(_email_notification, notification.pk))
        sent.append(notification)
    return sent


def notice_send(
    *, recipients, subject: str, body: str, url: str, event_key: str,
    responsible_organisation: Organisation | None = None, shown_at: str = "",
) -> list[UndeliveredNotice]:
    """Send a notice the rules require to each organisation in ``recipients`` (pairs of an
    organisation and the people to tell there), through ``notification_send``.

    An organisation where none of those people can be reached (``contacts_reachable``: no
    e-mail address, nobody who signs in for it) is not silently skipped: an ``UndeliveredNotice``
    records it, shown at ``shown_at`` (by default ``url``) and on "What's due" as "not delivered:
    <organisation> has nobody to tell". Returns those records, so the caller can say so and mark
    nothing done that reached nobody. ``event_key`` names the event; each organisation's notice is recorded once.
    """
    undelivered = []
    for organisation, contacts in recipients:
        reachable = contacts_reachable(contacts, organisation)
        if reachable:
            notification_send(contacts=reachable, subject=subject, body=body, url=url, event_key=event_key)
            continue
        notice, _ = UndeliveredNotice.objects.get_or_create(
            organisation=organisation, event_key=event_key,
            defaults={"subject": subject, "body": body, "url": shown_at or url,
                      "responsible_organisation": responsible_organisation},
        )
        undelivered.append(notice)
    return undelivered


@transaction.atomic
def undelivered_notices_deliver() -> int:
    """Send each notice that reached nobody to whoever now acts for its organisation in the
    portal as its SPOC or governance manager (with a directory entry), and mark it delivered.
    Run daily; a notice whose organisation still has nobody stays as it is. How many were sent."""
    delivered = 0
    for notice in UndeliveredNotice.objects.open().select_related("organisation").select_for_update(of=("self",)):
        organisation = notice.organisation
        people = contacts_reachable(Contact.objects.filter(
            organisation=organisation, user__memberships__organisation=organisation,
            user__memberships__role__in=[Role.SPOC, Role.GOVERNANCE_MANAGER],
        ).distinct(), organisation)
        if not people:
            continue
        notification_send(contacts=people, subject=notice.subject, body=notice.body, url=notice.url,
                          event_key=notice.event_key)
        notice.delivered_at = timezone.now()
        notice.save(update_fields=["delivered_at"])
        delivered += 1
    return delivered


def _email_notification(notification_pk: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_pk)
    link = f"\n\n{portal_url(notification.url)}" if notification.url else ""
    send_mail(
        subject=f"ISA Portal: {notification.subject}",
        message=f"Dear {notification.recipient.name},\n\n{notification.body}{link}\n\n"
                "This message was sent by ISA Portal. You can see all your notifications after signing in.",
        from_email=None, recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification_pk).update(emailed_at=timezone.now())


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def account_event_tell(*, user, subject: str, body: str) -> list[Notification]:
    """Tell a person of something done to their login (a backup code used, the password changed):
    kept among their notifications and e-mailed, so that someone else's doing shows."""
    return notification_send(contacts=Contact.objects.filter(user=user), subject=subject, body=body)
