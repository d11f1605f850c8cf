"""Reads for the sharing log. Views reach entries only through these."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements.models import (
    Agreement,
    DataLevel,
    GatewayCategory,
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
    CaseClosure,
    ConfirmationOutcome,
    ConfirmationReason,
    DataCategory,
    Decision,
    Destruction,
    Disclosure,
    Escalation,
    EscalationStatus,
    FactOrOpinion,
    OnwardDecision,
    OnwardDisclosureRequest,
    RecipientDestructionConfirmation,
    SpecialCategory,
    SubjectType,
)
from .permissions import (
    ACKNOWLEDGERS,
    AUDITORS,
    CASE_CLOSERS,
    CONFIRMERS,
    LEADS,
    LOGGERS,
    ONWARD_DECIDERS,
    READERS,
)

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
        "lawful_bases": LegalGateway.objects.filter(category=GatewayCategory.ART6).order_by("provision"),
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
        *([EntryRow("Summary checked for identifying details",
                    "Yes: the person logging confirmed it holds nothing identifying" if d.summary_checked
                    else "Not asked: the summary did not look identifying")] if d.summary else []),
        EntryRow("Retention due", retention_display(d)),
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
        if row.history_type == "+":
            title = "Entry logged"
        elif row.purged_at is not None:
            title = "Personal details destroyed"
        elif row.retention_due_on is not None:
            title = f"Retention due date set: {row.retention_due_on:%-d %B %Y}"
        else:
            title = "Retention due date removed: the case was re-opened"
        by = _person(row.history_user or (disclosure.disclosed_by if row.history_type == "+" else None))
        events.append(TimelineEvent(title=title, by=by, at=row.history_date))
    for row in Amendment.history.filter(disclosure_id=disclosure.pk, history_type="+").select_related(
        "made_by", "history_user",
    ).order_by("history_date"):
        if row.kind == AmendmentKind.VOID:
            title = "Entry voided"
        elif row.kind == AmendmentKind.INACCURATE:
            title = "Marked inaccurate"
        else:
            labels = [str(CORRECTABLE_FIELDS.get(name, name)).lower() for name in row.changes]
            title = f"Corrected: {', '.join(labels)}" if labels else "Corrected"
        events.append(TimelineEvent(title=title, by=_person(row.made_by), at=row.history_date))
    for row in Acknowledgement.history.filter(disclosure_id=disclosure.pk, history_type="+").select_related(
        "acknowledged_by",
    ):
        events.append(TimelineEvent(title="Receipt acknowledged", by=_person(row.acknowledged_by),
                                    at=row.history_date))
    events.extend(_recipient_events(disclosure))
    return sorted(events, key=lambda event: event.at)


# Escalations of refusals (004 §6.4) -----------------------------------------------------------

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
        | Q(disclosure__agreement_id__in=_audited_agreement_ids(user))
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
        EntryRow("When it was decided", _when(d.occurred_at)),
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


# Case closure and retention (001 §5.15) --------------------------------------------------------


def retention_display(disclosure: Disclosure) -> str:
    """The entry's retention due date as its page shows it."""
    if disclosure.retention_due_on is None:
        return "Not set: it is set when the case is closed, from the agreement's retention period"
    months = disclosure.agreement.retention_months_after_closure
    after = f" – {months} months after the case was closed" if months is not None else ""
    return f"{disclosure.retention_due_on:%-d %B %Y}{after}"


def case_entries(*, organisation: Organisation, case_reference: str) -> list[Disclosure]:
    """The entries ``organisation`` logged under ``case_reference`` as it stands after
    corrections (any letter case), oldest first: the entries a closure of that case governs."""
    reference = case_reference.strip()
    if not reference:
        return []
    corrected = Amendment.objects.filter(
        kind=AmendmentKind.CORRECTION, changes__case_reference__iexact=reference,
    ).values("disclosure_id")
    candidates = _with_state(
        Disclosure.objects.filter(disclosing_organisation=organisation)
        .filter(Q(case_reference__iexact=reference) | Q(pk__in=corrected))
    ).order_by("occurred_at", "pk")
    # A match on a value a correction has since changed is another case now.
    return [entry for entry in candidates if current_case_reference(entry).lower() == reference.lower()]


