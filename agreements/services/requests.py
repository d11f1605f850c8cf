"""Writes for subject access and freedom of information requests about an agreement's sharing.

001 §6.2: a request is dealt with by the party it refers to; one about the partnership as a
whole, with no partner named, by the agreement's owner. Recording a request routes it there and
tells that organisation's SPOCs and governance managers, with the date it must be answered by.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation
from partners.services import notification_send

from .. import permissions
from ..models import Agreement, ContactRole, InformationRequest, Party, RequestKind
from ..selectors.parties import organisation_contacts, partner_party
from ..selectors.requests import request_due

CLOCKS = {
    RequestKind.SUBJECT_ACCESS: "one calendar month of receipt (UK GDPR Article 12(3))",
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


def _tell_routed(request: InformationRequest) -> None:
    agreement, kind = request.agreement, request.get_kind_display().lower()
    about = f"{request.party.organisation}" if request.party else "the partnership as a whole"
    notification_send(
        contacts=_routed_contacts(request),
        subject=f"A {kind} for {request.routed_to} to answer, by {long_date(request.due_on)}",
        body=(
            f"A {kind} received on {long_date(request.received_on)}, about the information shared under "
            f"“{agreement.title}” and concerning {about}, has been routed to {request.routed_to} to answer "
            f"(001 §6.2). It must be answered within {CLOCKS[request.kind]}: by {long_date(request.due_on)}.\n\n"
            "Read it in the portal, and record the response there when it has been sent."
        ),
        url=request.get_absolute_url(), event_key=f"request-{request.pk}-routed",
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
