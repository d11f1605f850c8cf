"""Escalation of a refusal to share (004 §6.4; DOMAIN.md rule 11): a partner that believes
information another partner declined to share is needed to keep a child safe escalates the
refusal, at pace, to the agreement's lead — its owner organisation — which decides it.

The refusal entry is never changed. If the lead decides the information must be shared, the
refusing organisation shares it and logs the share as a new entry.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agreements.models import ContactRole, Party
from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation, Role
from partners.permissions import user_organisation_ids
from partners.services import notice_send, notification_send

from .. import database, privacy
from ..models.disclosures import Disclosure
from ..models.escalations import Escalation, EscalationOutcome, EscalationStatus
from ..models.ledger import LogEventKind
from ..permissions import ESCALATORS, can_escalate, can_resolve_escalation
from ..selectors.escalations import REFUSALS, open_escalation_of
from .disclosures import Problems, _refuse_if_voided
from .ledger import log_event_append

FREE_TEXT_LIMIT = 1000


def free_text_warning(text: str, *, what: str) -> str | None:
    """What to tell the person writing ``what`` ("the concern") when it appears to hold
    identifiers, as the log's summary does."""
    kinds = privacy.identifier_kinds(text)
    if not kinds:
        return None
    return (
        f"{what[0].upper()}{what[1:]} may identify someone: it looks like it holds {privacy.describe(kinds)}. "
        "Take out anything that identifies a person, or tick the box to confirm it holds nothing identifying."
    )


def escalation_problem(disclosure: Disclosure) -> str | None:
    """Why ``disclosure`` cannot be escalated whoever asks, or ``None``."""
    if disclosure.decision not in REFUSALS:
        return ("Only a decision not to share, or a refused request, can be escalated: "
                "this entry records information that was shared.")
    if disclosure.purged_at is not None:
        return "This entry's personal details were destroyed under the retention rule: it cannot be escalated."
    return None


def _already_open(escalation: Escalation) -> str:
    owner = escalation.disclosure.agreement.owner
    return (f"{escalation.raised_by_organisation} escalated this refusal on "
            f"{long_date(timezone.localdate(escalation.raised_at))}: it is waiting for {owner}'s decision.")


@transaction.atomic
def escalation_raise(
    *, disclosure: Disclosure, by_user, organisation: Organisation, concern: str, concern_checked: bool = False,
) -> Escalation:
    """Escalate the refusal ``disclosure`` to the agreement's lead for ``organisation``, a party
    in force other than the one that refused. The lead's SPOCs and governance managers and the
    refusing organisation's SPOCs are told at once. One open escalation per entry."""
    if not can_escalate(by_user, disclosure):
        raise PermissionDenied("Only a practitioner, SPOC or governance manager of a partner other than the "
                               "one that refused may escalate a refusal.")
    Disclosure.objects.select_for_update().filter(pk=disclosure.pk).first()
    _refuse_if_voided(disclosure, "escalated")
    problem = escalation_problem(disclosure)
    if problem:
        raise ValidationError({NON_FIELD_ERRORS: [problem]})
    existing = open_escalation_of(disclosure)
    if existing is not None:
        raise ValidationError({NON_FIELD_ERRORS: [_already_open(existing)]})

    problems = Problems()
    agreement = disclosure.agreement
    if (organisation.pk == disclosure.disclosing_organisation_id
            or organisation.pk not in user_organisation_ids(by_user, roles=ESCALATORS)):
        raise PermissionDenied(f"You may not escalate this refusal for {organisation}.")
    in_force = Party.objects.in_force(on=timezone.localdate()).filter(agreement=agreement, organisation=organisation)
    if not in_force.exists():
        problems.add("organisation", f"{organisation} is not a signed party to {agreement} today, so it cannot "
                                     "escalate a refusal under it.")
    concern = concern.strip()
    if not concern:
        problems.add("concern", "Say why the information is needed to keep a child safe.")
    elif len(concern) > FREE_TEXT_LIMIT:
        problems.add("concern", "The concern must be 1,000 characters or fewer.")
    else:
        warning = free_text_warning(concern, what="the concern")
        if warning and not concern_checked:
            problems.add("concern_checked", warning)
    problems.raise_if_any()

    escalation = Escalation(disclosure=disclosure, raised_by_organisation=organisation, raised_by=by_user,
                            concern=concern)
    escalation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            escalation.save()
    except IntegrityError:
        # Escalated by someone else a moment ago.
        existing = open_escalation_of(disclosure)
        if existing is None:
            raise
        raise ValidationError({NON_FIELD_ERRORS: [_already_open(existing)]}) from None
    log_event_append(kind=LogEventKind.ESCALATED, record=escalation)
    _tell_lead(escalation)
    return escalation


def _spocs(organisation_id: int, agreement_id: int) -> Q:
    """The SPOCs an organisation names for the agreement, and its members in the SPOC role."""
    return (Q(party_roles__party__agreement_id=agreement_id, party_roles__party__organisation_id=organisation_id,
              party_roles__role=ContactRole.SPOC)
            | Q(user__memberships__organisation_id=organisation_id, user__memberships__role=Role.SPOC))


