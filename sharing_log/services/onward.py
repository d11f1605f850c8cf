"""Onward disclosure (001 §5.7; DOMAIN.md rule 3): a recipient asks the originating SPOC's
written consent to pass information it received to a third party, and the originating SPOC gives
or refuses it with a reason. Both are recorded as an ``OnwardDisclosureRequest``; the entry
itself is never changed.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from agreements.models import ContactRole
from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation, Role
from partners.services import notice_send, notification_send

from .. import database
from ..models.disclosures import Decision, Disclosure
from ..models.ledger import LogEventKind
from ..models.onward import OnwardDecision, OnwardDisclosureRequest
from ..permissions import can_decide_onward, can_request_onward
from ..selectors.retention import is_destroyed
from .disclosures import Problems, _refuse_if_voided
from .ledger import log_event_append


def spoc_contacts(organisation: Organisation) -> list[Contact]:
    """The directory entries of ``organisation``'s SPOCs: those it names as SPOC on any
    agreement, and its members in the SPOC role."""
    return list(Contact.objects.filter(organisation=organisation).filter(
        Q(party_roles__role=ContactRole.SPOC)
        | Q(user__memberships__organisation=organisation, user__memberships__role=Role.SPOC)
    ).distinct())



def spoc_contacts_of(organisation_ids) -> dict[int, list[Contact]]:
    """``spoc_contacts`` of each of ``organisation_ids`` (those with none left out), in one query."""
    contacts = Contact.objects.filter(organisation_id__in=organisation_ids).filter(
        Q(party_roles__role=ContactRole.SPOC)
        | Q(user__memberships__organisation=F("organisation"), user__memberships__role=Role.SPOC)
    ).distinct().order_by("organisation_id", "pk")
    found: dict[int, list[Contact]] = {}
    for contact in contacts:
        found.setdefault(contact.organisation_id, []).append(contact)
    return found

def onward_request_problem(disclosure: Disclosure) -> str | None:
    """Why nobody may ask to pass ``disclosure`` on, or ``None``."""
    if disclosure.decision != Decision.SHARED:
        return "This entry records a decision not to share: there is no information to pass on."
    if is_destroyed(disclosure):
        return "This entry's personal details were destroyed under the retention rule: it cannot be passed on."
    return None


def _refuse_unless_passable(disclosure: Disclosure) -> None:
    _refuse_if_voided(disclosure, "passed on")
    problem = onward_request_problem(disclosure)
    if problem:
        raise ValidationError({NON_FIELD_ERRORS: [problem]})


@transaction.atomic
def onward_disclosure_request(
    *,
    disclosure: Disclosure,
    by_user,
    purpose: str,
    third_party_organisation: Organisation | None = None,
    third_party_name: str = "",
) -> OnwardDisclosureRequest:
    """Ask the originating organisation's consent to pass ``disclosure`` on to a third party:
    a directory organisation, or one named in ``third_party_name`` when it is not in the
    directory. The originating organisation's SPOCs are told."""
    if not can_request_onward(by_user, disclosure):
        raise PermissionDenied("Only a practitioner, SPOC or governance manager of the organisation it was "
                               "shared with may ask to pass it on.")
    Disclosure.objects.select_for_update().filter(pk=disclosure.pk).first()
    _refuse_unless_passable(disclosure)

    problems = Problems()
    name = third_party_name.strip()
    if third_party_organisation is None and name:
        # A typed name that is in the directory after all is that organisation, so a later
        # correction of the entry reaches it.
        third_party_organisation = Organisation.objects.filter(name__iexact=name).first()
    if third_party_organisation is not None:
        field = "third_party_organisation" if not name else "third_party_name"
        if third_party_organisation.pk == disclosure.disclosing_organisation_id:
            problems.add(field, f"{third_party_organisation} shared this information with you: "
                                "choose the third party you want to pass it to.")
        elif third_party_organisation.pk == disclosure.recipient_organisation_id:
            problems.add(field, f"{third_party_organisation} already holds this information: "
                                "choose the third party you want to pass it to.")
        elif third_party_organisation.has_ceased:
            ceased = long_date(third_party_organisation.ceased_on)
            problems.add(field, f"{third_party_organisation} ceased on {ceased}: "
                                "choose the organisation that does its work now.")
        name = third_party_organisation.name
    elif not name:
        problems.add("third_party_organisation",
                     "Choose the organisation you want to pass it to, or enter its name if it is not in the directory.")
    if not purpose.strip():
        problems.add("purpose", "Give the purpose of passing it on.")
    if name and OnwardDisclosureRequest.objects.filter(
        disclosure=disclosure, third_party__iexact=name, decision=OnwardDecision.PENDING,
    ).exists():
        problems.add(NON_FIELD_ERRORS, f"A request to pass this on to {name} is already awaiting a decision.")
    problems.raise_if_any()

    onward_request = OnwardDisclosureRequest(
        disclosure=disclosure, requested_by=by_user, third_party=name,
        third_party_organisation=third_party_organisation, purpose=purpose.strip(),
    )
    onward_request.full_clean()
    onward_request.save()
    log_event_append(kind=LogEventKind.ONWARD_REQUESTED, record=onward_request)
    _tell_originator(onward_request)
    return onward_request


