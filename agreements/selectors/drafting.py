"""Reads of agreements themselves: which ones a user may see, manages, or acts for."""

from django.db.models import Count, Q, QuerySet

from partners.permissions import is_portal_admin, objects_granted, user_organisation_ids

from ..models import Agreement, Party, Status
from ..permissions import PARTNER_STATUSES


def agreements_visible_to(user) -> QuerySet[Agreement]:
    """Every agreement ``user`` may see (rules in ``agreements.permissions``)."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    if is_portal_admin(user):
        return Agreement.objects.all()
    granted = objects_granted(user, "agreements.view_agreement", Agreement)
    own = user_organisation_ids(user)
    return granted.filter(~Q(status=Status.DRAFT) | Q(owner_id__in=own))


def agreements_managed_by(user) -> QuerySet[Agreement]:
    """The agreements ``user`` may manage (``agreements.permissions.can_manage``)."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    return objects_granted(user, "agreements.manage_agreement", Agreement)


def agreements_for_home(user) -> QuerySet[Agreement]:
    """The agreements the user's organisations own or are party to, with party counts."""
    own = user_organisation_ids(user)
    party_to = Party.objects.filter(organisation_id__in=own).values("agreement_id")
    return (
        agreements_visible_to(user)
        .filter(Q(owner_id__in=own) | Q(pk__in=party_to))
        .select_related("owner")
        .annotate(party_count=Count("parties", distinct=True))
        .order_by("title")
    )


def drafts_invited_to(user) -> int:
    """How many agreements still in draft the user's organisations are invited to by another
    organisation: they cannot be seen until their owner sends them out (``agreements_visible_to``),
    so the home page says they are there rather than "not party to any agreement"."""
    own = user_organisation_ids(user)
    return (
        Party.objects.filter(organisation_id__in=own, agreement__status=Status.DRAFT)
        .exclude(agreement__owner_id__in=own).values("agreement_id").distinct().count()
    ) if own else 0


def agreements_acted_for(user, roles) -> QuerySet[Agreement]:
    """Agreements that have come into force whose owner, or a partner, is one of ``user``'s
    organisations in ``roles`` — or that ``user`` manages."""
    own = user_organisation_ids(user, roles=roles)
    partnered = Party.objects.filter(organisation_id__in=own, status__in=PARTNER_STATUSES).values("agreement_id")
    return (
        agreements_visible_to(user).filter(effective_date__isnull=False)
        .filter(Q(owner_id__in=own) | Q(pk__in=partnered) | Q(pk__in=agreements_managed_by(user).values("pk")))
        .select_related("owner").order_by("title")
    )
