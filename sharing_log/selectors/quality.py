"""Data quality (001 §5.6): notices that an entry was inaccurate, and each recipient's confirmation
that its copy was corrected or destroyed."""

from django.db.models import Q, QuerySet

from partners.permissions import user_organisation_ids

from ..models.amendments import Amendment, AmendmentKind
from ..models.disclosures import Decision, Disclosure
from ..models.onward import OnwardDecision, OnwardDisclosureRequest
from ..models.quality import ConfirmationOutcome, ConfirmationReason, RecipientDestructionConfirmation
from ..permissions import AUDITORS, CONFIRMERS, READERS
from .amendments import current_case_reference, with_case_reference
from .common import _with_state, disclosures_visible_to


def inaccuracy_of(disclosure: Disclosure) -> Amendment | None:
    """The notice that ``disclosure`` was inaccurate, if it was marked so."""
    if "prefetched_inaccurate" in disclosure.__dict__:
        return disclosure.prefetched_inaccurate
    return disclosure.amendments.filter(kind=AmendmentKind.INACCURATE).select_related("made_by").first()


def entries_of_the_same_case(disclosure: Disclosure) -> list[Disclosure]:
    """Other entries the disclosing organisation shared under the same case reference (as it
    stands after corrections) that may carry the same inaccurate information: shared, and
    neither voided, destroyed nor already marked inaccurate. Oldest first."""
    reference = current_case_reference(disclosure)
    candidates = _with_state(
        with_case_reference(Disclosure.objects.filter(
            disclosing_organisation_id=disclosure.disclosing_organisation_id, decision=Decision.SHARED,
            purged_at__isnull=True, destruction__isnull=True,
        ), reference).exclude(pk=disclosure.pk)
    ).filter(is_voided=False).exclude(amendments__kind=AmendmentKind.INACCURATE).order_by("occurred_at", "pk")
    # A match on an older value that a correction has since changed is not the same case.
    return [entry for entry in candidates if current_case_reference(entry).lower() == reference.lower()]


def marked_with(notice: Amendment) -> list[int]:
    """The entries marked inaccurate by one notice: its own, and those the originator ticked."""
    return [notice.disclosure_id, *notice.changes.get("also_entries", [])]


def recipient_confirmations_of(notice: Amendment) -> QuerySet[RecipientDestructionConfirmation]:
    """Every recipient's confirmation that ``notice`` asked for, by entry and organisation."""
    return RecipientDestructionConfirmation.objects.filter(
        disclosure_id__in=marked_with(notice), reason=ConfirmationReason.INACCURACY,
    ).select_related("organisation", "confirmed_by", "disclosure").order_by("disclosure_id", "organisation__name")


def confirmation_for_page(user, pk: int) -> QuerySet[RecipientDestructionConfirmation]:
    """The confirmation ``pk`` if ``user`` belongs to the recipient it asks, or may read its entry."""
    members = user_organisation_ids(user, roles=READERS + AUDITORS)
    return RecipientDestructionConfirmation.objects.filter(pk=pk).filter(
        Q(organisation_id__in=members) | Q(disclosure__in=disclosures_visible_to(user))
    ).select_related(
        "organisation", "confirmed_by", "disclosure__agreement", "disclosure__disclosing_organisation",
        "disclosure__recipient_organisation",
    )


def confirmations_awaiting(user) -> QuerySet[RecipientDestructionConfirmation]:
    """Copies organisations the user is a SPOC of have still to correct or destroy: oldest first."""
    return RecipientDestructionConfirmation.objects.filter(
        organisation_id__in=user_organisation_ids(user, roles=CONFIRMERS),
        outcome=ConfirmationOutcome.PENDING,
    ).select_related("organisation", "disclosure__disclosing_organisation").order_by("requested_at", "pk")


def onward_consent_to(confirmation: RecipientDestructionConfirmation) -> OnwardDisclosureRequest | None:
    """The consent by which ``confirmation``'s organisation received the entry onward, if it did."""
    return confirmation.disclosure.onward_requests.filter(
        third_party_organisation=confirmation.organisation, decision=OnwardDecision.GRANTED,
    ).select_related("disclosure__recipient_organisation").order_by("decided_at").first()