def onward_requested_event_key(onward_request: OnwardDisclosureRequest) -> str:
    return f"onward-{onward_request.pk}-requested"


def _tell_originator(onward_request: OnwardDisclosureRequest) -> None:
    """The originating organisation's SPOCs hear of the request. No case detail leaves the
    portal: the message names the organisations and the date, and links to the request.

    Consent is the originating SPOC's to give (001 §5.7), so this is a notice the rules require
    (``notice_send``): with nobody to tell there it is recorded and shown on the entry's page,
    not skipped in silence (docs/decisions/0033, 0037)."""
    disclosure = onward_request.disclosure
    notice_send(
        recipients=[(disclosure.disclosing_organisation, spoc_contacts(disclosure.disclosing_organisation))],
        responsible_organisation=disclosure.agreement.owner,
        shown_at=reverse("sharing_log:detail", args=[disclosure.pk]),
        subject=f"{disclosure.recipient_organisation} asks to pass on information you shared",
        body=(
            f"{disclosure.recipient_organisation} asks your written consent to pass information you shared "
            f"with it on {long_date(timezone.localdate(disclosure.occurred_at))} "
            f"on to {onward_request.third_party}.\n\n"
            "Please give or refuse consent, with your reason, in the portal."
        ),
        url=reverse("sharing_log:onward_decide", kwargs={"pk": onward_request.pk}),
        event_key=onward_requested_event_key(onward_request),
    )


@transaction.atomic
def onward_disclosure_decide(
    *, onward_request: OnwardDisclosureRequest, by_user, decision: str, reason: str,
) -> OnwardDisclosureRequest:
    """The originating organisation's SPOC or governance manager gives or refuses consent, with
    a reason. A request is decided once. The person who asked and the recipient's SPOCs are told."""
    disclosure = onward_request.disclosure
    if onward_request.requested_by_id == by_user.pk:
        raise PermissionDenied("You asked for this consent: someone else at "
                               f"{disclosure.disclosing_organisation} must decide it.")
    if not can_decide_onward(by_user, onward_request):
        raise PermissionDenied("Only a SPOC or governance manager of the organisation that shared the "
                               "information may give or refuse consent to pass it on.")
    # Locked through its entry: the application's role may not lock the request's own row (0023).
    Disclosure.objects.select_for_update().filter(pk=onward_request.disclosure_id).first()
    onward_request = OnwardDisclosureRequest.objects.get(pk=onward_request.pk)
    if onward_request.decision != OnwardDecision.PENDING:
        raise ValidationError({NON_FIELD_ERRORS: [already_decided(onward_request)]})

    problems = Problems()
    if decision not in (OnwardDecision.GRANTED, OnwardDecision.REFUSED):
        problems.add("decision", "Select whether you give or refuse consent.")
    elif not reason.strip():
        problems.add("reason", "Give the reason for giving consent." if decision == OnwardDecision.GRANTED
                     else "Give the reason for refusing consent.")
    problems.raise_if_any()
    if decision == OnwardDecision.GRANTED:
        # Refusing stays possible, so a request on an entry voided since is not left pending.
        _refuse_unless_passable(disclosure)

    onward_request.decision = decision
    onward_request.decided_by = by_user
    onward_request.decided_at = timezone.now()
    onward_request.decision_reason = reason.strip()
    onward_request.full_clean()
    database.decide(onward_request, ["decision", "decided_by", "decided_at", "decision_reason"])
    log_event_append(kind=LogEventKind.ONWARD_DECIDED, record=onward_request)
    _tell_requester(onward_request)
    return onward_request


def already_decided(onward_request: OnwardDisclosureRequest) -> str:
    who = onward_request.decided_by
    verb = "given" if onward_request.decision == OnwardDecision.GRANTED else "refused"
    return (f"Consent was already {verb} by {who.get_full_name() or who.get_username()} "
            f"on {long_date(timezone.localdate(onward_request.decided_at))}.")


def _tell_requester(onward_request: OnwardDisclosureRequest) -> None:
    """The person who asked, and their organisation's SPOCs, hear the decision."""
    disclosure = onward_request.disclosure
    contacts = [*Contact.objects.filter(user_id=onward_request.requested_by_id),
                *spoc_contacts(disclosure.recipient_organisation)]
    verb = "gave" if onward_request.decision == OnwardDecision.GRANTED else "refused"
    notification_send(
        contacts=contacts,
        subject=f"{disclosure.disclosing_organisation} {verb} consent to pass information on",
        body=(
            f"{disclosure.disclosing_organisation} {verb} consent to pass information it shared with "
            f"{disclosure.recipient_organisation} on {long_date(timezone.localdate(disclosure.occurred_at))} on to "
            f"{onward_request.third_party}.\n\nIts reason is on the entry's page in the portal."
            + ("" if onward_request.decision == OnwardDecision.GRANTED
               else "\n\nDo not pass the information on.")
        ),
        url=reverse("sharing_log:detail", kwargs={"pk": disclosure.pk}),
        event_key=f"onward-{onward_request.pk}-decided",
    )

