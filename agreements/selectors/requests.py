"""Reads of data protection rights and freedom of information requests (001 §6.2): who sees which, and
when each must be answered (``agreements.clocks``)."""

import datetime

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from partners.models import Organisation
from partners.permissions import user_organisation_ids

from .. import clocks
from ..models import RIGHTS_KINDS, Agreement, InformationRequest, Party
from ..permissions import PARTNER_STATUSES, REQUEST_ACTORS
from .drafting import agreements_acted_for, agreements_managed_by


def information_requests_visible_to(user) -> QuerySet[InformationRequest]:
    """Every request ``user`` may see (rules in ``agreements.permissions``)."""
    own = user_organisation_ids(user, roles=REQUEST_ACTORS)
    if not own:
        return InformationRequest.objects.none()
    return InformationRequest.objects.filter(
        Q(routed_to_id__in=own) | Q(recorded_by=user) | Q(agreement__in=agreements_managed_by(user).values("pk"))
    ).select_related("agreement", "routed_to", "party__organisation")


def agreements_for_requests(user) -> QuerySet[Agreement]:
    """The agreements ``user`` may record a request under (``can_record_request_for``)."""
    return agreements_acted_for(user, REQUEST_ACTORS)


def organisations_concerned(agreements: QuerySet[Agreement]) -> QuerySet[Organisation]:
    """The partners of ``agreements``: whom a request may concern."""
    partners = Party.objects.filter(agreement__in=agreements, status__in=PARTNER_STATUSES).values("organisation_id")
    return Organisation.objects.filter(pk__in=partners).order_by("name")


def request_due(*, kind: str, received_on: datetime.date, jurisdiction: str) -> datetime.date:
    """When a request of ``kind`` received on ``received_on`` must be answered: a rights request
    (subject access, rectification, erasure, restriction, objection) in one calendar month (UK
    GDPR Art 12(3)), a freedom of information request in 20 working days (FOIA s10; FOISA in
    Scotland). See ``agreements.clocks``."""
    if kind in RIGHTS_KINDS:
        return clocks.subject_access_due(received_on, jurisdiction=jurisdiction)
    return clocks.foi_due(received_on, jurisdiction=jurisdiction)


def request_extended_due(request: InformationRequest) -> datetime.date:
    """When ``request`` would be due if extended under Art 12(3) (``clocks.rights_request_extended_due``)."""
    return clocks.rights_request_extended_due(request.received_on, jurisdiction=request.agreement.jurisdiction)


def request_extendable(request: InformationRequest) -> bool:
    """A rights request not yet answered nor extended: one the routed organisation may extend."""
    return request.is_rights_request and not request.extended and request.responded_on is None


def request_deadline(request: InformationRequest, *, on: datetime.date | None = None) -> clocks.Deadline:
    """The response to ``request`` as a ``clocks.Deadline`` (key "response")."""
    on = on or timezone.localdate()
    if request.extended:
        label = "Response (within one calendar month, extended by two further months under Article 12(3))"
    elif request.is_rights_request:
        label = "Response (within one calendar month)"
    else:
        label = f"Response (within {clocks.FOI_WORKING_DAYS} working days)"
    return clocks.deadline(
        key="response", label=label, due=request.due_on, done=request.responded_on, on=on,
        now=timezone.now(),
    )


def requests_due(
    requests: QuerySet[InformationRequest] | None = None, *, on: datetime.date | None = None,
    within_days: int = 0,
) -> QuerySet[InformationRequest]:
    """Requests not yet answered that fall due by ``on`` + ``within_days`` (``on`` by default
    today), earliest first, each annotated with ``overdue`` (due before ``on``).

    ``requests`` narrows them (by default every request; ``information_requests_visible_to(user)``
    for one person's). For the daily scheduler — ``within_days=7`` for the week's reminders,
    ``0`` for what is due today or overdue — and the "what's due" page.
    """
    on = on or timezone.localdate()
    requests = InformationRequest.objects.all() if requests is None else requests
    return (
        requests.filter(responded_on__isnull=True, due_on__lte=on + datetime.timedelta(days=within_days))
        .annotate(overdue=Case(When(due_on__lt=on, then=Value(True)), default=Value(False)))
        .select_related("agreement", "routed_to", "party__organisation")
        .order_by("due_on", "pk")
    )
