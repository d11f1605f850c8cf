"""Reads for browsing agreements: the list's filters, the agreement page, who is who, and its history."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation
from partners.selectors import administrators_of, assurance_lapses

from ..history import HistoryEntry, HistoryKind, Names, excerpt
from ..history import entry as history_entry
from ..models import (
    Agreement,
    AgreementVersion,
    ContactRole,
    DataItem,
    Party,
    PartyContact,
    PartyStatus,
    Purpose,
    Review,
    ReviewAction,
    ReviewTrigger,
    Section,
    Signature,
    SignatureReminder,
    Status,
)
from .drafting import agreements_managed_by, agreements_visible_to
from .gateways import NOT_CURRENT_LAW
from .signing import SignatureMatrix, SignatureStatus, parties_with_signature_status

REVIEW_OVERDUE = "overdue"
REVIEW_DUE_SOON = "due_soon"
REVIEW_DUE_SOON_DAYS = 90
# Statuses in which a review date no longer matters: nothing is reviewed after the end.
FINISHED_STATUSES = (Status.SUPERSEDED, Status.ENDED)


def agreements_filtered(
    agreements: QuerySet[Agreement], *, status: str = "", kind: str = "",
    owner: Organisation | None = None, review: str = "", cites_repealed_law: bool = False,
    search: str = "", on: datetime.date | None = None,
) -> QuerySet[Agreement]:
    """Narrow ``agreements`` by the agreement list's filters; empty filters narrow nothing.

    ``agreements`` must come from ``agreements_visible_to``: filtering never widens it.
    ``review`` is ``REVIEW_OVERDUE`` (next review before ``on``) or ``REVIEW_DUE_SOON`` (within
    ``REVIEW_DUE_SOON_DAYS`` of ``on``); ended and superseded agreements are never due.
    ``search`` matches the title or the reference, ignoring case.
    """
    on = on or timezone.localdate()
    if status:
        agreements = agreements.filter(status=status)
    if kind:
        agreements = agreements.filter(kind=kind)
    if owner is not None:
        agreements = agreements.filter(owner=owner)
    if review == REVIEW_OVERDUE:
        agreements = agreements.exclude(status__in=FINISHED_STATUSES).filter(next_review_due__lt=on)
    elif review == REVIEW_DUE_SOON:
        agreements = agreements.exclude(status__in=FINISHED_STATUSES).filter(
            next_review_due__gte=on,
            next_review_due__lte=on + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS),
        )
    if cites_repealed_law:
        citing = Agreement.gateways.through.objects.filter(legalgateway__status__in=NOT_CURRENT_LAW)
        agreements = agreements.filter(pk__in=citing.values("agreement_id"))
    search = " ".join(search.split())
    if search:
        agreements = agreements.filter(Q(title__icontains=search) | Q(reference__icontains=search))
    return agreements


def agreements_listed(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """``agreements`` ready for a table: owner joined, ``cites_repealed`` annotated."""
    citing = Agreement.gateways.through.objects.filter(
        agreement_id=OuterRef("pk"), legalgateway__status__in=NOT_CURRENT_LAW,
    )
    return agreements.select_related("owner").annotate(cites_repealed=Exists(citing)).order_by("title", "pk")


def agreement_owners(agreements: QuerySet[Agreement]) -> QuerySet[Organisation]:
    """The organisations that own ``agreements``: the choices of the owner filter."""
    return Organisation.objects.filter(pk__in=agreements.values("owner_id")).order_by("name")


def review_state(agreement: Agreement, *, on: datetime.date | None = None) -> str:
    """``REVIEW_OVERDUE``, ``REVIEW_DUE_SOON`` or "" for the agreement's next review."""
    on = on or timezone.localdate()
    due = agreement.next_review_due
    if due is None or agreement.status in FINISHED_STATUSES:
        return ""
    if due < on:
        return REVIEW_OVERDUE
    if due <= on + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS):
        return REVIEW_DUE_SOON
    return ""


def agreement_for_page(user, pk: int) -> QuerySet[Agreement]:
    """The agreement ``pk`` if ``user`` may see it, for its page: owner and DPIA joined, and
    ``manages`` — ``agreements.permissions.can_manage``, the same grant read the same way —
    answered in the same query."""
    agreements = agreements_visible_to(user).filter(pk=pk).select_related("owner", "dpia")
    if not (user.is_authenticated and user.is_active):
        return agreements.annotate(manages=Value(False))
    return agreements.annotate(manages=Exists(agreements_managed_by(user).filter(pk=OuterRef("pk"))))


def agreement_relatives_visible_to(user, agreement: Agreement) -> tuple[Agreement | None, list[Agreement]]:
    """``(agreement_parent_visible_to, agreement_children_visible_to)`` in one query."""
    relatives = list(
        agreements_visible_to(user).filter(Q(parent=agreement) | Q(pk=agreement.parent_id))
        .select_related("owner").order_by("title")
    )
    parent = next((relative for relative in relatives if relative.pk == agreement.parent_id), None)
    return parent, [relative for relative in relatives if relative.parent_id == agreement.pk]


