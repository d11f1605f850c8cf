"""Retention (001 §5.15; DOMAIN.md rule 8): an entry whose retention due date has come loses
its personal parts, in the record and in every history row, and leaves a de-personalised stub.

What goes, for each entry due:

- the entry's ``Disclosure.PERSONAL_FIELDS`` (case reference, summary, the named recipient,
  the reasons, who authorised an override, the "Can I share?" answers), written through the one
  purge ``Disclosure.save`` allows;
- the free text of the records that point at it: its amendments' reasons and corrected values
  (an inaccuracy notice says what was wrong), its onward-disclosure requests'
  ``PERSONAL_FIELDS`` and its escalations' ``PERSONAL_FIELDS``;
- the same fields in every simple-history row of those records, updated in place: the audit
  trail must not defeat the retention rule;
- once every entry of a closed case is destroyed, the case closure's reference and reason, and
  their history.

Free text a database constraint requires to be present (an amendment's reason, a decided
request's reason, an escalation's concern) becomes ``DESTROYED``; text that was empty stays
empty, so every constraint still holds. What stays: a ``Destruction`` record whose stub keeps
the dates, categories, organisations, agreement, decision and counts, and ``purged_at`` on the
entry. Each organisation that holds a copy (the recipient, and every directory organisation it
was passed on to with consent) is asked to confirm its copy destroyed, and its SPOCs are told.
"""

import datetime
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import connection, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from agreements.models import LegalGateway, Purpose
from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation
from partners.services import notification_send

from ..models.amendments import Amendment, AmendmentKind
from ..models.closures import CaseClosure
from ..models.disclosures import Acknowledgement, Decision, Disclosure
from ..models.escalations import Escalation
from ..models.ledger import LogEventKind
from ..models.onward import OnwardDisclosureRequest
from ..models.quality import ConfirmationReason, RecipientDestructionConfirmation
from ..models.retention import Destruction
from ..selectors.amendments import with_corrections
from ..selectors.closures import case_entries, closure_of
from ..selectors.onward import onward_recipients
from .ledger import log_event_append
from .onward import spoc_contacts
from .retention_dates import _record_history, disclosure_retention_set  # noqa: F401 – re-exported

DESTROYED = "Destroyed under the retention rule."

def disclosures_due_for_destruction(*, on: datetime.date) -> list[int]:
    """The entries whose retention due date is ``on`` or before and that still hold their
    personal parts, oldest due first (as ids: each is locked and read again when destroyed)."""
    return list(
        Disclosure.objects.filter(retention_due_on__lte=on, purged_at__isnull=True)
        .order_by("retention_due_on", "pk").values_list("pk", flat=True)
    )


def disclosures_destroy_due(*, on: datetime.date | None = None) -> list[Destruction]:
    """Destroy the personal parts of every entry due for destruction on ``on`` (today by
    default); for the daily scheduler. Returns the destructions made by this call.

    Each entry is destroyed in its own transaction, so an interrupted run keeps what it
    finished and the next run carries on; an entry destroyed already is left alone, so running
    twice destroys nothing twice and asks nobody twice.
    """
    on = on or timezone.localdate()
    destroyed = []
    seen = Seen()
    for pk in disclosures_due_for_destruction(on=on):
        destruction = disclosure_destroy(disclosure_id=pk, on=on, seen=seen)
        if destruction is not None:
            destroyed.append(destruction)
    return destroyed


@dataclass
class Seen:
    """What a run reads once and not again for every entry it destroys (issue 15): each holder's
    SPOCs, and the purposes and legal gateways the stubs name (a small catalogue, never purged)."""

    spocs: dict[int, list[Contact]] = dataclass_field(default_factory=dict)
    rows: dict[tuple, object] = dataclass_field(default_factory=dict)

    def spocs_of(self, organisation: Organisation) -> list[Contact]:
        if organisation.pk not in self.spocs:
            self.spocs[organisation.pk] = spoc_contacts(organisation)
        return self.spocs[organisation.pk]

    def named(self, model, pk: int | None) -> str | None:
        if pk is None:
            return None
        if (model, pk) not in self.rows:
            self.rows[model, pk] = model.objects.get(pk=pk)
        return str(self.rows[model, pk])


def _count(model, **filters):
    """How many rows of ``model`` point at the entry, as a subquery of the entry's own query."""
    rows = model.objects.filter(disclosure=OuterRef("pk"), **filters).order_by().values("disclosure")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def _has(model, **filters):
    return Exists(model.objects.filter(disclosure=OuterRef("pk"), **filters))


