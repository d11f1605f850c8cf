"""What the sharing log's selectors share: which entries a user may read, and the rows and events
the pages are built of."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from agreements.models import Party, PartyStatus
from partners.models import Role
from partners.permissions import user_organisation_ids

from ..models.amendments import Amendment, AmendmentKind
from ..models.disclosures import Acknowledgement, DataCategory, Disclosure, SpecialCategory
from ..permissions import READERS

AUDITING_PARTY_STATUSES = (PartyStatus.SIGNED, PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN)


def _audited_agreement_ids(user) -> QuerySet:
    audited = user_organisation_ids(user, roles=[Role.AUDITOR])
    # An auditor's organisation audits what it has joined: not an agreement it was merely
    # invited to, or declined.
    return Party.objects.filter(
        organisation_id__in=audited, status__in=AUDITING_PARTY_STATUSES,
    ).values("agreement_id")


def _or_audited(user, field: str = "agreement_id") -> Q:
    """The half of an ``OR`` that adds what is under the agreements ``user``'s organisation audits
    (``field`` in ``_audited_agreement_ids``), or ``Q()`` when it audits none: ``Q(x) | Q()`` is
    ``Q(x)``, the list pages' queries built without a subquery that could match nothing (most
    people audit nothing). Only ever one side of an ``OR``: alone, ``Q()`` matches everything."""
    if not user_organisation_ids(user, roles=[Role.AUDITOR]):
        return Q()
    return Q(**{f"{field}__in": _audited_agreement_ids(user)})


def disclosures_visible_to(user) -> QuerySet[Disclosure]:
    """Entries ``user`` may read (rules in ``sharing_log.permissions``)."""
    if not user.is_authenticated:
        return Disclosure.objects.none()
    own = user_organisation_ids(user, roles=READERS)
    return Disclosure.objects.filter(
        Q(disclosing_organisation_id__in=own)
        | Q(recipient_organisation_id__in=own)
        | _or_audited(user)
    )


def _with_state(entries: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    """Entries with what a list shows of them: organisations, agreement, voided, acknowledged."""
    voids = Amendment.objects.filter(disclosure=OuterRef("pk"), kind=AmendmentKind.VOID)
    acknowledgements = Acknowledgement.objects.filter(disclosure=OuterRef("pk"))
    return entries.select_related(
        "agreement", "disclosing_organisation", "recipient_organisation", "art6_basis",
    ).annotate(
        is_voided=Exists(voids), is_acknowledged=Exists(acknowledgements),
        is_corrected=Exists(Amendment.objects.filter(disclosure=OuterRef("pk"), kind=AmendmentKind.CORRECTION)),
    )


def category_choices() -> list[tuple[str, str]]:
    """Data categories and special categories, for one "data category" filter."""
    return [*DataCategory.choices, *SpecialCategory.choices]


@dataclass
class EntryRow:
    """One row of an entry's summary list, with the corrections made to it, in order."""

    key: str
    value: str
    field: str = ""
    corrections: list = None
    # A glossary term the key uses (``govuk_blocks.glossary``): the page links it.
    term: str = ""


@dataclass(frozen=True)
class TimelineEvent:
    title: str
    by: str
    at: datetime.datetime


def _person(user) -> str:
    if user is None:
        return "The portal"
    return user.get_full_name() or user.get_username()
