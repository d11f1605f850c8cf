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

from django.db import connection, transaction
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Upper
from django.urls import reverse
from django.utils import timezone

from agreements.models import LegalGateway, Purpose
from govuk_blocks.dates import long_date
from partners.models import Organisation
from partners.services import Message, notifications_send_in_digest

from ..models.amendments import Amendment, AmendmentKind
from ..models.closures import CaseClosure
from ..models.disclosures import Acknowledgement, Decision, Disclosure
from ..models.escalations import Escalation
from ..models.ledger import LogEventKind
from ..models.onward import OnwardDecision, OnwardDisclosureRequest
from ..models.quality import ConfirmationReason, RecipientDestructionConfirmation
from ..models.retention import Destruction
from ..selectors.amendments import current_case_reference, with_corrections
from .ledger import log_events_append
from .onward import spoc_contacts_of
from .retention_dates import _record_history, disclosure_retention_set  # noqa: F401 – re-exported

DESTROYED = "Destroyed under the retention rule."

# Entries destroyed a transaction at a time: what a run finishes stays done if it is stopped,
# and each transaction asks the database the same few questions however many entries it holds.
BATCH = 200


def disclosures_due_for_destruction(*, on: datetime.date) -> list[int]:
    """The entries whose retention due date is ``on`` or before and that still hold their
    personal parts, oldest due first (as ids: each batch is locked and read again when destroyed)."""
    return list(
        Disclosure.objects.filter(retention_due_on__lte=on, purged_at__isnull=True)
        .order_by("retention_due_on", "pk").values_list("pk", flat=True)
    )


def disclosures_destroy_due(*, on: datetime.date | None = None, batch_size: int = BATCH) -> list[Destruction]:
    """Destroy the personal parts of every entry due for destruction on ``on`` (today by
    default); for the daily scheduler. Returns the destructions made by this call.

    The entries are destroyed ``batch_size`` at a time, each batch in its own transaction, so an
    interrupted run keeps what it finished and the next run carries on; an entry destroyed
    already is left alone, so running twice destroys nothing twice and asks nobody twice.
    """
    on = on or timezone.localdate()
    due = disclosures_due_for_destruction(on=on)
    destroyed = []
    for start in range(0, len(due), batch_size):
        destroyed.extend(disclosures_destroy(disclosure_ids=due[start:start + batch_size], on=on))
    return destroyed


def disclosure_destroy(*, disclosure_id: int, on: datetime.date) -> Destruction | None:
    """Destroy the personal parts of entry ``disclosure_id`` if they are due on ``on`` and still
    there; ``None`` otherwise (another run took them first, or the case was re-opened)."""
    destroyed = disclosures_destroy(disclosure_ids=[disclosure_id], on=on)
    return destroyed[0] if destroyed else None