def closures_visible_to(user) -> QuerySet[CaseClosure]:
    """Case closures of the organisations ``user`` reads or audits the log for."""
    own = user_organisation_ids(user, roles=READERS + AUDITORS)
    return CaseClosure.objects.filter(organisation_id__in=own).select_related(
        "organisation", "closed_by", "reopened_by",
    )


def closure_for_page(user, pk: int) -> QuerySet[CaseClosure]:
    return closures_visible_to(user).filter(pk=pk)


def closure_of(disclosure: Disclosure) -> CaseClosure | None:
    """The closure of the case ``disclosure`` was logged under, by its disclosing organisation."""
    return CaseClosure.objects.filter(
        organisation_id=disclosure.disclosing_organisation_id,
        case_reference__iexact=current_case_reference(disclosure),
    ).first()


def closure_by_reference(*, organisation: Organisation, case_reference: str) -> CaseClosure | None:
    return CaseClosure.objects.filter(organisation=organisation, case_reference__iexact=case_reference.strip()).first()


def case_closing_organisations(user) -> QuerySet[Organisation]:
    """The organisations ``user`` may close cases for."""
    return Organisation.objects.filter(pk__in=user_organisation_ids(user, roles=CASE_CLOSERS)).order_by("name")


def closure_timeline(closure: CaseClosure) -> list[TimelineEvent]:
    """Closed, date changed, re-opened, closed again: from the closure's history, with the
    reason given for each change."""
    events = []
    previous = None
    for row in closure.history.select_related("history_user").order_by("history_date", "history_id"):
        day = f"{row.closed_on:%-d %B %Y}"
        if previous is None:
            title = f"Case closed on {day}"
        elif row.reopened_on is not None and previous.reopened_on is None:
            title = f"Case re-opened on {row.reopened_on:%-d %B %Y}: {row.reason}"
        elif row.reopened_on is None and previous.reopened_on is not None:
            title = f"Case closed again on {day}"
        elif row.closed_on != previous.closed_on:
            title = f"Closing date changed from {previous.closed_on:%-d %B %Y} to {day}: {row.reason}"
        else:
            previous = row
            continue
        events.append(TimelineEvent(title=title, by=_person(row.history_user), at=row.history_date))
        previous = row
    return events


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


# Onward disclosure (001 §5.7) and data-quality correction (001 §5.6) ------------------------


def is_destroyed(disclosure: Disclosure) -> bool:
    """Whether the retention purge has taken ``disclosure``'s personal parts."""
    return disclosure.purged_at is not None or Destruction.objects.filter(disclosure=disclosure).exists()


