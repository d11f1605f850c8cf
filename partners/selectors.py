"""Reads for organisations, contacts and memberships."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Contact, Membership, Notification, Organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The directory is open to everyone signed in (see permissions)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.annotate(party_count=Count("parties", distinct=True))


def contacts_of(organisation: Organisation) -> QuerySet[Contact]:
    return organisation.contacts.select_related("organisation")


def contacts_visible_to(user) -> QuerySet[Contact]:
    """The people in the directory: everyone at an organisation ``user`` may see."""
    return Contact.objects.filter(organisation__in=organisations_visible_to(user)).select_related("organisation")


# The directory page: filters and ICO registration renewals ---------------------------------

RENEWAL_OVERDUE = "overdue"
RENEWAL_DUE_SOON = "due_soon"
RENEWAL_DUE_SOON_DAYS = 30


def organisations_filtered(
    organisations: QuerySet[Organisation], *, sector: str = "", search: str = "",
) -> QuerySet[Organisation]:
    """Narrow ``organisations`` (from ``organisations_visible_to``) by sector and by name."""
    if sector:
        organisations = organisations.filter(sector=sector)
    search = " ".join(search.split())
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(ico_registration_number__iexact=search)
        )
    return organisations


def ico_renewal_state(organisation: Organisation, *, on: datetime.date | None = None) -> str:
    """``RENEWAL_OVERDUE``, ``RENEWAL_DUE_SOON`` (within 30 days) or "" for the organisation's
    ICO registration (002 §4.1–4.2). A body that has ceased has nothing to renew."""
    on = on or timezone.localdate()
    due = organisation.ico_renewal_date
    if due is None or organisation.has_ceased:
        return ""
    if due < on:
        return RENEWAL_OVERDUE
    if due <= on + datetime.timedelta(days=RENEWAL_DUE_SOON_DAYS):
        return RENEWAL_DUE_SOON
    return ""


def memberships_of(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def notifications_for(user) -> QuerySet[Notification]:
    """What the signed-in person has been told, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient__user=user)
