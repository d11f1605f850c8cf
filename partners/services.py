"""Writes for organisations, contacts and memberships. Every write is atomic and validated."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Contact, Membership, Organisation, Role
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