@transaction.atomic
def disclosures_destroy(*, disclosure_ids: list[int], on: datetime.date) -> list[Destruction]:
    """Destroy the personal parts of those of ``disclosure_ids`` that are due on ``on`` and still
    whole, together (issue 15: a fixed number of queries however many, where each entry on its
    own cost some 25). Every rule of destroying one holds for each: its stub and destruction
    record, its personal parts gone from it, its related records and all their history, its case
    closure's reference once no entry of the case holds its personal parts, the chain's events
    (the destruction, then each copy asked for, entry by entry), and each holder of a copy asked
    to destroy it, its SPOCs told. Returns the destructions made, in the order of the ids."""
    order = {pk: number for number, pk in enumerate(disclosure_ids)}
    entries = sorted(_due_entries(disclosure_ids, on), key=lambda entry: order[entry.pk])
    if not entries:
        return []
    closures = _closures_of(entries)
    going = _closures_going(entries, closures)
    holders = _copy_holders(entries)
    names = _Catalogue(entries)
    destructions = Destruction.objects.bulk_create([
        Destruction(
            disclosure=entry, stub=_stub(entry, closures.get(entry.pk), names),
            reason=(f"Retention period ended on {long_date(entry.retention_due_on)}: records are destroyed "
                    "after the agreement's retention period from the closing of the case (001 §5.15)."),
        )
        for entry in entries
    ])
    ids = [entry.pk for entry in entries]
    if connection.vendor == "postgresql":
        # The database refuses these updates to everyone but its purge function (0023), called
        # for each entry in turn within one statement, a closure with the last entry of its case.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sharing_log_purge(entry, closure) FROM (SELECT entry, closure "
                "FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS t(entry, closure, n) ORDER BY n) AS purges",
                [ids, [going[pk].pk if pk in going else None for pk in ids]],
            )
    else:
        _blank_related(ids)
        Disclosure.objects.filter(pk__in=ids).purge(at=timezone.now())
        blank = {field: ({} if field == "can_i_share_answers" else "") for field in Disclosure.PERSONAL_FIELDS}
        Disclosure.history.model.objects.filter(id__in=ids).update(**blank)
        _blank_closures([closure.pk for closure in going.values()])
    # The fields the purge wrote, read back (the related rows already read stay), and the history
    # row each entry's change leaves, as a save would have left it: by nobody, the portal did it.
    purged = dict(Disclosure.objects.filter(pk__in=ids).order_by().values_list("pk", "purged_at"))
    for entry in entries:
        for field in Disclosure.PERSONAL_FIELDS:
            setattr(entry, field, {} if field == "can_i_share_answers" else "")
        entry.purged_at = purged[entry.pk]
        entry._history_user = None
    Disclosure.history_records.purged(entries)
    confirmations = _ask_to_destroy(entries, holders)
    by_entry: dict[int, list] = {}
    for confirmation in confirmations:
        by_entry.setdefault(confirmation.disclosure_id, []).append(confirmation)
    log_events_append([
        event
        for destruction in destructions
        for event in ((LogEventKind.DESTROYED, destruction),
                      *((LogEventKind.COPY_REQUESTED, asked) for asked in by_entry.get(destruction.disclosure_id, ())))
    ])
    return destructions


class _Catalogue:
    """The purposes and legal gateways the stubs of a batch name (a small catalogue, never
    purged), read in one query each."""

    def __init__(self, entries: list[Disclosure]):
        gateway_ids = {getattr(entry, name) for entry in entries for name in
                       ("art6_basis_id", "law_enforcement_basis_id", "criminal_offence_condition_id")}
        self.rows = {
            Purpose: Purpose.objects.in_bulk({entry.purpose_id for entry in entries} - {None}),
            LegalGateway: LegalGateway.objects.in_bulk(gateway_ids - {None}),
        }

    def named(self, model, pk: int | None) -> str | None:
        return None if pk is None else str(self.rows[model][pk])


def _count(model, **filters):
    """How many rows of ``model`` point at the entry, as a subquery of the entry's own query."""
    rows = model.objects.filter(disclosure=OuterRef("pk"), **filters).order_by().values("disclosure")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def _has(model, **filters):
    return Exists(model.objects.filter(disclosure=OuterRef("pk"), **filters))


def _due_entries(disclosure_ids: list[int], on: datetime.date) -> list[Disclosure]:
    """The entries, locked, with what their stubs and their cases need read in the same few
    queries (issue 15: not a query for each of them): their corrections, their counts, their
    legal gateways and Article 9 conditions."""
    return list(
        with_corrections(Disclosure.objects.select_for_update(of=("self",)))
        .filter(pk__in=disclosure_ids, purged_at__isnull=True, retention_due_on__lte=on)
        .select_related("agreement", "disclosing_organisation", "recipient_organisation")
        .prefetch_related("gateways", "art9_conditions")
        .annotate(
            corrections_count=_count(Amendment, kind=AmendmentKind.CORRECTION),
            voided=_has(Amendment, kind=AmendmentKind.VOID),
            marked_inaccurate=_has(Amendment, kind=AmendmentKind.INACCURATE),
            acknowledged=_has(Acknowledgement),
            onward_count=_count(OnwardDisclosureRequest),
            escalations_count=_count(Escalation),
        )
        .order_by("pk")
    )


