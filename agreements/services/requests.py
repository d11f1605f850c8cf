"""Writes for data protection rights requests (subject access, rectification, erasure,
restriction, objection) and freedom of information requests about an agreement's sharing.

001 §6.2: a request is dealt with by the party it refers to; one about the partnership as a
whole, with no partner named, by the agreement's owner. Recording a request routes it there and
tells that organisation's SPOCs and governance managers, with the date it must be answered by.
A rights request may be extended once, by two further months, where it is complex or one of
many, telling the requester why within the first month (UK GDPR Art 12(3)).
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation
from partners.services import notice_send

from .. import permissions
from ..models import RIGHTS_KINDS, Agreement, ContactRole, InformationRequest, Party, RequestKind
from ..selectors.parties import organisation_contacts, partner_party
from ..selectors.requests import request_due, request_extended_due

ONE_MONTH = "one calendar month of receipt (UK GDPR Article 12(3))"
CLOCKS = {
    **{kind: ONE_MONTH for kind in RIGHTS_KINDS},
    RequestKind.FREEDOM_OF_INFORMATION: "20 working days of receipt (Freedom of Information Act 2000 s10)",
}


@transaction.atomic
def information_request_record(
    *, agreement: Agreement, kind: str, received_on: datetime.date, organisation: Organisation | None,
    description: str, by_user, on: datetime.date | None = None,
) -> InformationRequest:
    """Record a request of ``kind`` received on ``received_on`` and route it: to ``organisation``
    (a party to ``agreement``), or to the agreement's owner when ``organisation`` is ``None``
    (the partnership as a whole). Its due date is computed now (``selectors.requests.request_due``)."""
    on = on or timezone.localdate()
    errors: dict[str, str] = {}
    if agreement.effective_date is None or not permissions.can_record_request_for(by_user, agreement):
        errors["agreement"] = "Choose an agreement your organisation is party to and that has come into force"
    party = None
    if organisation is not None:
        party = partner_party(agreement, organisation)
        if party is None:
            errors["organisation"] = (
                f"{organisation} is not a party to {agreement.title}: choose one of its partners, "
                "or the partnership as a whole"
            )
    if received_on > on:
        errors["received_on"] = "The date it was received must be today or in the past"
    if not description.strip():
        errors["description"] = "Describe what is asked for"
    if errors:
        raise ValidationError(errors)

    request = InformationRequest(
        kind=kind, agreement=agreement, party=party, routed_to=party.organisation if party else agreement.owner,
        received_on=received_on, description=description.strip(), recorded_by=by_user,
        due_on=request_due(kind=kind, received_on=received_on, jurisdiction=agreement.jurisdiction),
    )
    request.full_clean()
    request.save()
    _tell_routed(request)
    return request


def _routed_contacts(request: InformationRequest) -> list[Contact]:
    """The routed organisation's SPOCs and governance managers, and the SPOCs its party named."""
    party = request.party or Party.objects.filter(
        agreement=request.agreement, organisation=request.routed_to,
    ).first()
    named = Contact.objects.filter(party_roles__party=party, party_roles__role=ContactRole.SPOC) if party else []
    return [*organisation_contacts(request.routed_to), *named]


def routed_event_key(request: InformationRequest) -> str:
    return f"request-{request.pk}-routed"


def _tell_routed(request: InformationRequest) -> None:
    """A notice the rules require (001 §6.2: the organisation routed to answers within the clock):
    with nobody to tell there, it is recorded and shown rather than skipped (decision 0033)."""
    agreement, kind = request.agreement, request.get_kind_display().lower()
    about = f"{request.party.organisation}" if request.party else "the partnership as a whole"
    notice_send(
        recipients=[(request.routed_to, _routed_contacts(request))], responsible_organisation=agreement.owner,
        subject=f"A {kind} for {request.routed_to} to answer, by {long_date(request.due_on)}",
        body=(
            f"A {kind} received on {long_date(request.received_on)}, about the information shared under "
            f"“{agreement.title}” and concerning {about}, has been routed to {request.routed_to} to answer "
            f"(001 §6.2). It must be answered within {CLOCKS[request.kind]}: by {long_date(request.due_on)}.\n\n"
            "Read it in the portal, and record the response there when it has been sent."
        ),
        url=request.get_absolute_url(), event_key=routed_event_key(request),
    )


@transaction.atomic
def information_request_respond(
    *, request: InformationRequest, by_user, responded_on: datetime.date, response_note: str = "",
    on: datetime.date | None = None,
) -> InformationRequest:
    """Record that the routed organisation answered ``request`` on ``responded_on``."""
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    on = on or timezone.localdate()
    if request.responded_on is not None:
        raise ValidationError({NON_FIELD_ERRORS: (
            f"A response was already recorded, sent on {long_date(request.responded_on)}"
        )})
    if responded_on > on:
        raise ValidationError({"responded_on": "The date it was answered must be today or in the past"})
    if responded_on < request.received_on:
        raise ValidationError({"responded_on": (
            f"The date it was answered must be on or after the day it was received, {long_date(request.received_on)}"
        )})
    request.responded_on, request.response_note, request.responded_by = responded_on, response_note.strip(), by_user
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def information_request_extend(
    *, request: InformationRequest, by_user, reason: str, told_on: datetime.date,
    on: datetime.date | None = None,
) -> InformationRequest:
    """Extend a rights request by two further months (UK GDPR Art 12(3)): it is complex, or one
    of many, and the requester was told so, with the reason, on ``told_on``, within the month
    of receipt. The month's date is kept as ``first_due_on``; ``due_on`` moves on."""
    request = InformationRequest.objects.select_for_update().select_related("agreement").get(pk=request.pk)
    on = on or timezone.localdate()
    if not request.is_rights_request:
        raise ValidationError({NON_FIELD_ERRORS: (
            "A freedom of information request cannot be extended under UK GDPR Article 12(3)"
        )})
    if request.responded_on is not None:
        raise ValidationError({NON_FIELD_ERRORS: (
            f"A response was already recorded, sent on {long_date(request.responded_on)}: "
            "it can no longer be extended"
        )})
    if request.extended:
        raise ValidationError({NON_FIELD_ERRORS: (
            f"It was already extended, to {long_date(request.due_on)}: Article 12(3) allows one "
            "extension, by two further months"
        )})
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Explain why the request is complex or the requests numerous"
    if told_on > on:
        errors["told_on"] = "The date the requester was told must be today or in the past"
    elif told_on < request.received_on:
        errors["told_on"] = (
            f"The date the requester was told must be on or after the day it was received, "
            f"{long_date(request.received_on)}"
        )
    elif told_on > request.due_on:
        errors["told_on"] = (
            f"The requester must be told of an extension, and why, within one month of receipt: by "
            f"{long_date(request.due_on)} (Article 12(3))"
        )
    if errors:
        raise ValidationError(errors)
    request.first_due_on, request.due_on = request.due_on, request_extended_due(request)
    request.extension_reason, request.extension_told_on, request.extended_by = reason.strip(), told_on, by_user
    request.full_clean()
    request.save()
    return request
