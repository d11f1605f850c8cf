"""Reads for the sharing log. Views reach entries only through these."""

from django.db.models import Q, QuerySet

from agreements.models import Party, PartyStatus
from partners.models import Role
from partners.permissions import user_organisation_ids

from .models import Disclosure
from .permissions import READERS

AUDITING_PARTY_STATUSES = (PartyStatus.SIGNED, PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN)


def disclosures_visible_to(user) -> QuerySet[Disclosure]:
    """Entries ``user`` may read (rules in ``sharing_log.permissions``)."""
    if not user.is_authenticated:
        return Disclosure.objects.none()
    own = user_organisation_ids(user, roles=READERS)
    audited = user_organisation_ids(user, roles=[Role.AUDITOR])
    # An auditor's organisation audits what it has joined: not an agreement it was merely
    # invited to, or declined.
    audited_agreements = Party.objects.filter(
        organisation_id__in=audited, status__in=AUDITING_PARTY_STATUSES,
    ).values("agreement_id")
    return Disclosure.objects.filter(
        Q(disclosing_organisation_id__in=own)
        | Q(recipient_organisation_id__in=own)
        | Q(agreement_id__in=audited_agreements)
    )
