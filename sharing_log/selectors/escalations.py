"""Escalations of refusals to share (004 §6.4)."""

from django.db.models import Q, QuerySet

from govuk_blocks.dates import date_time
from partners.permissions import user_organisation_ids

from ..models.disclosures import Decision, Disclosure
from ..models.escalations import Escalation, EscalationStatus
from ..permissions import LEADS, READERS
from .amendments import CORRECTABLE_FIELDS, corrected_values, display_value
from .common import EntryRow, TimelineEvent, _or_audited, _person, category_choices

# The decisions that may be escalated: the entry records that nothing was shared.
REFUSALS = (Decision.NOT_SHARED, Decision.REQUEST_REFUSED)


def escalations_visible_to(user) -> QuerySet[Escalation]:
    """Escalations ``user`` may see (rules in ``sharing_log.permissions``): the agreement's lead
    sees them although it may not see the entries they escalate."""
    if not user.is_authenticated:
        return Escalation.objects.none()
    own = user_organisation_ids(user, roles=READERS)
    leads = user_organisation_ids(user, roles=LEADS)
    return Escalation.objects.filter(
        Q(raised_by_organisation_id__in=own)
        | Q(disclosure__disclosing_organisation_id__in=own)
        | Q(disclosure__recipient_organisation_id__in=own)
        | Q(disclosure__agreement__owner_id__in=leads)
        | _or_audited(user, "disclosure__agreement_id")
    ).select_related(
        "disclosure__agreement__owner", "disclosure__disclosing_organisation",
        "disclosure__recipient_organisation", "raised_by_organisation", "raised_by", "resolved_by",
    )


def escalation_for_page(user, pk: int) -> QuerySet[Escalation]:
    """The escalation ``pk`` if ``user`` may see it."""
    return escalations_visible_to(user).filter(pk=pk)


def escalations_of(disclosure: Disclosure) -> QuerySet[Escalation]:
    """Escalations of ``disclosure``, oldest first."""
    return disclosure.escalations.select_related(
        "raised_by_organisation", "raised_by", "resolved_by",
    ).order_by("raised_at", "pk")


def open_escalation_of(disclosure: Disclosure) -> Escalation | None:
    return escalations_of(disclosure).filter(status=EscalationStatus.OPEN).first()


def escalation_entry_rows(escalation: Escalation) -> list[EntryRow]:
    """What the lead sees of the escalated entry to decide: the refusal, as corrected since,
    and nothing of who was told or how it would have been sent."""
    d = escalation.disclosure
    current = {**{field: getattr(d, field) for field in CORRECTABLE_FIELDS}, **corrected_values(d)}
    labels = dict(category_choices())

    def listed(values) -> str:
        return ", ".join(str(labels.get(value, value)) for value in values) or "None"

    return [
        EntryRow("Decision", d.get_decision_display()),
        EntryRow("Reason for the decision", current["decision_reason"] or "Not recorded"),
        EntryRow("Decided by", str(d.disclosing_organisation)),
        EntryRow("Partner that asked", str(d.recipient_organisation)),
        EntryRow("When it was decided", date_time(d.occurred_at)),
        EntryRow("Agreement", str(d.agreement)),
        EntryRow("Purpose", str(d.purpose)),
        EntryRow("Case reference", current["case_reference"]),
        EntryRow("Who it is about", display_value("subject_type", current["subject_type"])),
        EntryRow("Data level", display_value("data_level", current["data_level"])),
        EntryRow("Data categories", listed(d.data_categories)),
        EntryRow("Special category data", listed(d.special_categories)),
        EntryRow("Criminal offence data", "Yes" if d.criminal_offence_data else "No"),
    ]


def escalation_timeline(escalation: Escalation) -> list[TimelineEvent]:
    """Raised, then resolved: who and when."""
    events = [TimelineEvent(title=f"Escalated by {escalation.raised_by_organisation}",
                            by=_person(escalation.raised_by), at=escalation.raised_at)]
    if escalation.resolved_at is not None:
        events.append(TimelineEvent(title=f"Resolved: {escalation.get_outcome_display()}",
                                    by=_person(escalation.resolved_by), at=escalation.resolved_at))
    return events


def escalations_to_decide(user) -> QuerySet[Escalation]:
    """Open escalations ``user`` may resolve (``sharing_log.permissions.can_resolve_escalation``):
    those under agreements their organisation leads, as SPOC or governance manager; oldest first."""
    if not user.is_authenticated:
        return Escalation.objects.none()
    leads = user_organisation_ids(user, roles=LEADS)
    return Escalation.objects.filter(
        status=EscalationStatus.OPEN, disclosure__agreement__owner_id__in=leads,
    ).select_related("disclosure__agreement", "raised_by_organisation").order_by("raised_at", "pk")
