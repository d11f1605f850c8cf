"""Reads for organisations, contacts and memberships."""

from django.db.models import Count, QuerySet

from .models import Contact, Membership, Notification, Organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The directory is open to everyone signed in (see permissions)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.annotate(party_count=Count("parties", distinct=True))


def contacts_of(organisation: Organisation) -> QuerySet[Contact]:
    return organisation.contacts.select_related("organisation")


def memberships_of(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def notifications_for(user) -> QuerySet[Notification]:
    """What the signed-in person has been told, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient__user=user)