def onward_requests_of(disclosure: Disclosure) -> QuerySet[OnwardDisclosureRequest]:
    """Requests to pass ``disclosure`` on, oldest first."""
    return disclosure.onward_requests.select_related(
        "requested_by", "decided_by", "third_party_organisation",
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


def inaccuracy_of(disclosure: Disclosure) -> Amendment | None:
    """The notice that ``disclosure`` was inaccurate, if it was marked so."""
    return disclosure.amendments.filter(kind=AmendmentKind.INACCURATE).select_related("made_by").first()


def current_case_reference(disclosure: Disclosure) -> str:
    return corrected_values(disclosure).get("case_reference", disclosure.case_reference)


def entries_of_the_same_case(disclosure: Disclosure) -> list[Disclosure]:
    """Other entries the disclosing organisation shared under the same case reference (as it
    stands after corrections) that may carry the same inaccurate information: shared, and
    neither voided, destroyed nor already marked inaccurate. Oldest first."""
    reference = current_case_reference(disclosure)
    corrected = Amendment.objects.filter(
        kind=AmendmentKind.CORRECTION, changes__case_reference__iexact=reference,
    ).values("disclosure_id")
    candidates = _with_state(
        Disclosure.objects.filter(
            disclosing_organisation_id=disclosure.disclosing_organisation_id, decision=Decision.SHARED,
            purged_at__isnull=True, destruction__isnull=True,
        ).filter(Q(case_reference__iexact=reference) | Q(pk__in=corrected)).exclude(pk=disclosure.pk)
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


def _recipient_events(disclosure: Disclosure) -> list[TimelineEvent]:
    """The onward-disclosure requests and recipients' confirmations of ``disclosure``."""
    events = []
    for request in onward_requests_of(disclosure):
        events.append(TimelineEvent(title=f"Asked to pass it on to {request.third_party}",
                                    by=_person(request.requested_by), at=request.requested_at))
        if request.decision != OnwardDecision.PENDING:
            verb = "given" if request.decision == OnwardDecision.GRANTED else "refused"
            events.append(TimelineEvent(title=f"Consent to pass it on to {request.third_party} {verb}",
                                        by=_person(request.decided_by), at=request.decided_at))
    for confirmation in disclosure.recipient_confirmations.exclude(
        outcome=ConfirmationOutcome.PENDING,
    ).select_related("organisation", "confirmed_by"):
        events.append(TimelineEvent(
            title=f"{confirmation.organisation} confirmed its copy {confirmation.get_outcome_display().lower()}",
            by=_person(confirmation.confirmed_by), at=confirmation.confirmed_at,
        ))
    return events


# Destruction under the retention rule (001 §5.15) ---------------------------------------------


def destruction_of(disclosure: Disclosure) -> Destruction | None:
    """The record of ``disclosure``'s destruction, if its personal parts were destroyed."""
    return Destruction.objects.filter(disclosure=disclosure).first()


def destruction_rows(destruction: Destruction) -> list[EntryRow]:
    """What an entry's page shows of a destroyed entry: its de-personalised stub, no more."""
    stub = destruction.stub
    labels = dict(category_choices())
    counts = stub.get("counts", {})

    def day(value) -> str:
        return f"{datetime.date.fromisoformat(value):%-d %B %Y}" if value else "Not recorded"

    def choice(choices, value) -> str:
        return str(dict(choices).get(value, value)) if value else "Not recorded"

    def listed(values) -> str:
        return ", ".join(str(labels.get(value, value)) for value in values) or "None"

    return [
        EntryRow("Decision", choice(Decision.choices, stub.get("decision"))),
        EntryRow("Agreement", stub.get("agreement", {}).get("title", "")),
        EntryRow("Organisation that logged it", stub.get("disclosing_organisation", {}).get("name", "")),
        EntryRow("Partner organisation", stub.get("recipient_organisation", {}).get("name", "")),
        EntryRow("When it happened", day(stub.get("occurred_on"))),
        EntryRow("Case closed", day(stub.get("case_closed_on"))),
        EntryRow("Retention due", day(stub.get("retention_due_on"))),
        EntryRow("Who it was about", choice(SubjectType.choices, stub.get("subject_type"))),
        EntryRow("Data level", choice(DataLevel.choices, stub.get("data_level"))),
        EntryRow("Data categories", listed(stub.get("data_categories", []))),
        EntryRow("Special category data", listed(stub.get("special_categories", []))),
        EntryRow("Criminal offence data", "Yes" if stub.get("criminal_offence_data") else "No"),
        EntryRow("Purpose", stub.get("purpose") or "Not recorded"),
        EntryRow("Article 6 lawful basis", stub.get("art6_basis") or "Not recorded"),
        EntryRow("Legal gateways", ", ".join(stub.get("gateways", [])) or "None"),
        EntryRow("Corrections", str(counts.get("corrections", 0))),
        EntryRow("Requests to pass it on", str(counts.get("onward_requests", 0))),
        EntryRow("Escalations", str(counts.get("escalations", 0))),
    ]


def retention_confirmations_of(disclosure: Disclosure) -> QuerySet[RecipientDestructionConfirmation]:
    """Each holder of a copy of destroyed ``disclosure``, asked to confirm its copy destroyed."""
    return disclosure.recipient_confirmations.filter(
        reason=ConfirmationReason.RETENTION,
    ).select_related("organisation", "confirmed_by").order_by("organisation__name")
