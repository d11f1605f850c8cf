"""Reads for the sharing log. Views reach entries only through these."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements.models import (
    Agreement,
    DataLevel,
    LegalGateway,
    Party,
    PartyStatus,
    ProtectiveMarking,
    TransferMethod,
)
from partners.models import Organisation, Role
from partners.permissions import user_organisation_ids

from .models import (
    Acknowledgement,
    Amendment,
    AmendmentKind,
    DataCategory,
    Decision,
    Disclosure,
    FactOrOpinion,
    SpecialCategory,
    SubjectType,
)
from .permissions import ACKNOWLEDGERS, AUDITORS, LOGGERS, READERS

AUDITING_PARTY_STATUSES = (PartyStatus.SIGNED, PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN)
PAGE_SIZE = 50

# The details of an entry a correction may change, with what the entry page calls them. The
# lawful basis, decision, organisations and data categories are not among them: an entry wrong
# in those was a different disclosure, so it is voided with a reason and logged again.
CORRECTABLE_FIELDS = {
    "case_reference": "Case reference",
    "subject_type": "Who it is about",
    "data_level": "Data level",
    "fact_or_opinion": "Fact or opinion",
    "transfer_method": "How it was sent",
    "protective_marking": "Protective marking",
    "recipient_name": "Recipient's name",
    "recipient_job_title": "Recipient's job title",
    "recipient_contact": "Recipient's work e-mail or phone",
    "summary": "Summary",
    "decision_reason": "Reason for the decision",
}
# The correctable details that are choices, and their choices.
CORRECTABLE_CHOICES = {
    "subject_type": SubjectType.choices,
    "data_level": DataLevel.choices,
    "fact_or_opinion": FactOrOpinion.choices,
    "transfer_method": TransferMethod.choices,
    "protective_marking": ProtectiveMarking.choices,
}


def _audited_agreement_ids(user) -> QuerySet:
    audited = user_organisation_ids(user, roles=[Role.AUDITOR])
    # An auditor's organisation audits what it has joined: not an agreement it was merely
    # invited to, or declined.
    return Party.objects.filter(
        organisation_id__in=audited, status__in=AUDITING_PARTY_STATUSES,
    ).values("agreement_id")


def disclosures_visible_to(user) -> QuerySet[Disclosure]:
    """Entries ``user`` may read (rules in ``sharing_log.permissions``)."""
    if not user.is_authenticated:
        return Disclosure.objects.none()
    own = user_organisation_ids(user, roles=READERS)
    return Disclosure.objects.filter(
        Q(disclosing_organisation_id__in=own)
        | Q(recipient_organisation_id__in=own)
        | Q(agreement_id__in=_audited_agreement_ids(user))
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


def disclosures_made(user) -> QuerySet[Disclosure]:
    """What the user's organisations shared and decided; for an auditor, every entry under the
    agreements its organisation audits."""
    own = user_organisation_ids(user, roles=READERS)
    return _with_state(disclosures_visible_to(user).filter(
        Q(disclosing_organisation_id__in=own) | Q(agreement_id__in=_audited_agreement_ids(user))
    ))


def disclosures_received(user) -> QuerySet[Disclosure]:
    """What was shared with (or refused to) the user's organisations."""
    own = user_organisation_ids(user, roles=READERS + AUDITORS)
    return _with_state(disclosures_visible_to(user).filter(recipient_organisation_id__in=own))


def disclosures_awaiting_acknowledgement(user) -> QuerySet[Disclosure]:
    """Information shared with organisations the user is a SPOC of, not yet acknowledged and
    not voided: the SPOC's inbox, oldest first."""
    own = user_organisation_ids(user, roles=ACKNOWLEDGERS)
    return _with_state(disclosures_visible_to(user).filter(
        recipient_organisation_id__in=own, decision=Decision.SHARED,
    )).filter(is_voided=False, is_acknowledged=False).order_by("occurred_at", "pk")


# Filters ------------------------------------------------------------------------------------


def category_choices() -> list[tuple[str, str]]:
    """Data categories and special categories, for one "data category" filter."""
    return [*DataCategory.choices, *SpecialCategory.choices]