def _closures_of(entries: list[Disclosure]) -> dict[int, CaseClosure]:
    """Each entry's case closure (``closure_of``: by its disclosing organisation, its case
    reference as corrected, any letter case), for all of them in one query."""
    wanted = {(entry.disclosing_organisation_id, current_case_reference(entry).upper()): entry.pk
              for entry in entries}
    found = {}
    for closure in (CaseClosure.objects.annotate(reference=Upper("case_reference"))
                    .filter(organisation_id__in={organisation for organisation, _ in wanted},
                            reference__in={reference for _, reference in wanted})
                    .order_by("pk")):
        found.setdefault((closure.organisation_id, closure.reference), closure)
    return {entry.pk: found[key] for entry in entries
            if (key := (entry.disclosing_organisation_id, current_case_reference(entry).upper())) in found}


def _closures_going(entries: list[Disclosure], closures: dict[int, CaseClosure]) -> dict[int, CaseClosure]:
    """The closures whose case has no entry left holding its personal parts once ``entries`` go,
    each by the last of ``entries`` of its case (entry id → closure). The entries of the cases are
    read at once, as ``case_entries`` reads one case's (corrections included)."""
    if not closures:
        return {}
    cases = {(closure.organisation_id, closure.reference) for closure in closures.values()}
    organisations = {organisation for organisation, _ in cases}
    references = {reference for _, reference in cases}
    # By the reference as written, through the index on (organisation, UPPER(case_reference)), and
    # by a correction of it, apart: asked with OR, the planner reads every entry of the organisations.
    written = (Disclosure.objects.annotate(reference=Upper("case_reference"))
               .filter(disclosing_organisation_id__in=organisations, reference__in=references).order_by().values("pk"))
    corrected = Amendment.objects.filter(
        disclosure__disclosing_organisation_id__in=organisations, kind=AmendmentKind.CORRECTION,
        changes__has_key="case_reference",
    ).order_by().values("disclosure_id")
    candidates = with_corrections(
        Disclosure.objects.filter(pk__in=[row["pk"] for row in written.union(corrected)], purged_at__isnull=True)
        .only("pk", "disclosing_organisation_id", "case_reference", "purged_at")
    ).order_by("pk")
    holding: dict[tuple, set[int]] = {}
    for entry in candidates:
        key = (entry.disclosing_organisation_id, current_case_reference(entry).strip().upper())
        if key in cases:
            holding.setdefault(key, set()).add(entry.pk)
    going = {}
    destroyed = {entry.pk for entry in entries}
    for entry in reversed(entries):
        closure = closures.get(entry.pk)
        key = closure and (closure.organisation_id, closure.reference)
        if closure is not None and closure.pk not in {done.pk for done in going.values()} \
                and not holding.get(key, set()) - destroyed:
            going[entry.pk] = closure
    return going


def _copy_holders(entries: list[Disclosure]) -> dict[int, list[Organisation]]:
    """Each entry's organisations holding a copy (``onward_recipients``): the recipient and, with
    consent, those it passed it to; by entry id, for all of them in one query."""
    shared = [entry for entry in entries if entry.decision == Decision.SHARED]
    onward: dict[int, dict] = {}
    for request in (OnwardDisclosureRequest.objects
                    .filter(disclosure_id__in=[entry.pk for entry in shared], decision=OnwardDecision.GRANTED,
                            third_party_organisation__isnull=False)
                    .select_related("third_party_organisation").order_by()):
        onward.setdefault(request.disclosure_id, {})[request.third_party_organisation_id] = \
            request.third_party_organisation
    holders = {}
    for entry in shared:
        found = {entry.recipient_organisation_id: entry.recipient_organisation, **onward.get(entry.pk, {})}
        found.pop(entry.disclosing_organisation_id, None)
        holders[entry.pk] = sorted(found.values(), key=lambda organisation: organisation.name)
    return holders