def _due_entry(disclosure_id: int, on: datetime.date) -> Disclosure | None:
    """The entry, locked, with what its stub and its case need read in the same query (issue 15:
    not a query for each of them): its corrections and its counts."""
    return (
        with_corrections(Disclosure.objects.select_for_update(of=("self",)))
        .filter(pk=disclosure_id, purged_at__isnull=True, retention_due_on__lte=on)
        # Not the purpose and gateways too: joins cost the planner more than a run's ``Seen``.
        .select_related("agreement", "disclosing_organisation", "recipient_organisation")
        .annotate(
            corrections_count=_count(Amendment, kind=AmendmentKind.CORRECTION),
            voided=_has(Amendment, kind=AmendmentKind.VOID),
            marked_inaccurate=_has(Amendment, kind=AmendmentKind.INACCURATE),
            acknowledged=_has(Acknowledgement),
            onward_count=_count(OnwardDisclosureRequest),
            escalations_count=_count(Escalation),
        )
        .first()
    )


@transaction.atomic
def disclosure_destroy(*, disclosure_id: int, on: datetime.date, seen: Seen | None = None) -> Destruction | None:
    """Destroy the personal parts of entry ``disclosure_id`` if they are due on ``on`` and still
    there; ``None`` otherwise (another run took them first, or the case was re-opened).
    ``seen`` keeps what a run's entries have in common (``Seen``)."""
    disclosure = _due_entry(disclosure_id, on)
    if disclosure is None:
        return None
    seen = Seen() if seen is None else seen
    closure = closure_of(disclosure)
    closure_goes = closure is not None and _last_of_its_case(closure, disclosure)
    holders = _copy_holders(disclosure)
    destruction = Destruction.objects.create(
        disclosure=disclosure, stub=_stub(disclosure, closure, seen),
        reason=(f"Retention period ended on {long_date(disclosure.retention_due_on)}: records are destroyed "
                "after the agreement's retention period from the closing of the case (001 §5.15)."),
    )

    if connection.vendor == "postgresql":
        # The database refuses these updates to everyone but its purge function (0023).
        with connection.cursor() as cursor:
            cursor.execute("SELECT sharing_log_purge(%s, %s)", [disclosure.pk, closure.pk if closure_goes else None])
        # Only the fields the purge wrote: the related rows already read stay (issue 15).
        disclosure.refresh_from_db(fields=list(Disclosure.PURGE_FIELDS))
        _record_history(disclosure, by_user=None, fields=Disclosure.PURGE_FIELDS)
    else:
        _blank_related(disclosure)
        _blank_entry(disclosure)
        if closure_goes:
            _blank_closure(closure)
    log_event_append(kind=LogEventKind.DESTROYED, record=destruction)
    for organisation in holders:
        _ask_to_destroy(disclosure, organisation, seen.spocs_of(organisation))
    return destruction


def _copy_holders(disclosure: Disclosure) -> list[Organisation]:
    """Organisations holding a copy: the recipient and, with consent, those it passed it to."""
    if disclosure.decision != Decision.SHARED:
        return []
    holders = {disclosure.recipient_organisation_id: disclosure.recipient_organisation}
    holders.update({organisation.pk: organisation for organisation in onward_recipients(disclosure)})
    holders.pop(disclosure.disclosing_organisation_id, None)
    return sorted(holders.values(), key=lambda organisation: organisation.name)


def _stub(disclosure: Disclosure, closure: CaseClosure | None, seen: Seen) -> dict:
    """What stays of the entry: nothing that identifies or describes a person."""
    d = disclosure
    return {
        "agreement": {"id": d.agreement_id, "title": d.agreement.title, "reference": d.agreement.reference},
        "disclosing_organisation": {"id": d.disclosing_organisation_id, "name": d.disclosing_organisation.name},
        "recipient_organisation": {"id": d.recipient_organisation_id, "name": d.recipient_organisation.name},
        "occurred_on": timezone.localdate(d.occurred_at).isoformat(),
        "recorded_on": timezone.localdate(d.recorded_at).isoformat(),
        "case_closed_on": closure.closed_on.isoformat() if closure is not None and closure.is_closed else None,
        "retention_due_on": d.retention_due_on.isoformat(),
        "decision": d.decision,
        "subject_type": d.subject_type,
        "data_level": d.data_level,
        "data_categories": list(d.data_categories),
        "special_categories": list(d.special_categories),
        "criminal_offence_data": d.criminal_offence_data,
        "purpose": seen.named(Purpose, d.purpose_id),
        "art6_basis": seen.named(LegalGateway, d.art6_basis_id),
        "law_enforcement_basis": seen.named(LegalGateway, d.law_enforcement_basis_id),
        "art9_conditions": [str(condition) for condition in d.art9_conditions.all()],
        "criminal_offence_condition": seen.named(LegalGateway, d.criminal_offence_condition_id),
        "gateways": [str(gateway) for gateway in d.gateways.all()],
        "consent_status": d.consent_status,
        "confidentiality_breached": d.confidentiality_breached,
        "subject_informed": d.subject_informed,
        "fact_or_opinion": d.fact_or_opinion,
        "transfer_method": d.transfer_method,
        "protective_marking": d.protective_marking,
        "counts": {
            "corrections": d.corrections_count,
            "voided": d.voided,
            "marked_inaccurate": d.marked_inaccurate,
            "acknowledged": d.acknowledged,
            "onward_requests": d.onward_count,
            "escalations": d.escalations_count,
        },
    }