def agreement_parent_visible_to(user, agreement: Agreement) -> Agreement | None:
    """The framework or general protocol ``agreement`` sits under, if ``user`` may see it."""
    if agreement.parent_id is None:
        return None
    return agreements_visible_to(user).filter(pk=agreement.parent_id).first()


def agreement_children_visible_to(user, agreement: Agreement) -> QuerySet[Agreement]:
    """The agreements that sit under ``agreement`` and that ``user`` may see."""
    return agreements_visible_to(user).filter(parent=agreement).select_related("owner").order_by("title")


def agreement_party_rows(agreement: Agreement) -> list[Party]:
    """The parties as seed 001's Appendix 1 lists them, each with ``lead_signatory`` (a
    ``PartyContact`` or ``None``), ``spocs`` (contacts), ``latest_signature`` (or ``None``) and
    ``signature_status``/``signature_label`` (so a signature on an older version shows as
    needing re-signing), ``partnerships`` (the partnership parties it is bound through, 004 §3),
    ``administered`` (whether anyone administers its organisation), ``assurance_lapses`` (the
    tags of what of its organisation's assurance has lapsed, decision 0063) and ``owner_unsigned``
    (the owner's own place, before it signs: not "invited")."""
    on = timezone.localdate()
    contacts = PartyContact.objects.select_related("contact").order_by("contact__name")
    signatures = Signature.objects.select_related("version").order_by("-version__number", "-created_at")
    parties = list(
        parties_with_signature_status(
            agreement.parties.select_related("organisation", "acting_for_by").annotate(
                administered=Exists(administrators_of(OuterRef("organisation"))),
            ),
        ).prefetch_related(
            Prefetch("contacts", queryset=contacts, to_attr="named"),
            Prefetch("signatures", queryset=signatures, to_attr="signed_versions"),
            Prefetch("member_of", queryset=Party.objects.select_related("organisation")
                     .order_by("organisation__name"), to_attr="partnerships"),
        ).order_by("organisation__name")
    )
    for party in parties:
        party.signature_label = SignatureStatus(party.signature_status).label
        # Nobody invites the owner (the Safe and Well trial, P6: "Invited" beside it, twice).
        party.owner_unsigned = party.organisation_id == agreement.owner_id and party.status == PartyStatus.INVITED
        if party.owner_unsigned:
            party.signature_label = _("Not signed yet")
        party.lead_signatory = next((c for c in party.named if c.role == ContactRole.LEAD_SIGNATORY), None)
        party.spocs = [c.contact for c in party.named if c.role == ContactRole.SPOC]
        party.latest_signature = party.signed_versions[0] if party.signed_versions else None
        party.assurance_lapses = assurance_lapses(party.organisation, on=on)
    return parties


# Parties that still act under the agreement, and so need a SPOC.
_ACTIVE = {SignatureStatus.SIGNED, SignatureStatus.NEEDS_RESIGNING, SignatureStatus.AWAITING_DETAILS,
           SignatureStatus.AWAIT_CASE, SignatureStatus.INVITED}


def agreement_to_do(agreement: Agreement, *, matrix: SignatureMatrix, review: str, dpia, manages: bool) -> list[dict]:
    """What needs doing on ``agreement``, for its summary page: ``[{"text", "href"}]``, each
    pointing at the page where it is done. Things only its managers can do are listed for them
    alone (``manages``); an empty list when nothing is outstanding."""
    url = lambda name, anchor="": f"{reverse(name, args=[agreement.pk])}{anchor}"  # noqa: E731
    items = []
    if review == REVIEW_OVERDUE:
        items.append({"text": f"The review was due on {agreement.next_review_due:%-d %B %Y} and is overdue",
                      "href": url("agreements:reviews")})
    elif review == REVIEW_DUE_SOON:
        items.append({"text": f"The review is due by {agreement.next_review_due:%-d %B %Y}",
                      "href": url("agreements:reviews")})
    chase = len(matrix.chase)
    if chase:
        latest = matrix.chase[0].latest_label
        items.append({
            "text": f"{chase} part{'y is' if chase == 1 else 'ies are'} still to sign version {latest}",
            "href": url("agreements:signatures", "#chase" if manages else ""),
        })
    no_spoc = sum(1 for row in matrix.rows if row.signature_status in _ACTIVE and not row.spocs)
    if no_spoc:
        items.append({"text": f"{no_spoc} part{'y has' if no_spoc == 1 else 'ies have'} named no SPOC",
                      "href": url("agreements:parties")})
    if manages and dpia is not None and dpia.needed and dpia.is_missing:
        items.append({"text": "The DPIA is needed and missing", "href": url("agreements:detail", "#dpia")})
    return items


