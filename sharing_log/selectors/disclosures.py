"""Entries: the lists of what was shared and received, one entry's page and audit trail, and what
a user may log under."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from agreements.models import Agreement, LegalGateway, Party
from govuk_blocks.dates import date_time, long_date
from partners.models import Organisation
from partners.permissions import user_organisation_ids

from ..models.amendments import Amendment, AmendmentKind
from ..models.disclosures import Acknowledgement, Decision, Disclosure
from ..models.escalations import Escalation
from ..models.onward import OnwardDecision, OnwardDisclosureRequest
from ..models.quality import ConfirmationOutcome, ConfirmationReason, RecipientDestructionConfirmation
from ..permissions import ACKNOWLEDGERS, AUDITORS, LOGGERS, READERS
from .amendments import CORRECTABLE_FIELDS, display_value
from .closures import retention_display
from .common import (
    EntryRow,
    TimelineEvent,
    _or_audited,
    _person,
    _with_state,
    category_choices,
    disclosures_visible_to,
)
from .onward import onward_requests_of
from .overrides import authorised_by_display
from .quality import marked_with


def disclosures_made(user, *, state: bool = True) -> QuerySet[Disclosure]:
    """What the user's organisations shared and decided; for an auditor, every entry under the
    agreements its organisation audits. With ``state`` (``_with_state``) each carries its related
    rows and whether it was voided, acknowledged or amended; without, the entries alone, for a
    reader that asks for what it shows itself (``log_page``: building the three flags' subqueries
    was a tenth of the log's page)."""
    own = user_organisation_ids(user, roles=READERS)
    entries = disclosures_visible_to(user).filter(
        Q(disclosing_organisation_id__in=own) | _or_audited(user)
    )
    return _with_state(entries) if state else entries


def disclosures_received(user, *, state: bool = True) -> QuerySet[Disclosure]:
    """What was shared with (or refused to) the user's organisations; ``state`` as for
    ``disclosures_made``."""
    own = user_organisation_ids(user, roles=READERS + AUDITORS)
    entries = disclosures_visible_to(user).filter(recipient_organisation_id__in=own)
    return _with_state(entries) if state else entries


def disclosures_awaiting_acknowledgement(user) -> QuerySet[Disclosure]:
    """Information shared with organisations the user is a SPOC of, not yet acknowledged and
    not voided: the SPOC's inbox, oldest first."""
    if not user.is_authenticated:
        return Disclosure.objects.none()
    # Not narrowed from ``disclosures_visible_to``: every entry shared with an organisation the
    # user acknowledges for is one they may read (``ACKNOWLEDGERS`` are ``READERS``), and that
    # filter's ``OR`` kept PostgreSQL from reading the receipts' own index (``disclosure_receipts``)
    # in order, so that a page of them read every entry the organisation shared or received.
    own = user_organisation_ids(user, roles=ACKNOWLEDGERS)
    return _with_state(Disclosure.objects.filter(
        recipient_organisation_id__in=own, decision=Decision.SHARED,
    )).filter(is_voided=False, is_acknowledged=False).order_by("occurred_at", "pk")


def disclosure_for_page(user, pk: int) -> QuerySet[Disclosure]:
    """The entry ``pk`` if ``user`` may read it, with what the pages acting on it show."""
    return _with_state(disclosures_visible_to(user).filter(pk=pk)).select_related(
        "disclosed_by", "purpose", "criminal_offence_condition", "law_enforcement_basis",
    ).prefetch_related("gateways", "art9_conditions")


def disclosure_for_entry_page(user, pk: int, *, on: datetime.date) -> QuerySet[Disclosure]:
    """The entry ``pk`` if ``user`` may read it, for its own page: in the same query its
    acknowledgement and destruction (one each at most), the consent it was passed on under (if it
    was), whether its agreement is one ``user`` may log under on ``on`` (``agreements_to_log_under``:
    ``loggable``), and whether anything points at it that the page would read — requests to pass
    it on, escalations, recipients' confirmations — so that what is not there is not asked for
    (issue 15: a detail page asks at most 15 questions). Its legal gateways are read by
    ``legal_gateways_keep``, the parts by the page's readers."""
    pointing = {
        "has_onward_requests": OnwardDisclosureRequest.objects.filter(disclosure=OuterRef("pk")),
        "has_escalations": Escalation.objects.filter(disclosure=OuterRef("pk")),
        "has_confirmations": RecipientDestructionConfirmation.objects.filter(disclosure=OuterRef("pk")),
        "loggable": agreements_to_log_under(user, on=on).filter(pk=OuterRef("agreement_id")).values("pk"),
    }
    return _with_state(disclosures_visible_to(user).filter(pk=pk)).select_related(
        "disclosed_by", "purpose", "criminal_offence_condition", "law_enforcement_basis",
        "acknowledgement__acknowledged_by", "destruction", "onward_request__disclosure__disclosing_organisation",
    ).annotate(**{name: Exists(rows) for name, rows in pointing.items()})


def _one_to_one(disclosure: Disclosure, name: str):
    try:
        return getattr(disclosure, name)
    except ObjectDoesNotExist:
        return None


def entry_acknowledgement(disclosure: Disclosure) -> Acknowledgement | None:
    """The acknowledgement of an entry from ``disclosure_for_entry_page`` (read with it)."""
    return _one_to_one(disclosure, "acknowledgement")


def entry_destruction(disclosure: Disclosure):
    """The destruction of an entry from ``disclosure_for_entry_page`` (read with it); ``is_destroyed``
    then asks nothing more."""
    destruction = _one_to_one(disclosure, "destruction")
    disclosure.destruction_recorded = destruction is not None
    return destruction


def legal_gateways_keep(disclosure: Disclosure) -> None:
    """Read the entry's legal gateways and Article 9 conditions in one query, and keep them on it
    (``gateway_list``, ``art9_list``) for ``entry_rows``."""
    through = {"as_gateway": Disclosure.gateways.through, "as_art9": Disclosure.art9_conditions.through}
    cited = {name: model.objects.filter(disclosure_id=disclosure.pk) for name, model in through.items()}
    either = Q()
    for rows in cited.values():
        either |= Q(pk__in=rows.values("legalgateway_id"))
    flags = {name: Exists(rows.filter(legalgateway_id=OuterRef("pk"))) for name, rows in cited.items()}
    rows = list(LegalGateway.objects.filter(either).annotate(**flags).order_by("instrument", "provision"))
    disclosure.gateway_list = [row for row in rows if row.as_gateway]
    disclosure.art9_list = [row for row in rows if row.as_art9]


def entry_confirmations(disclosure: Disclosure, notice: Amendment | None) -> list[RecipientDestructionConfirmation]:
    """In one query, every recipient's confirmation an entry's page shows: those its notice of
    inaccuracy (``notice``) asked for, of every entry the notice marked (as
    ``recipient_confirmations_of``), and all those asked of the entry's own recipients, by entry
    and organisation. Nothing is asked when there is none (``disclosure_for_entry_page``)."""
    if notice is None and not getattr(disclosure, "has_confirmations", True):
        return []
    wanted = Q(disclosure_id=disclosure.pk)
    if notice is not None:
        wanted |= Q(disclosure_id__in=marked_with(notice), reason=ConfirmationReason.INACCURACY)
    return list(
        RecipientDestructionConfirmation.objects.filter(wanted)
        .select_related("organisation", "confirmed_by", "disclosure").order_by("disclosure_id", "organisation__name")
    )


def decision_record_rows(d: Disclosure) -> list[EntryRow]:
    """The record of the decision (issue 13, item 6) beyond the dates: why it was necessary, the
    "Can I share?" outcome and the reasons for sharing against it and for logging late."""
    rows = []
    if d.decision == Decision.SHARED:
        rows.append(EntryRow(_("Why sharing was necessary and proportionate"), d.necessity_reason or _("Not recorded")))
    rows.append(EntryRow(_("“Can I share?” outcome"), d.get_can_i_share_outcome_display() or _("Not asked")))
    if d.against_advice_reason:
        rows.append(EntryRow(_("Why it was shared against “Can I share?”"), d.against_advice_reason))
    if d.late_logging_reason:
        rows.append(EntryRow(_("Why it was logged late"), d.late_logging_reason))
    return rows


def entry_rows(disclosure: Disclosure, amendments: list[Amendment]) -> list[EntryRow]:
    """The entry as logged, row by row, each correctable row with its corrections beside it."""
    d = disclosure
    shared = d.decision == Decision.SHARED
    labels = dict(category_choices())
    # Kept by ``legal_gateways_keep`` on an entry's page, read here otherwise.
    gateways = getattr(d, "gateway_list", None)
    gateways = d.gateways.all() if gateways is None else gateways
    art9_conditions = getattr(d, "art9_list", None)
    art9_conditions = d.art9_conditions.all() if art9_conditions is None else art9_conditions

    def listed(values) -> str:
        return ", ".join(str(labels.get(value, value)) for value in values) or _("None")

    rows = [
        EntryRow(_("Decision"), d.get_decision_display()),
        *([EntryRow(_("Reason for the decision"), d.decision_reason or _("Not recorded"), "decision_reason")]
          if not shared or d.decision_reason else []),
        EntryRow(_("Agreement"), str(d.agreement)),
        EntryRow(_("Shared by") if shared else _("Decided by"),
                 f"{d.disclosing_organisation} ({_person(d.disclosed_by)})"),
        EntryRow(_("Shared with") if shared else _("Partner organisation"), str(d.recipient_organisation)),
        EntryRow(_("Recipient's name"), d.recipient_name or _("Not recorded"), "recipient_name"),
        EntryRow(_("Recipient's job title"), d.recipient_job_title or _("Not recorded"), "recipient_job_title"),
        EntryRow(_("Recipient's work e-mail or phone"), d.recipient_contact or _("Not recorded"), "recipient_contact"),
        EntryRow(_("Request received"),
                 long_date(d.request_received_on) if d.request_received_on else _("No request recorded")),
        EntryRow(_("When it happened"), date_time(d.occurred_at)),
        EntryRow(_("Logged"), date_time(d.recorded_at)),
        *decision_record_rows(d),
        EntryRow(_("Case reference"), d.case_reference, "case_reference"),
        EntryRow(_("Who it is about"), d.get_subject_type_display(), "subject_type"),
        # A decision not to share records no level, consent position or telling (decision 0040).
        *([EntryRow(_("Data level"), d.get_data_level_display(), "data_level")] if d.data_level else []),
        # Nor what it included, nor how it was sent and marked: nothing was sent.
        *([EntryRow(_("Data categories"), listed(d.data_categories)),
           EntryRow(_("Special category data"), listed(d.special_categories))] if shared else []),
        # A Part 3 entry's conditions are its Part 3 basis: UK GDPR Articles 9 and 10 do not apply.
        *([EntryRow(_("Article 9 conditions"), ", ".join(str(c) for c in art9_conditions) or _("Not recorded"))]
          if d.special_categories and not d.law_enforcement_basis_id else []),
        *([EntryRow(_("Criminal offence data"), _("Yes") if d.criminal_offence_data else _("No"))] if shared else []),
        *([EntryRow(_("Schedule 1 condition"), str(d.criminal_offence_condition or _("Not recorded")))]
          if d.criminal_offence_data and not d.law_enforcement_basis_id else []),
        EntryRow(_("Purpose"), str(d.purpose)),
        *([EntryRow(_("DPA 2018 Part 3 basis (law enforcement)"), str(d.law_enforcement_basis), term="part-3")]
          if d.law_enforcement_basis_id
          else [EntryRow(_("Article 6 lawful basis"), d.art6_basis.plain_name if d.art6_basis else _("Not recorded"),
                         term="article-6")]),
        *([EntryRow(_("Reason for relying on a basis the agreement does not cite"), d.art6_departure_reason)]
          if d.art6_departure_reason else []),
        EntryRow(_("Legal gateways"), ", ".join(str(gateway) for gateway in gateways) or _("None")),
        *([EntryRow(_("Consent"), d.get_consent_status_display()
                    + (f": {d.consent_reason}" if d.consent_reason else ""))] if d.consent_status else []),
        *([EntryRow(_("Confidential information shared without consent"),
                    _("Yes") if d.confidentiality_breached else _("No"))] if shared else []),
        *([EntryRow(_("Authorised by"), authorised_by_display(d))] if d.authorised_by else []),
        *([EntryRow(_("Was the person told?"), d.get_subject_informed_display()
                    + (" " + _("(by %(date)s)") % {"date": long_date(d.subject_told_by)} if d.subject_told_by else "")
                    + (f": {d.subject_not_informed_reason}" if d.subject_not_informed_reason else ""),
                    "subject_informed")] if d.subject_informed else []),
        EntryRow(_("Fact or opinion"), d.get_fact_or_opinion_display(), "fact_or_opinion"),
        *([EntryRow(_("How it was sent"), display_value("transfer_method", d.transfer_method), "transfer_method"),
           EntryRow(_("Protective marking"), d.get_protective_marking_display(), "protective_marking")]
          if shared else []),
        EntryRow(_("Summary"), d.summary or _("None"), "summary"),
        *([EntryRow(_("Summary checked for identifying details"),
                    _("Yes: the person logging confirmed it holds nothing identifying") if d.summary_checked
                    else _("Not asked: the summary did not look identifying"))] if d.summary else []),
        EntryRow(_("Retention due"), retention_display(d)),
    ]
    for row in rows:
        row.corrections = [
            {"value": display_value(row.field, amendment.changes[row.field]), "amendment": amendment}
            for amendment in amendments
            if row.field and amendment.kind == AmendmentKind.CORRECTION and row.field in amendment.changes
        ]
    return rows


def acknowledgement_of(disclosure: Disclosure) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(disclosure=disclosure).select_related("acknowledged_by").first()


_READ = object()


def disclosure_timeline(
    disclosure: Disclosure, *, amendments=None, acknowledgement=_READ, onward_requests=None, confirmations=None,
) -> list[TimelineEvent]:
    """The entry's audit trail: what happened, who and when. It names the field a correction
    changed, never a value: the personal parts of an entry stay on the entry's page (and go with
    it when it is destroyed).

    The entry's own changes (logged, retention dates, destruction) come from its history rows;
    its amendments and acknowledgement from their own rows, which the log's guards keep
    append-only (``sharing_log.database``), so each row is the record of its making. A page that
    has read the entry's ``amendments``, ``acknowledgement``, ``onward_requests`` or recipients'
    ``confirmations`` already passes them, and they are not read again.
    """
    events = []
    for row in disclosure.history.select_related("history_user").order_by("history_date"):
        if row.history_type == "+":
            title = "Entry logged"
        elif row.purged_at is not None:
            title = "Personal details destroyed"
        elif row.retention_due_on is not None:
            title = f"Retention due date set: {long_date(row.retention_due_on)}"
        else:
            title = "Retention due date removed: the case was re-opened"
        by = _person(row.history_user or (disclosure.disclosed_by if row.history_type == "+" else None))
        events.append(TimelineEvent(title=title, by=by, at=row.history_date))
    if amendments is None:
        amendments = disclosure.amendments.select_related("made_by").order_by("made_at", "pk")
    for amendment in amendments:
        if amendment.kind == AmendmentKind.VOID:
            title = "Entry voided"
        elif amendment.kind == AmendmentKind.INACCURATE:
            title = "Marked inaccurate"
        else:
            labels = [str(CORRECTABLE_FIELDS.get(name, name)).lower() for name in amendment.changes]
            title = f"Amended: {', '.join(labels)}" if labels else "Amended"
        events.append(TimelineEvent(title=title, by=_person(amendment.made_by), at=amendment.made_at))
    if acknowledgement is _READ:
        acknowledgement = acknowledgement_of(disclosure)
    if acknowledgement is not None:
        events.append(TimelineEvent(title="Receipt acknowledged", by=_person(acknowledgement.acknowledged_by),
                                    at=acknowledgement.acknowledged_at))
    events.extend(_recipient_events(disclosure, onward_requests, confirmations))
    return sorted(events, key=lambda event: event.at)


def _recipient_events(disclosure: Disclosure, onward_requests=None, confirmations=None) -> list[TimelineEvent]:
    """The onward-disclosure requests and recipients' confirmations of ``disclosure``."""
    events = []
    for request in onward_requests_of(disclosure) if onward_requests is None else onward_requests:
        events.append(TimelineEvent(title=f"Asked to pass it on to {request.third_party}",
                                    by=_person(request.requested_by), at=request.requested_at))
        if request.decision != OnwardDecision.PENDING:
            verb = "given" if request.decision == OnwardDecision.GRANTED else "refused"
            events.append(TimelineEvent(title=f"Consent to pass it on to {request.third_party} {verb}",
                                        by=_person(request.decided_by), at=request.decided_at))
    if confirmations is None:
        confirmations = disclosure.recipient_confirmations.select_related("organisation", "confirmed_by")
    for confirmation in confirmations:
        if confirmation.disclosure_id != disclosure.pk or confirmation.outcome == ConfirmationOutcome.PENDING:
            continue
        events.append(TimelineEvent(
            title=f"{confirmation.organisation} confirmed its copy {confirmation.get_outcome_display().lower()}",
            by=_person(confirmation.confirmed_by), at=confirmation.confirmed_at,
        ))
    return events


def logging_organisation_ids(user) -> set[int]:
    """The ids of the organisations ``user`` may log for, from the user's memberships alone."""
    return user_organisation_ids(user, roles=LOGGERS)


def logging_organisations(user) -> QuerySet[Organisation]:
    """The organisations ``user`` may log for."""
    return Organisation.objects.filter(pk__in=logging_organisation_ids(user)).order_by("name")


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
