"""Writes for organisations, contacts and memberships. Every write is atomic and validated."""

import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Contact, Membership, Notification, Organisation

User = get_user_model()


@transaction.atomic
def organisation_create(*, name: str, sector: str, **fields) -> Organisation:
    """Add an organisation to the directory (``fields``: address, phone, ICO registration,
    ceased on, successor). Its name must be new to the directory, whatever its case."""
    organisation = Organisation(name=" ".join(name.split()), sector=sector, **fields)
    _clean_organisation(organisation)
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
def contact_update(
    *, contact: Contact, by_user, name: str, job_title: str = "", email: str = "", phone: str = "",
) -> Contact:
    """Change a person's directory entry: name, job title, e-mail and phone.

    Keeping SPOC and other contact details current is not a substantive change to any
    agreement (001 §6.5): nothing here touches agreements, so no new version is made and no
    signature needs renewing. When the person changes their own entry, that also confirms it
    is current.
    """
    contact.name, contact.job_title, contact.email, contact.phone = name, job_title, email, phone
    update_fields = ["name", "job_title", "email", "phone", "updated_at"]
    if by_user is not None and contact.user_id is not None and contact.user_id == by_user.pk:
        contact.details_confirmed_on = timezone.localdate()
        update_fields.append("details_confirmed_on")
    _clean_contact(contact)
    contact.save(update_fields=update_fields)
    return contact


def _clean_contact(contact: Contact) -> None:
    """``full_clean``, with the one-e-mail-per-organisation rule reported on the e-mail field."""
    try:
        contact.full_clean()
    except ValidationError as error:
        errors = error.message_dict
        general = errors.pop(NON_FIELD_ERRORS, [])
        duplicate = next(
            constraint.violation_error_message for constraint in Contact._meta.constraints
            if constraint.name == "contact_unique_email_per_organisation"
        )
        if duplicate in general:
            general.remove(duplicate)
            errors.setdefault("email", []).append(duplicate)
        if general:
            errors[NON_FIELD_ERRORS] = general
        raise ValidationError(errors) from error


ORGANISATION_FIELDS = (
    "name", "sector", "address", "phone", "ico_registration_number", "ico_renewal_date", "ceased_on", "successor",
)


@transaction.atomic
def organisation_update(*, organisation: Organisation, **changes) -> Organisation:
    """Change an organisation's record: any of ``ORGANISATION_FIELDS`` — its name and sector, its
    ICO registration (002 §4.1–4.2), main phone and address, and when it ceased and which body
    took on its work. The audit trail (its history) keeps what it was."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() cannot change {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = " ".join(changes["name"].split())
    for name, value in changes.items():
        setattr(organisation, name, value)
    _clean_organisation(organisation)
    organisation.save(update_fields=[*changes, "updated_at"])
    return organisation


def _clean_organisation(organisation: Organisation) -> None:
    """``full_clean`` with the directory's own messages: one name per body, whatever its case,
    and a successor only for a body that has ceased, never itself."""
    errors: dict[str, list[str]] = {}
    same_name = Organisation.objects.filter(name__iexact=organisation.name).exclude(pk=organisation.pk)
    if organisation.name and same_name.exists():
        errors["name"] = [f"{same_name.get().name} is already in the directory."]
    if organisation.successor_id is not None:
        if organisation.pk is not None and organisation.successor_id == organisation.pk:
            errors["successor"] = ["An organisation cannot be its own successor."]
        elif organisation.ceased_on is None:
            errors["ceased_on"] = ["Enter the date it ceased, or leave out the organisation that took on its work."]
    try:
        organisation.full_clean(exclude=list(errors) or None)  # what is reported already, once
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def membership_create(*, user, organisation: Organisation, role: str) -> Membership:
    """Let ``user`` act for ``organisation`` in ``role``, with that role's permissions.

    The permissions follow from the membership itself (``partners.permissions.grants_sync``),
    as they do for one made in the Django admin or the shell.
    """
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    """End ``membership``: its permissions go with it, and so do its person's sessions."""
    membership.delete()


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