def _tell_lead(escalation: Escalation) -> None:
    """The lead's SPOCs and governance managers, and the refusing organisation's SPOCs, hear at
    once. No case detail leaves the portal: the message names organisations and the date."""
    disclosure = escalation.disclosure
    agreement = disclosure.agreement
    lead = (Q(user__memberships__organisation_id=agreement.owner_id,
              user__memberships__role__in=[Role.SPOC, Role.GOVERNANCE_MANAGER])
            | _spocs(agreement.owner_id, agreement.pk))
    recipients = [
        (agreement.owner, list(Contact.objects.filter(lead).distinct())),
        (disclosure.disclosing_organisation,
         list(Contact.objects.filter(_spocs(disclosure.disclosing_organisation_id, agreement.pk)).distinct())),
    ]
    # The escalation stands either way; a lead with nobody to tell is shown, not skipped in silence.
    notice_send(
        recipients=recipients, responsible_organisation=agreement.owner,
        subject=f"{escalation.raised_by_organisation} escalated a refusal to share to keep a child safe",
        body=(
            f"{escalation.raised_by_organisation} believes information {disclosure.disclosing_organisation} "
            f"declined to share on {long_date(timezone.localdate(disclosure.occurred_at))} is needed to keep a child "
            f"safe, and has escalated the refusal to {agreement.owner}, the lead for {agreement}.\n\n"
            "The agreement asks for escalations to be decided at pace. The lead decides in the portal."
        ),
        url=escalation.get_absolute_url(),
        event_key=f"escalation-{escalation.pk}-raised",
    )


@transaction.atomic
def escalation_resolve(
    *, escalation: Escalation, by_user, outcome: str, resolution_note: str, note_checked: bool = False,
) -> Escalation:
    """The lead's decision on ``escalation``: the outcome and why. Resolved once. The person who
    raised it, and the SPOCs of both organisations the entry joins, are told."""
    if not can_resolve_escalation(by_user, escalation):
        raise PermissionDenied(f"Only a SPOC or governance manager of {escalation.disclosure.agreement.owner}, "
                               "the agreement's lead, may resolve an escalation.")
    # Locked through its entry: the application's role may not lock the escalation's own row (0023).
    Disclosure.objects.select_for_update().filter(pk=escalation.disclosure_id).first()
    escalation = Escalation.objects.select_related(
        "disclosure__agreement__owner", "raised_by_organisation",
    ).get(pk=escalation.pk)
    if escalation.status != EscalationStatus.OPEN:
        raise ValidationError({NON_FIELD_ERRORS: [already_resolved(escalation)]})

    problems = Problems()
    if outcome not in EscalationOutcome.values:
        problems.add("outcome", "Select the outcome.")
    note = resolution_note.strip()
    if not note:
        problems.add("resolution_note", "Give the reasons for the decision.")
    elif len(note) > FREE_TEXT_LIMIT:
        problems.add("resolution_note", "The reasons must be 1,000 characters or fewer.")
    else:
        warning = free_text_warning(note, what="the reasons")
        if warning and not note_checked:
            problems.add("note_checked", warning)
    problems.raise_if_any()

    escalation.status = EscalationStatus.RESOLVED
    escalation.outcome = outcome
    escalation.resolution_note = note
    escalation.resolved_by = by_user
    escalation.resolved_at = timezone.now()
    escalation.full_clean(validate_constraints=False)
    database.decide(escalation, ["status", "outcome", "resolution_note", "resolved_by", "resolved_at"])
    log_event_append(kind=LogEventKind.ESCALATION_RESOLVED, record=escalation)
    _tell_outcome(escalation)
    return escalation


def already_resolved(escalation: Escalation) -> str:
    who = escalation.resolved_by
    return (f"This escalation was resolved by {who.get_full_name() or who.get_username()} on "
            f"{long_date(timezone.localdate(escalation.resolved_at))}: {escalation.get_outcome_display().lower()}.")


def _tell_outcome(escalation: Escalation) -> None:
    disclosure = escalation.disclosure
    agreement = disclosure.agreement
    contacts = Contact.objects.filter(
        Q(user_id=escalation.raised_by_id)
        | _spocs(escalation.raised_by_organisation_id, agreement.pk)
        | _spocs(disclosure.disclosing_organisation_id, agreement.pk)
    ).distinct()
    follow_up = (
        f"\n\n{disclosure.disclosing_organisation} should now share the information and log the share."
        if escalation.outcome == EscalationOutcome.SHARED else ""
    )
    notification_send(
        contacts=list(contacts),
        subject=f"{agreement.owner} decided an escalated refusal: {escalation.get_outcome_display().lower()}",
        body=(
            f"{agreement.owner}, the lead for {agreement}, has decided the escalation by "
            f"{escalation.raised_by_organisation} of {disclosure.disclosing_organisation}'s refusal to share: "
            f"{escalation.get_outcome_display().lower()}.{follow_up}\n\nThe reasons are in the portal."
        ),
        url=reverse("sharing_log:escalation", args=[escalation.pk]),
        event_key=f"escalation-{escalation.pk}-resolved",
    )