def agreement_data_items_by_provider(agreement: Agreement) -> list[tuple[str, list[DataItem]]]:
    """The data to be shared, grouped by who provides it, in the agreement's order (001 §5.5)."""
    groups: dict[str, list[DataItem]] = {}
    for item in agreement.data_items.order_by("position", "pk"):
        groups.setdefault(item.provider_label, []).append(item)
    return list(groups.items())


def organisation_roles_visible_to(user, organisation: Organisation) -> QuerySet[PartyContact]:
    """What ``organisation``'s people are (SPOC, lead signatory…) in agreements ``user`` may see."""
    return (
        PartyContact.objects.filter(
            party__organisation=organisation, party__agreement__in=agreements_visible_to(user),
        )
        .select_related("contact", "party__agreement")
        .order_by("contact__name", "party__agreement__title", "role")
    )


def agreement_history(agreement: Agreement, *, kind: str = "") -> list[HistoryEntry]:
    """Every change to ``agreement`` and to the records that make it up, newest first; only
    those of one kind (``agreements.history.HistoryKind``) when ``kind`` is given.

    Read from the audit trail (django-simple-history): the agreement's own rows and those of
    its purposes, sections, parties, party contacts, data items, versions, signatures, reminders
    to sign, reviews and review actions, deleted ones included. Each entry says who, when, what
    (created, changed or deleted, and which record) and, for a change, each field's old and new
    value (``agreements.history``).
    """
    party_rows = Party.history.filter(agreement_id=agreement.pk).values_list("id", "organisation_id")
    party_ids = {party_id for party_id, _ in party_rows}
    names = Names()
    organisations = dict(
        Organisation.objects.filter(pk__in={org for _, org in party_rows}).values_list("pk", "name"),
    )
    names.prime(Organisation, organisations)
    names.prime(Party, {party_id: organisations.get(org, "a removed party") for party_id, org in party_rows})
    names.prime(Contact, dict(
        Contact.objects.filter(party_roles__party_id__in=party_ids).values_list("pk", "name").distinct(),
    ))
    roles = dict(ContactRole.choices)
    triggers = dict(ReviewTrigger.choices)
    review_ids = set(Review.history.filter(agreement_id=agreement.pk).values_list("id", flat=True))

    def section(row) -> str:
        return f"Section {row.number}. {row.heading}" if row.number else f"Section “{row.heading}”"

    sources = [
        (HistoryKind.AGREEMENT, Agreement.history.filter(id=agreement.pk), lambda row: "Agreement"),
        (HistoryKind.PURPOSES, Purpose.history.filter(agreement_id=agreement.pk),
         lambda row: f"Purpose “{excerpt(row.text, limit=60)}”"),
        (HistoryKind.SECTIONS, Section.history.filter(agreement_id=agreement.pk), section),
        (HistoryKind.PARTIES, Party.history.filter(agreement_id=agreement.pk),
         lambda row: f"Party {names.of(Organisation, row.organisation_id)}"),
        (HistoryKind.PEOPLE, PartyContact.history.filter(party_id__in=party_ids),
         lambda row: f"{roles.get(row.role, row.role)} of {names.of(Party, row.party_id)}: "
                     f"{names.of(Contact, row.contact_id)}"),
        (HistoryKind.DATA, DataItem.history.filter(agreement_id=agreement.pk),
         lambda row: f"Data shared by {row.provider_label}"),
        (HistoryKind.VERSIONS, AgreementVersion.history.filter(agreement_id=agreement.pk),
         lambda row: f"Version {row.label}"),
        (HistoryKind.SIGNATURES, Signature.history.filter(party_id__in=party_ids),
         lambda row: f"Signature of {names.of(Party, row.party_id)} on "
                     f"{names.of(AgreementVersion, row.version_id)}"),
        (HistoryKind.SIGNATURES, SignatureReminder.history.filter(party_id__in=party_ids),
         lambda row: f"Reminder to {names.of(Party, row.party_id)} to sign "
                     f"{names.of(AgreementVersion, row.version_id)}"),
        (HistoryKind.REVIEWS, Review.history.filter(agreement_id=agreement.pk),
         lambda row: f"{triggers.get(row.trigger, row.trigger)} due {long_date(row.due_on)}"),
        (HistoryKind.REVIEWS, ReviewAction.history.filter(review_id__in=review_ids),
         lambda row: f"Review action “{excerpt(row.description, limit=60)}”"),
    ]
    dated = []
    for source, (source_kind, rows, record) in enumerate(sources):
        if kind and source_kind != kind:
            continue
        before: dict[int, object] = {}
        for row in rows.select_related("history_user").order_by("history_date", "history_id"):
            item = history_entry(row, before.get(row.id), record=record(row), names=names, kind=source_kind)
            before[row.id] = row
            if item is not None:
                dated.append(((row.history_date, source, row.history_id), item))
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [item for _, item in dated]