def _stub(disclosure: Disclosure, closure: CaseClosure | None, seen: _Catalogue) -> dict:
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
    them, a field at a time (what was empty, or null, stays so, for the constraints)."""
    for manager in (model.objects, model.history.model.objects):
        for field in fields:
            manager.filter(filters, **{f"{field}__gt": ""}).update(**{field: DESTROYED})


def _blank_related(disclosure_ids: list[int]) -> None:
    """Where the database has no purge function: the free text of the records pointing at the
    entries, and of their history, a few updates for all of them."""
    # History rows keep the id of the row they record; a row since deleted still has them.
    live = Q(disclosure_id__in=disclosure_ids)
    _blank_rows(OnwardDisclosureRequest, filters=live, fields=OnwardDisclosureRequest.PERSONAL_FIELDS)
    _blank_rows(Escalation, filters=live, fields=Escalation.PERSONAL_FIELDS)
    _blank_rows(Amendment, filters=live, fields=("reason",))
    # A correction's values are the entry's own details, so they go; which fields it corrected,
    # and which entries a notice of inaccuracy covered (ids), stay for the audit trail. One
    # update for each set of fields corrected.
    for manager in (Amendment.objects, Amendment.history.model.objects):
        by_fields: dict[tuple, list[int]] = {}
        for row in manager.filter(live, kind=AmendmentKind.CORRECTION).values("pk", "changes"):
            by_fields.setdefault(tuple(sorted(row["changes"])), []).append(row["pk"])
        for fields, pks in by_fields.items():
            manager.filter(pk__in=pks).update(changes={field: "" for field in fields})


def _blank_closures(closure_ids: list[int]) -> None:
    """A closure names its case; once no entry of the case holds its personal parts, the name
    goes too. The reference must stay unique for the organisation, so it becomes a placeholder
    carrying the closure's own id."""
    if not closure_ids:
        return
    for manager, key in ((CaseClosure.objects, "pk"), (CaseClosure.history.model.objects, "id")):
        rows = manager.filter(**{f"{key}__in": closure_ids})
        rows.update(case_reference=Concat(Value("Destroyed case "), Cast(key, CharField())))
        rows.filter(reason__gt="").update(reason=DESTROYED)


def _ask_to_destroy(entries: list[Disclosure], holders: dict[int, list[Organisation]]) -> list:
    """Ask each holder of a copy of each entry to confirm its copy destroyed, and tell its SPOCs;
    the requests made. The message carries no case detail. Once: only the purge asks for a
    reason of retention, in the transaction that destroys the entries it has locked, and the
    database refuses a second request all the same (issue 15: no look-up first)."""
    confirmations = RecipientDestructionConfirmation.objects.bulk_create([
        RecipientDestructionConfirmation(disclosure=entry, organisation=organisation,
                                         reason=ConfirmationReason.RETENTION)
        for entry in entries for organisation in holders.get(entry.pk, ())
    ])
    RecipientDestructionConfirmation.history.bulk_history_create(confirmations, default_change_reason=None)
    entry_of = {entry.pk: entry for entry in entries}
    spocs = spoc_contacts_of({confirmation.organisation_id for confirmation in confirmations})
    # Asked by the daily run, often many at once: e-mailed in the SPOCs' digest (decision 0039).
    notifications_send_in_digest([
        Message(
            contacts=spocs.get(confirmation.organisation_id, []),
            subject=f"Destroy your copy of information {entry.disclosing_organisation} shared",
            body=(
                f"{entry.disclosing_organisation} has destroyed its record of information it shared on "
                f"{long_date(timezone.localdate(entry.occurred_at))}, under the retention rule of "
                f"“{entry.agreement.title}”: records are destroyed once the retention period after the case "
                f"closed has passed. {confirmation.organisation} holds a copy.\n\n"
                "Please destroy your copy, and confirm in the portal that you have."
            ),
            url=reverse("sharing_log:copy_confirm", kwargs={"pk": confirmation.pk}),
            event_key=f"retention-confirmation-{confirmation.pk}",
        )
        for confirmation in confirmations
        for entry in (entry_of[confirmation.disclosure_id],)
    ])
    return confirmations