def _blanked(value):
    """``value`` with its personal content gone, keeping whether it was there at all."""
    if isinstance(value, str):
        return DESTROYED if value else ""
    return value


def _blank_rows(model, *, filters: Q, fields: tuple[str, ...]) -> None:
    """Blank ``fields`` of ``model``'s rows matching ``filters``, and of every history row of
    them, row by row (what was empty stays empty, for the constraints)."""
    for manager in (model.objects, model.history.model.objects):
        for row in manager.filter(filters).values("pk", *fields):
            changes = {field: _blanked(row[field]) for field in fields}
            if any(changes[field] != row[field] for field in fields):
                manager.filter(pk=row["pk"]).update(**changes)


def _blank_related(disclosure: Disclosure) -> None:
    # History rows keep the id of the row they record; a row since deleted still has them.
    live = Q(disclosure_id=disclosure.pk)
    _blank_rows(OnwardDisclosureRequest, filters=live, fields=OnwardDisclosureRequest.PERSONAL_FIELDS)
    _blank_rows(Escalation, filters=live, fields=Escalation.PERSONAL_FIELDS)
    _blank_rows(Amendment, filters=live, fields=("reason",))
    # A correction's values are the entry's own details, so they go; which fields it corrected,
    # and which entries a notice of inaccuracy covered (ids), stay for the audit trail.
    for manager in (Amendment.objects, Amendment.history.model.objects):
        for row in manager.filter(live, kind=AmendmentKind.CORRECTION).values("pk", "changes"):
            manager.filter(pk=row["pk"]).update(changes={field: "" for field in row["changes"]})


def _blank_entry(disclosure: Disclosure) -> None:
    """The entry itself, through the purge its append-only guard allows; then its history."""
    blank = {field: ({} if field == "can_i_share_answers" else "") for field in Disclosure.PERSONAL_FIELDS}
    for field, value in blank.items():
        setattr(disclosure, field, value)
    disclosure.purged_at = timezone.now()
    disclosure._purging = True
    disclosure._history_user = None  # the portal did it, not a person
    disclosure.save(update_fields=list(Disclosure.PURGE_FIELDS))
    Disclosure.history.model.objects.filter(id=disclosure.pk).update(**blank)


def _last_of_its_case(closure: CaseClosure, disclosure: Disclosure) -> bool:
    """Whether ``disclosure`` is the last entry of ``closure``'s case still holding its personal parts."""
    # The closure is of the entry's disclosing organisation (``closure_of``), read already.
    remaining = case_entries(organisation=disclosure.disclosing_organisation, case_reference=closure.case_reference)
    return not any(entry.purged_at is None and entry.pk != disclosure.pk for entry in remaining)


def _blank_closure(closure: CaseClosure) -> None:
    """A closure names its case; once no entry of the case holds its personal parts, the name
    goes too. The reference must stay unique for the organisation, so it becomes a placeholder
    carrying the closure's own id."""
    blank = {"case_reference": f"Destroyed case {closure.pk}", "reason": _blanked(closure.reason)}
    CaseClosure.objects.filter(pk=closure.pk).update(**blank)
    CaseClosure.history.model.objects.filter(id=closure.pk).update(case_reference=blank["case_reference"])
    for row in CaseClosure.history.model.objects.filter(id=closure.pk).exclude(reason="").values("pk"):
        CaseClosure.history.model.objects.filter(pk=row["pk"]).update(reason=DESTROYED)


def _ask_to_destroy(disclosure: Disclosure, organisation: Organisation, spocs: list[Contact]) -> None:
    """Ask ``organisation`` to confirm its copy destroyed, and tell its SPOCs. The message carries
    no case detail. Once: only the purge asks for a reason of retention, in the transaction that
    destroys the entry it has locked, and the database refuses a second request all the same
    (issue 15: no look-up and savepoint first)."""
    confirmation = RecipientDestructionConfirmation.objects.create(
        disclosure=disclosure, organisation=organisation, reason=ConfirmationReason.RETENTION,
    )
    log_event_append(kind=LogEventKind.COPY_REQUESTED, record=confirmation)
    # Asked by the daily run, often many at once: e-mailed in the SPOCs' digest (decision 0039).
    notification_send(
        in_digest=True,
        contacts=spocs,
        subject=f"Destroy your copy of information {disclosure.disclosing_organisation} shared",
        body=(
            f"{disclosure.disclosing_organisation} has destroyed its record of information it shared on "
            f"{long_date(timezone.localdate(disclosure.occurred_at))}, under the retention rule of "
            f"“{disclosure.agreement.title}”: records are destroyed once the retention period after the case "
            f"closed has passed. {organisation} holds a copy.\n\n"
            "Please destroy your copy, and confirm in the portal that you have."
        ),
        url=reverse("sharing_log:copy_confirm", kwargs={"pk": confirmation.pk}),
        event_key=f"retention-confirmation-{confirmation.pk}",
    )