@dataclass(frozen=True)
class LogFilters:
    agreement: Agreement | None = None
    partner: Organisation | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    decision: str = ""
    lawful_basis: LegalGateway | None = None
    data_category: str = ""
    case_reference: str = ""


def disclosures_filtered(entries: QuerySet[Disclosure], filters: LogFilters) -> QuerySet[Disclosure]:
    """``entries`` narrowed by ``filters``; an empty filter narrows nothing."""
    if filters.agreement is not None:
        entries = entries.filter(agreement=filters.agreement)
    if filters.partner is not None:
        entries = entries.filter(
            Q(disclosing_organisation=filters.partner) | Q(recipient_organisation=filters.partner)
        )
    if filters.date_from is not None:
        entries = entries.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(occurred_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    if filters.decision:
        entries = entries.filter(decision=filters.decision)
    if filters.lawful_basis is not None:
        entries = entries.filter(art6_basis=filters.lawful_basis)
    if filters.data_category:
        # Lists of choice values held as JSON: match the quoted value in the JSON text, which
        # both SQLite and PostgreSQL can do (JSON containment is PostgreSQL's alone).
        quoted = f'"{filters.data_category}"'
        field = "special_categories" if filters.data_category in SpecialCategory.values else "data_categories"
        entries = entries.filter(**{f"{field}__icontains": quoted})
    if filters.case_reference:
        # As logged, or as corrected since.
        reference = filters.case_reference.strip()
        corrected = Amendment.objects.filter(
            kind=AmendmentKind.CORRECTION, changes__case_reference__iexact=reference,
        ).values("disclosure_id")
        entries = entries.filter(Q(case_reference__iexact=reference) | Q(pk__in=corrected))
    return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_options(user) -> dict:
    """What the list filters offer: the agreements and partners the user's entries involve,
    and the Article 6 bases."""
    visible = disclosures_visible_to(user)
    return {
        "agreements": Agreement.objects.filter(pk__in=visible.values("agreement_id")).order_by("title"),
        "partners": Organisation.objects.filter(
            Q(pk__in=visible.values("disclosing_organisation_id"))
            | Q(pk__in=visible.values("recipient_organisation_id"))
        ).exclude(pk__in=user_organisation_ids(user)).order_by("name"),
        "lawful_bases": LegalGateway.objects.filter(category="art6").order_by("provision"),
    }


# Pages --------------------------------------------------------------------------------------

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _cursor(entry: Disclosure) -> str:
    micro = (entry.occurred_at - _EPOCH) // datetime.timedelta(microseconds=1)
    return f"{micro}.{entry.pk}"


def _parse_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    try:
        micro, pk = (int(part) for part in cursor.split(".", 1))
    except (ValueError, AttributeError):
        return None
    try:
        return _EPOCH + datetime.timedelta(microseconds=micro), pk
    except OverflowError:
        return None


@dataclass
class LogPage:
    entries: list[Disclosure]
    newer: str | None
    older: str | None


def disclosure_page(entries: QuerySet[Disclosure], *, after: str = "", before: str = "",
                    size: int = PAGE_SIZE) -> LogPage:
    """One page of ``entries``, newest first, by keyset: ``after`` a cursor gives the next
    (older) page, ``before`` one the previous (newer) page. No COUNT query: a page asks for one
    row more than it shows to know whether there is another."""
    entries = entries.order_by("-occurred_at", "-pk")
    older_than, newer_than = _parse_cursor(after) if after else None, _parse_cursor(before) if before else None
    if newer_than is not None:
        at, pk = newer_than
        rows = list(
            entries.filter(Q(occurred_at__gt=at) | Q(occurred_at=at, pk__gt=pk))
            .order_by("occurred_at", "pk")[: size + 1]
        )
        more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        return LogPage(
            entries=rows,
            newer=_cursor(rows[0]) if more_newer and rows else None,
            older=_cursor(rows[-1]) if rows else None,
        )
    if older_than is not None:
        at, pk = older_than
        entries = entries.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, pk__lt=pk))
    rows = list(entries[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return LogPage(
        entries=rows,
        newer=_cursor(rows[0]) if older_than is not None and rows else None,
        older=_cursor(rows[-1]) if more_older else None,
    )


# One entry ----------------------------------------------------------------------------------


def disclosure_for_page(user, pk: int) -> QuerySet[Disclosure]:
    """The entry ``pk`` if ``user`` may read it, with everything its page shows."""
    return _with_state(disclosures_visible_to(user).filter(pk=pk)).select_related(
        "disclosed_by", "purpose", "art9_condition", "criminal_offence_condition",
    ).prefetch_related("gateways")


def amendments_of(disclosure: Disclosure) -> QuerySet[Amendment]:
    """Corrections and voiding of ``disclosure``, in the order they were made."""
    return disclosure.amendments.select_related("made_by").order_by("made_at", "pk")


def corrected_values(disclosure: Disclosure) -> dict[str, str]:
    """Field name → its latest corrected value, for the fields corrections have changed."""
    values: dict[str, str] = {}
    for amendment in disclosure.amendments.filter(kind=AmendmentKind.CORRECTION).order_by("made_at", "pk"):
        values.update(amendment.changes)
    return values


def display_value(field: str, value) -> str:
    """A correctable detail's value as the entry page shows it."""
    if field in CORRECTABLE_CHOICES:
        return str(dict(CORRECTABLE_CHOICES[field]).get(value, value)) if value else "Not recorded"
    return value or "Not recorded"


@dataclass
class EntryRow:
    """One row of an entry's summary list, with the corrections made to it, in order."""

    key: str
    value: str
    field: str = ""
    corrections: list = None


def entry_rows(disclosure: Disclosure, amendments: list[Amendment]) -> list[EntryRow]:
    """The entry as logged, row by row, each correctable row with its corrections beside it."""
    d = disclosure
    shared = d.decision == Decision.SHARED
    labels = dict(category_choices())

    def listed(values) -> str:
        return ", ".join(str(labels.get(value, value)) for value in values) or "None"

    rows = [
        EntryRow("Decision", d.get_decision_display()),
        *([EntryRow("Reason for the decision", d.decision_reason or "Not recorded", "decision_reason")]
          if not shared or d.decision_reason else []),
        EntryRow("Agreement", str(d.agreement)),
        EntryRow("Shared by" if shared else "Decided by", f"{d.disclosing_organisation} ({_person(d.disclosed_by)})"),
        EntryRow("Shared with" if shared else "Partner organisation", str(d.recipient_organisation)),
        EntryRow("Recipient's name", d.recipient_name or "Not recorded", "recipient_name"),
        EntryRow("Recipient's job title", d.recipient_job_title or "Not recorded", "recipient_job_title"),
        EntryRow("Recipient's work e-mail or phone", d.recipient_contact or "Not recorded", "recipient_contact"),
        EntryRow("When it happened", _when(d.occurred_at)),
        EntryRow("Logged", _when(d.recorded_at)),
        EntryRow("Case reference", d.case_reference, "case_reference"),
        EntryRow("Who it is about", d.get_subject_type_display(), "subject_type"),
        EntryRow("Data level", d.get_data_level_display(), "data_level"),
        EntryRow("Data categories", listed(d.data_categories)),
        EntryRow("Special category data", listed(d.special_categories)),
        *([EntryRow("Article 9 condition", str(d.art9_condition or "Not recorded"))] if d.special_categories else []),
        EntryRow("Criminal offence data", "Yes" if d.criminal_offence_data else "No"),
        *([EntryRow("Schedule 1 condition", str(d.criminal_offence_condition or "Not recorded"))]
          if d.criminal_offence_data else []),
        EntryRow("Purpose", str(d.purpose)),
        EntryRow("Article 6 lawful basis", str(d.art6_basis or "Not recorded")),
        EntryRow("Legal gateways", ", ".join(str(gateway) for gateway in d.gateways.all()) or "None"),
        EntryRow("Consent", d.get_consent_status_display()
                 + (f": {d.consent_reason}" if d.consent_reason else "")),
        EntryRow("Confidential information shared without consent", "Yes" if d.confidentiality_breached else "No"),
        *([EntryRow("Authorised by", d.authorised_by)] if d.authorised_by else []),
        EntryRow("Was the person told?", d.get_subject_informed_display()
                 + (f": {d.subject_not_informed_reason}" if d.subject_not_informed_reason else "")),
        EntryRow("Fact or opinion", d.get_fact_or_opinion_display(), "fact_or_opinion"),
        EntryRow("How it was sent", display_value("transfer_method", d.transfer_method), "transfer_method"),
        EntryRow("Protective marking", d.get_protective_marking_display(), "protective_marking"),
        EntryRow("Summary", d.summary or "None", "summary"),
    ]
    for row in rows:
        row.corrections = [
            {"value": display_value(row.field, amendment.changes[row.field]), "amendment": amendment}
            for amendment in amendments
            if row.field and amendment.kind == AmendmentKind.CORRECTION and row.field in amendment.changes
        ]
    return rows


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y, %H:%M}"


def void_of(disclosure: Disclosure) -> Amendment | None:
    return disclosure.amendments.filter(kind=AmendmentKind.VOID).select_related("made_by").first()


def acknowledgement_of(disclosure: Disclosure) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(disclosure=disclosure).select_related("acknowledged_by").first()


@dataclass(frozen=True)
class TimelineEvent:
    title: str
    by: str
    at: datetime.datetime


def _person(user) -> str:
    if user is None:
        return "The portal"
    return user.get_full_name() or user.get_username()


def disclosure_timeline(disclosure: Disclosure) -> list[TimelineEvent]:
    """The entry's audit trail from its history rows and those of the records pointing at it:
    what happened, who and when. It names the field a correction changed, never a value: the
    personal parts of an entry stay on the entry's page (and go with it when it is destroyed).
    """
    events = []
    for row in disclosure.history.select_related("history_user").order_by("history_date"):
        title = "Entry logged" if row.history_type == "+" else "Personal details destroyed"
        by = _person(row.history_user or (disclosure.disclosed_by if row.history_type == "+" else None))
        events.append(TimelineEvent(title=title, by=by, at=row.history_date))
    for row in Amendment.history.filter(disclosure_id=disclosure.pk, history_type="+").select_related(
        "made_by", "history_user",
    ).order_by("history_date"):
        if row.kind == AmendmentKind.VOID:
            title = "Entry voided"
        else:
            labels = [str(CORRECTABLE_FIELDS.get(name, name)).lower() for name in row.changes]
            title = f"Corrected: {', '.join(labels)}" if labels else "Corrected"
        events.append(TimelineEvent(title=title, by=_person(row.made_by), at=row.history_date))
    for row in Acknowledgement.history.filter(disclosure_id=disclosure.pk, history_type="+").select_related(
        "acknowledged_by",
    ):
        events.append(TimelineEvent(title="Receipt acknowledged", by=_person(row.acknowledged_by),
                                    at=row.history_date))
    return sorted(events, key=lambda event: event.at)


# Logging ------------------------------------------------------------------------------------


def logging_organisations(user) -> QuerySet[Organisation]:
    """The organisations ``user`` may log for."""
    return Organisation.objects.filter(pk__in=user_organisation_ids(user, roles=LOGGERS)).order_by("name")


def agreements_to_log_under(user, *, on: datetime.date) -> QuerySet[Agreement]:
    """Agreements in force on ``on`` to which one of the user's logging organisations is a
    party in force that day."""
    parties = Party.objects.in_force(on=on).filter(organisation__in=logging_organisations(user))
    return (
        Agreement.objects.in_force(on=on).filter(pk__in=parties.values("agreement_id"))
        .prefetch_related("purposes", "gateways").order_by("title")
    )


def recipient_parties(agreements, *, on: datetime.date, exclude: list[Organisation]) -> QuerySet[Party]:
    """Parties in force on ``on`` to ``agreements``, other than ``exclude``: who may receive."""
    return (
        Party.objects.in_force(on=on).filter(agreement__in=agreements)
        .exclude(organisation__in=exclude).select_related("organisation", "agreement")
        .order_by("agreement__title", "organisation__name")
    )
