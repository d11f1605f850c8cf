"""Onward disclosure (001 §5.7): requests to pass an entry on, and the consent given."""

from django.db.models import Prefetch, QuerySet

from partners.models import Organisation
from partners.permissions import user_organisation_ids

from ..models.disclosures import Disclosure
from ..models.onward import OnwardDecision, OnwardDisclosureRequest
from ..permissions import ONWARD_DECIDERS
from .common import disclosures_visible_to


def onward_requests_of(disclosure: Disclosure) -> QuerySet[OnwardDisclosureRequest]:
    """Requests to pass ``disclosure`` on, oldest first, with the entries that passed it on under
    each (read for all of them in one more query, not one a request)."""
    return disclosure.onward_requests.select_related(
        "requested_by", "decided_by", "third_party_organisation",
    ).prefetch_related(
        Prefetch("onward_disclosures", queryset=Disclosure.objects.only("pk", "onward_request")),
    ).order_by("requested_at", "pk")


def onward_request_for_page(user, pk: int) -> QuerySet[OnwardDisclosureRequest]:
    """The onward-disclosure request ``pk`` if ``user`` may read its entry."""
    return OnwardDisclosureRequest.objects.filter(pk=pk, disclosure__in=disclosures_visible_to(user)).select_related(
        "disclosure__agreement", "disclosure__disclosing_organisation", "disclosure__recipient_organisation",
        "requested_by", "decided_by", "third_party_organisation",
    )


def onward_requests_to_decide(user) -> QuerySet[OnwardDisclosureRequest]:
    """Requests awaiting consent to pass on what organisations the user is a SPOC or governance
    manager of shared, other than the user's own requests: oldest first."""
    own = user_organisation_ids(user, roles=ONWARD_DECIDERS)
    return OnwardDisclosureRequest.objects.filter(
        decision=OnwardDecision.PENDING, disclosure__disclosing_organisation_id__in=own,
    ).exclude(requested_by=user).select_related(
        "disclosure__agreement", "disclosure__recipient_organisation", "third_party_organisation",
    ).order_by("requested_at", "pk")


def third_party_choices(disclosure: Disclosure) -> QuerySet[Organisation]:
    """Directory organisations ``disclosure`` might be passed on to: any still in being but the
    two it joins."""
    return Organisation.objects.active().exclude(
        pk__in=[disclosure.disclosing_organisation_id, disclosure.recipient_organisation_id],
    ).order_by("name")


def onward_recipients(disclosure: Disclosure) -> QuerySet[Organisation]:
    """Directory organisations the originator consented to ``disclosure`` being passed on to."""
    return Organisation.objects.filter(
        onward_requests_received__disclosure=disclosure,
        onward_requests_received__decision=OnwardDecision.GRANTED,
    ).distinct().order_by("name")
