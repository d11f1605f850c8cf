"""Writes for organisations, contacts and memberships. Every write is atomic and validated."""

import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Contact, Membership, Notification, Organisation, Role
from .permissions import organisation_group, portal_admin_group

User = get_user_model()


@transaction.atomic
def organisation_create(*, name: str, sector: str, **fields) -> Organisation:
    organisation = Organisation(name=name, sector=sector, **fields)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def contact_create(*, organisation: Organisation, name: str, **fields) -> Contact:
    contact = Contact(organisation=organisation, name=name, **fields)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_confirm_details(*, contact: Contact, on: datetime.date) -> Contact:
    """The person confirms their directory entry is current (001 §6.5)."""
    contact.details_confirmed_on = on
    contact.save(update_fields=["details_confirmed_on", "updated_at"])
    return contact


@transaction.atomic
def membership_create(*, user, organisation: Organisation, role: str) -> Membership:
    """Let ``user`` act for ``organisation`` in ``role``, with that role's permissions."""
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    user.groups.add(organisation_group(organisation=organisation, role=role))
    if role == Role.ADMIN:
        user.groups.add(portal_admin_group())
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    user = membership.user
    user.groups.remove(organisation_group(organisation=membership.organisation, role=membership.role))
    membership.delete()
    if membership.role == Role.ADMIN and not user.memberships.filter(role=Role.ADMIN).exists():
        user.groups.remove(portal_admin_group())
        user.is_staff = False
        user.save(update_fields=["is_staff"])


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


def _email_notification(notification_pk: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_pk)
    link = f"\n\n{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
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
