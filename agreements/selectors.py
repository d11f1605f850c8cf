"""Reads for agreements. Views reach agreements only through these."""

import dataclasses
import datetime
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from partners.models import Contact, Organisation, Role
from partners.permissions import is_portal_admin, user_organisation_ids

from . import clocks
from .diff import VersionDiff, content_diff
from .history import HistoryEntry, Names, excerpt
from .history import entry as history_entry
from .models import (
    Agreement,
    AgreementVersion,
    Breach,
    BreachNotification,
    ContactRole,
    DataItem,
    DataLevel,
    GatewayStatus,
    InformationRequest,
    Kind,
    LegalGateway,
    Party,
    PartyContact,
    PartyStatus,
    ProtectiveMarking,
    Purpose,
    RequestKind,
    Section,
    Signature,
    Status,
    TransferMethod,
)
from .permissions import BREACH_ACTORS, BREACH_READERS, PARTNER_STATUSES, REQUEST_ACTORS


def agreements_visible_to(user) -> QuerySet[Agreement]:
    """Every agreement ``user`` may see (rules in ``agreements.permissions``)."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    if is_portal_admin(user):
        return Agreement.objects.all()
    granted = get_objects_for_user(
        user, "agreements.view_agreement", klass=Agreement,
        accept_global_perms=False, with_superuser=False,
    )
    own = user_organisation_ids(user)
    return granted.filter(~Q(status=Status.DRAFT) | Q(owner_id__in=own))


def agreements_for_home(user) -> QuerySet[Agreement]:
    """The agreements the user's organisations own or are party to, with party counts."""
    own = user_organisation_ids(user)
    party_to = Party.objects.filter(organisation_id__in=own).values("agreement_id")
    return (
        agreements_visible_to(user)
        .filter(Q(owner_id__in=own) | Q(pk__in=party_to))
        .select_related("owner")
        .annotate(party_count=Count("parties", distinct=True))
        .order_by("title")
    )


def user_parties(user, *, agreement: Agreement) -> QuerySet[Party]:
    """The user's own organisations' places in ``agreement``."""
    return agreement.parties.filter(organisation_id__in=user_organisation_ids(user))


def agreement_parties(agreement: Agreement) -> QuerySet[Party]:
    contacts = PartyContact.objects.select_related("contact")
    return agreement.parties.select_related("organisation").prefetch_related(
        Prefetch("contacts", queryset=contacts), "signatures",
    )


def parties_user_may_sign(user) -> QuerySet[Party]:
    if not user.is_authenticated:
        return Party.objects.none()
    return get_objects_for_user(
        user, "agreements.sign_party", klass=Party,
        accept_global_perms=False, with_superuser=False,
    ).filter(agreement__in=agreements_visible_to(user)).select_related("agreement", "organisation")


def agreement_content(agreement: Agreement) -> dict:
    """The substance of an agreement: what a signatory signs and a new version freezes.

    Contact details of SPOCs are deliberately absent: updating them is not a substantive
    change (001 §6.5). So is the list of parties: a partner joining an agreement in force
    signs the version already in force (001 §3.4), and its joining makes no new version.
    What each party provides is part of the substance (001 §5.5), so each data item names
    its providers.
    """
    return {
        "title": agreement.title,
        "reference": agreement.reference,
        "kind": agreement.kind,
        "parent": agreement.parent.title if agreement.parent_id else None,
        "owner": agreement.owner.name,
        "protective_marking": agreement.protective_marking,
        "purposes": [purpose.text for purpose in agreement.purposes.all()],
        "sections": [
            {"number": s.number, "heading": s.heading, "body": s.body} for s in agreement.sections.all()
        ],
        "data_items": [
            {
                "provider": item.provider_label, "level": item.level, "description": item.description,
                "providers": sorted(item.providers.values_list("organisation__name", flat=True)),
            }
            for item in agreement.data_items.all()
        ],
        "gateways": sorted(agreement.gateways.values_list("key", flat=True)),
        "transfer_methods": sorted(agreement.transfer_methods),
        "consent_position": agreement.consent_position,
        "retention_months_after_closure": agreement.retention_months_after_closure,
        "retention_rule": agreement.retention_rule,
        "review_first_after_months": agreement.review_first_after_months,
        "review_every_months": agreement.review_every_months,
    }


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON form of ``content``."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


def next_version_label(agreement: Agreement) -> str:
    """1.0 for the first version sent for signature, then 2.0, 3.0…"""
    version = latest_version(agreement)
    if version is None:
        return "1.0"
    major = version.label.split(".", 1)[0]
    return f"{int(major) + 1}.0" if major.isdigit() else f"{version.number + 1}.0"


# Parties -----------------------------------------------------------------------------------

# Roles whose holders at an organisation are told when it is invited, and stand in for a party
# that has named no SPOC yet.
ORGANISATION_CONTACT_ROLES = (Role.SPOC, Role.GOVERNANCE_MANAGER)


def organisations_invitable(agreement: Agreement) -> QuerySet[Organisation]:
    """Organisations that may be invited to ``agreement``: not yet parties, and still in being."""
    return Organisation.objects.active().exclude(parties__agreement=agreement).order_by("name")


def organisations_ceased_with_successor(agreement: Agreement) -> QuerySet[Organisation]:
    """Bodies that no longer exist (a PCT, a CCG) and are not parties, each with its successor,
    so the invitation page can point to whom to invite instead."""
    return (
        Organisation.objects.filter(ceased_on__isnull=False, successor__isnull=False)
        .exclude(parties__agreement=agreement).select_related("successor").order_by("name")
    )


def organisation_contacts(organisation: Organisation) -> QuerySet[Contact]:
    """The people who act for ``organisation`` in the portal as its SPOC or governance manager."""
    return Contact.objects.filter(
        organisation=organisation, user__memberships__organisation=organisation,
        user__memberships__role__in=ORGANISATION_CONTACT_ROLES,
    ).distinct()


def party_spocs(parties) -> list[Contact]:
    """The SPOCs of ``parties``: those each party has named for the agreement or, for a party
    that has named none yet, the people who act for its organisation (``organisation_contacts``)."""
    people: dict[int, Contact] = {}
    for party in parties:
        spocs = list(Contact.objects.filter(party_roles__party=party, party_roles__role=ContactRole.SPOC))
        for contact in spocs or organisation_contacts(party.organisation):
            people[contact.pk] = contact
    return list(people.values())


# Signatures and versions -------------------------------------------------------------------


class SignatureStatus(TextChoices):
    """Where a party stands on signing the agreement's latest version (derived, never stored).

    A signed party whose signature is on an older version "needs re-signing" (DOMAIN.md rule 5);
    every other status is the party's own.
    """

    SIGNED = "signed", "Signed"
    NEEDS_RESIGNING = "needs_resigning", "Needs re-signing"
    AWAITING_DETAILS = PartyStatus.AWAITING_DETAILS.value, PartyStatus.AWAITING_DETAILS.label
    AWAIT_CASE = PartyStatus.AWAIT_CASE.value, PartyStatus.AWAIT_CASE.label
    INVITED = PartyStatus.INVITED.value, PartyStatus.INVITED.label
    DECLINED = PartyStatus.DECLINED.value, PartyStatus.DECLINED.label
    WITHDRAWAL_NOTIFIED = PartyStatus.WITHDRAWAL_NOTIFIED.value, PartyStatus.WITHDRAWAL_NOTIFIED.label
    WITHDRAWN = PartyStatus.WITHDRAWN.value, PartyStatus.WITHDRAWN.label


# Parties a governance manager chases for a signature, once the agreement has gone for signature.
CHASED = (
    SignatureStatus.NEEDS_RESIGNING, SignatureStatus.AWAITING_DETAILS, SignatureStatus.AWAIT_CASE,
    SignatureStatus.INVITED,
)
# Agreements whose latest version may be signed.
SIGNABLE = (Status.AWAITING_SIGNATURES, Status.IN_FORCE, Status.UNDER_REVIEW)


def parties_with_signature_status(parties: QuerySet[Party]) -> QuerySet[Party]:
    """``parties`` annotated, in the same single query, with

    - ``latest_number``, ``latest_label``, ``latest_created_at``: the agreement's latest version;
    - ``signed_number``, ``signed_label``, ``signed_on``, ``signature_pk``, ``signature_scan``:
      the party's signature on its most recent version, if any;
    - ``signature_status``: a ``SignatureStatus`` value.

    A party marked signed with no signature on record (signed before the portal kept
    versions) counts as signed until a version exists that it has not signed.
    """
    versions = AgreementVersion.objects.filter(agreement=OuterRef("agreement")).order_by("-number")
    signatures = Signature.objects.filter(party=OuterRef("pk")).order_by("-version__number")
    return parties.annotate(
        latest_number=Subquery(versions.values("number")[:1]),
        latest_label=Subquery(versions.values("label")[:1]),
        latest_created_at=Subquery(versions.values("created_at")[:1]),
        signed_number=Subquery(signatures.values("version__number")[:1]),
        signed_label=Subquery(signatures.values("version__label")[:1]),
        signed_on=Subquery(signatures.values("signed_on")[:1]),
        signature_pk=Subquery(signatures.values("pk")[:1]),
        signature_scan=Subquery(signatures.values("scan")[:1]),
    ).annotate(
        signature_status=Case(
            When(status=PartyStatus.SIGNED, latest_number__isnull=True, then=Value(SignatureStatus.SIGNED.value)),
            When(status=PartyStatus.SIGNED, signed_number=F("latest_number"),
                 then=Value(SignatureStatus.SIGNED.value)),
            When(status=PartyStatus.SIGNED, then=Value(SignatureStatus.NEEDS_RESIGNING.value)),
            default=F("status"),
            output_field=CharField(),
        ),
    )


@dataclass
class SignatureMatrix:
    """One agreement's parties by signature status, with the counts and the chase list."""

    agreement: Agreement
    rows: list[Party]
    counts: dict[str, int] = field(init=False)

    def __post_init__(self):
        tally = Counter(row.signature_status for row in self.rows)
        self.counts = {status: tally.get(status, 0) for status in SignatureStatus.values}

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def signed(self) -> int:
        return self.counts[SignatureStatus.SIGNED]

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for every status, in the order of ``SignatureStatus``."""
        return [(status, SignatureStatus(status).label, self.counts[status]) for status in SignatureStatus.values]

    @property
    def is_signable(self) -> bool:
        return self.agreement.status in SIGNABLE

    @property
    def chase(self) -> list[Party]:
        """Parties still to sign the latest version, longest waiting first (nothing to chase
        before the agreement goes for signature)."""
        if not self.is_signable:
            return []
        waiting = [row for row in self.rows if row.signature_status in CHASED]
        return sorted(waiting, key=lambda row: (row.waiting_since or datetime.date.max, row.organisation.name))


def _signature_rows(parties: QuerySet[Party]) -> list[Party]:
    """Evaluate annotated ``parties`` once, with their named lead signatory and SPOCs."""
    named = PartyContact.objects.filter(
        role__in=[ContactRole.LEAD_SIGNATORY, ContactRole.SPOC],
    ).select_related("contact").order_by("role", "contact__name")
    rows = list(
        parties_with_signature_status(parties).select_related("organisation", "agreement")
        .prefetch_related(Prefetch("contacts", queryset=named, to_attr="named_contacts"))
        .order_by("organisation__name")
    )
    today = timezone.localdate()
    for row in rows:
        row.signature_label = SignatureStatus(row.signature_status).label
        row.lead_signatory = next(
            (link.contact for link in row.named_contacts if link.role == ContactRole.LEAD_SIGNATORY), None,
        )
        row.spocs = [link.contact for link in row.named_contacts if link.role == ContactRole.SPOC]
        if row.signature_status == SignatureStatus.NEEDS_RESIGNING and row.latest_created_at:
            row.waiting_since = timezone.localdate(row.latest_created_at)
        else:
            row.waiting_since = row.invited_on
        row.waiting_days = (today - row.waiting_since).days if row.waiting_since else None
    return rows


def signature_matrix(agreement: Agreement) -> SignatureMatrix:
    """Every party of ``agreement`` with its signature status: one query, plus one for contacts."""
    return SignatureMatrix(agreement=agreement, rows=_signature_rows(agreement.parties.all()))


def agreements_managed_by(user) -> QuerySet[Agreement]:
    """The agreements ``user`` may manage (``agreements.permissions.can_manage``)."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    return get_objects_for_user(
        user, "agreements.manage_agreement", klass=Agreement,
        accept_global_perms=False, with_superuser=False,
    )


def signature_overview(user) -> list[SignatureMatrix]:
    """For each agreement ``user`` manages that has not ended or been superseded, its signature
    matrix: the parties of all of them in one query, plus one for their contacts."""
    agreements = list(
        agreements_managed_by(user).exclude(status__in=[Status.ENDED, Status.SUPERSEDED])
        .select_related("owner").order_by("title")
    )
    rows = _signature_rows(Party.objects.filter(agreement__in=agreements))
    by_agreement: dict[int, list[Party]] = {agreement.pk: [] for agreement in agreements}
    for row in rows:
        by_agreement[row.agreement_id].append(row)
    return [SignatureMatrix(agreement=agreement, rows=by_agreement[agreement.pk]) for agreement in agreements]


def party_signature_state(party: Party) -> Party:
    """``party`` again, annotated as ``parties_with_signature_status`` annotates, and with
    ``signature_label``."""
    party = parties_with_signature_status(Party.objects.filter(pk=party.pk).select_related("organisation")).get()
    party.signature_label = SignatureStatus(party.signature_status).label
    return party


def parties_to_resign(user) -> QuerySet[Party]:
    """Parties ``user`` signs for whose signature is on an older version than the latest."""
    return parties_with_signature_status(parties_user_may_sign(user)).filter(
        signature_status=SignatureStatus.NEEDS_RESIGNING,
    ).order_by("agreement__title", "organisation__name")


def governance_manager_contacts(organisation: Organisation) -> QuerySet[Contact]:
    """The directory entries of ``organisation``'s governance managers who use the portal."""
    return Contact.objects.filter(
        user__memberships__organisation=organisation,
        user__memberships__role=Role.GOVERNANCE_MANAGER,
    ).distinct()


def party_lead_signatory_contacts(party: Party) -> QuerySet[Contact]:
    """Who signs for ``party``: the lead signatory it named, and its organisation's members
    in the lead signatory role."""
    return Contact.objects.filter(
        Q(party_roles__party=party, party_roles__role=ContactRole.LEAD_SIGNATORY)
        | Q(user__memberships__organisation=party.organisation_id,
            user__memberships__role=Role.LEAD_SIGNATORY)
    ).distinct()


def agreement_versions(agreement: Agreement) -> QuerySet[AgreementVersion]:
    """``agreement``'s versions, newest first, each with ``signature_count``: the parties that
    signed that exact version."""
    return (
        agreement.versions.select_related("created_by", "signed_copy")
        .annotate(signature_count=Count("signatures", distinct=True))
        .order_by("-number")
    )


def previous_version(version: AgreementVersion) -> AgreementVersion | None:
    return version.agreement.versions.filter(number__lt=version.number).order_by("-number").first()


def version_changes(version: AgreementVersion, *, since: AgreementVersion) -> VersionDiff:
    """What changed from ``since`` to ``version`` (``agreements.diff``), legal gateways named."""
    keys = set(since.content.get("gateways") or []) | set(version.content.get("gateways") or [])
    return content_diff(since.content, version.content, gateway_labels=gateway_labels(keys))


def gateway_labels(keys) -> dict[str, str]:
    """How to name each legal gateway of ``keys`` (catalogue keys, as versions keep them)."""
    return {gateway.key: f"{gateway} – {gateway.title}" for gateway in LegalGateway.objects.filter(key__in=keys)}


def version_for_reading(version: AgreementVersion) -> dict:
    """``version.content`` with its codes turned into words, as the signatory reads it."""
    content = version.content
    kinds, markings = dict(Kind.choices), dict(ProtectiveMarking.choices)
    levels, methods = dict(DataLevel.choices), dict(TransferMethod.choices)
    labels = gateway_labels(content.get("gateways") or [])
    return {
        **content,
        "kind": kinds.get(content.get("kind"), content.get("kind")),
        "protective_marking": markings.get(content.get("protective_marking"), content.get("protective_marking")),
        "gateways": sorted(labels.get(key, key) for key in content.get("gateways") or []),
        "data_items": [
            {**item, "level": levels.get(item.get("level"), item.get("level"))}
            for item in content.get("data_items") or []
        ],
        "transfer_methods": [methods.get(method, method) for method in content.get("transfer_methods") or []],
    }


def agreement_signatures(agreement: Agreement) -> QuerySet[Signature]:
    """Every signature on any version of ``agreement``."""
    return Signature.objects.filter(party__agreement=agreement).select_related(
        "party__organisation", "party__agreement", "version",
    )


# Browsing: the list's filters, the agreement page and its history -------------------------

REVIEW_OVERDUE = "overdue"
REVIEW_DUE_SOON = "due_soon"
REVIEW_DUE_SOON_DAYS = 90
# Statuses in which a review date no longer matters: nothing is reviewed after the end.
FINISHED_STATUSES = (Status.SUPERSEDED, Status.ENDED)
NOT_CURRENT_LAW = (GatewayStatus.REPEALED, GatewayStatus.SUPERSEDED)


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
    return agreements.select_related("owner").annotate(cites_repealed=Exists(citing)).order_by("title")


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


def agreement_parent_visible_to(user, agreement: Agreement) -> Agreement | None:
    """The framework or general protocol ``agreement`` sits under, if ``user`` may see it."""
    if agreement.parent_id is None:
        return None
    return agreements_visible_to(user).filter(pk=agreement.parent_id).first()


def agreement_children_visible_to(user, agreement: Agreement) -> QuerySet[Agreement]:
    """The agreements that sit under ``agreement`` and that ``user`` may see."""
    return agreements_visible_to(user).filter(parent=agreement).select_related("owner").order_by("title")


def agreement_gateways(agreement: Agreement) -> QuerySet[LegalGateway]:
    return agreement.gateways.select_related("replaced_by").order_by("instrument", "provision")


def agreement_party_rows(agreement: Agreement) -> list[Party]:
    """The parties as seed 001's Appendix 1 lists them, each with ``lead_signatory`` (a
    ``PartyContact`` or ``None``), ``spocs`` (contacts), ``latest_signature`` (or ``None``) and
    ``signature_status``/``signature_label`` (so a signature on an older version shows as
    needing re-signing)."""
    contacts = PartyContact.objects.select_related("contact").order_by("contact__name")
    signatures = Signature.objects.select_related("version").order_by("-version__number", "-created_at")
    parties = list(
        parties_with_signature_status(agreement.parties.select_related("organisation")).prefetch_related(
            Prefetch("contacts", queryset=contacts, to_attr="named"),
            Prefetch("signatures", queryset=signatures, to_attr="signed_versions"),
        ).order_by("organisation__name")
    )
    for party in parties:
        party.signature_label = SignatureStatus(party.signature_status).label
        party.lead_signatory = next((c for c in party.named if c.role == ContactRole.LEAD_SIGNATORY), None)
        party.spocs = [c.contact for c in party.named if c.role == ContactRole.SPOC]
        party.latest_signature = party.signed_versions[0] if party.signed_versions else None
    return parties


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


def agreement_history(agreement: Agreement) -> list[HistoryEntry]:
    """Every change to ``agreement`` and to the records that make it up, newest first.

    Read from the audit trail (django-simple-history): the agreement's own rows and those of
    its purposes, sections, parties, party contacts, data items, versions and signatures,
    deleted ones included. Each entry says who, when, what (created, changed or deleted, and
    which record) and, for a change, each field's old and new value (``agreements.history``).
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

    def section(row) -> str:
        return f"Section {row.number}. {row.heading}" if row.number else f"Section “{row.heading}”"

    sources = [
        (Agreement.history.filter(id=agreement.pk), lambda row: "Agreement"),
        (Purpose.history.filter(agreement_id=agreement.pk),
         lambda row: f"Purpose “{excerpt(row.text, limit=60)}”"),
        (Section.history.filter(agreement_id=agreement.pk), section),
        (Party.history.filter(agreement_id=agreement.pk),
         lambda row: f"Party {names.of(Organisation, row.organisation_id)}"),
        (PartyContact.history.filter(party_id__in=party_ids),
         lambda row: f"{roles.get(row.role, row.role)} of {names.of(Party, row.party_id)}: "
                     f"{names.of(Contact, row.contact_id)}"),
        (DataItem.history.filter(agreement_id=agreement.pk),
         lambda row: f"Data shared by {row.provider_label}"),
        (AgreementVersion.history.filter(agreement_id=agreement.pk), lambda row: f"Version {row.label}"),
        (Signature.history.filter(party_id__in=party_ids),
         lambda row: f"Signature of {names.of(Party, row.party_id)} on "
                     f"{names.of(AgreementVersion, row.version_id)}"),
    ]
    dated = []
    for source, (rows, record) in enumerate(sources):
        before: dict[int, object] = {}
        for row in rows.select_related("history_user").order_by("history_date", "history_id"):
            item = history_entry(row, before.get(row.id), record=record(row), names=names)
            before[row.id] = row
            if item is not None:
                dated.append(((row.history_date, source, row.history_id), item))
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [item for _, item in dated]


# Breaches and near misses (002 §6) and information requests (001 §6.2) ---------------------
#
# Their deadlines are computed from the dates recorded, each time they are read, by
# ``agreements.clocks``: a bank holiday proclaimed after a breach was recorded still counts.

BREACH_OPEN = "open"
BREACH_CLOSED = "closed"
BREACH_OVERDUE = "overdue"
BREACH_FILTERS = ((BREACH_OPEN, "Open"), (BREACH_OVERDUE, "Overdue"), (BREACH_CLOSED, "Closed"))


def breaches_visible_to(user) -> QuerySet[Breach]:
    """Every breach ``user`` may see (rules in ``agreements.permissions``)."""
    own = user_organisation_ids(user, roles=BREACH_READERS)
    if not own:
        return Breach.objects.none()
    partnered = Party.objects.filter(organisation_id__in=own, status__in=PARTNER_STATUSES).values("agreement_id")
    return Breach.objects.filter(
        Q(agreement__owner_id__in=own) | Q(agreement_id__in=partnered) | Q(reporting_organisation_id__in=own)
    ).select_related("agreement__owner", "reporting_organisation")


def breach_notifications(breach: Breach) -> QuerySet[BreachNotification]:
    """The parties told of ``breach``, by name, each with who acknowledged it."""
    return breach.notifications.select_related("party__organisation", "acknowledged_by")


def _partners_told_on(breach: Breach) -> datetime.date:
    """When the last party was told; every party is told as the breach is recorded."""
    told = [notification.notified_at for notification in breach.notifications.all()]
    return timezone.localdate(max(told) if told else breach.created_at)


def breach_deadlines(breach: Breach, *, now: datetime.datetime | None = None) -> list[clocks.Deadline]:
    """The deadlines of ``breach`` at ``now`` (by default, now), in order, as
    ``agreements.clocks.Deadline`` (key, label, due, done, overdue; ``late`` when done after due).

    Working days from the day of discovery, in the agreement's jurisdiction, with the agreement's
    own numbers of days (by default 002 §6's): other partners told ("partners_told", 5), the
    report of the partner in breach ("report", 10), the partners' meeting ("meeting", 20) and
    its minutes ("minutes", 5 working days after the meeting, unknown until it is held). A near
    miss has only the first. A personal data breach adds the ICO's 72 hours ("ico", an aware
    datetime), done when it was reported or the decision not to report it was recorded.
    Nothing of a closed breach is overdue.
    """
    now = now or timezone.now()
    on = timezone.localdate(now)
    agreement = breach.agreement
    discovered_on = timezone.localdate(breach.discovered_at)

    def working_days(days: int, start: datetime.date = discovered_on) -> datetime.date:
        return clocks.add_working_days(start, days, jurisdiction=agreement.jurisdiction)

    def step(**fields) -> clocks.Deadline:
        return clocks.deadline(on=on, now=now, **fields)

    told = agreement.breach_notify_working_days
    steps = [step(
        key="partners_told", label=f"Other partners told (within {told} working days)",
        due=working_days(told), done=_partners_told_on(breach),
    )]
    if not breach.is_near_miss:
        report, meeting = agreement.breach_report_working_days, agreement.breach_meeting_working_days
        minutes = agreement.breach_minutes_working_days
        steps += [
            step(key="report", label=f"Report from the partner in breach (within {report} working days)",
                 due=working_days(report), done=breach.report_received_on),
            step(key="meeting", label=f"Partners' meeting (within {meeting} working days)",
                 due=working_days(meeting), done=breach.meeting_held_on),
            step(key="minutes", label=f"Minutes circulated (within {minutes} working days of the meeting)",
                 due=working_days(minutes, breach.meeting_held_on) if breach.meeting_held_on else None,
                 done=breach.minutes_circulated_on),
        ]
    if breach.personal_data_breach:
        steps.append(step(
            key="ico", label=f"Reported to the ICO, or the decision not to report it recorded (within "
                             f"{clocks.ICO_HOURS} hours)",
            due=clocks.ico_due(breach.discovered_at), done=breach.ico_reported_at or breach.ico_decided_at,
        ))
    if breach.closed_on is not None:
        steps = [dataclasses.replace(item, overdue=False) for item in steps]
    return steps


def _due_moment(item: clocks.Deadline) -> datetime.datetime:
    """When ``item`` falls due, as a time: a date-clock step at the end of its day."""
    if item.in_hours:
        return item.due
    return timezone.make_aware(datetime.datetime.combine(item.due, datetime.time.max))


def breaches_listed(
    breaches: QuerySet[Breach], *, status: str = "", now: datetime.datetime | None = None,
) -> list[Breach]:
    """``breaches`` (from ``breaches_visible_to``), newest discovery first, narrowed by ``status``
    (``BREACH_OPEN``, ``BREACH_CLOSED`` or ``BREACH_OVERDUE``: open with a step overdue). Each
    carries ``deadlines``, ``overdue`` and ``next_deadline`` (the earliest step not yet done).
    """
    now = now or timezone.now()
    if status in (BREACH_OPEN, BREACH_OVERDUE):
        breaches = breaches.filter(closed_on__isnull=True)
    elif status == BREACH_CLOSED:
        breaches = breaches.filter(closed_on__isnull=False)
    rows = []
    for breach in breaches.prefetch_related("notifications").order_by("-discovered_at", "-pk"):
        breach.deadlines = breach_deadlines(breach, now=now)
        breach.overdue = any(item.overdue for item in breach.deadlines)
        pending = [item for item in breach.deadlines if item.done is None and item.due is not None]
        breach.next_deadline = min(pending, key=_due_moment) if pending else None
        if status != BREACH_OVERDUE or breach.overdue:
            rows.append(breach)
    return rows


def breach_deadlines_pending(
    breaches: QuerySet[Breach] | None = None, *, now: datetime.datetime | None = None,
) -> list[tuple[Breach, clocks.Deadline]]:
    """Every step not yet done of the open ``breaches`` (by default all of them; pass
    ``breaches_visible_to(user)`` for one person's), earliest due first, as (breach, deadline).

    For the daily scheduler (reminders before and after each ``due``, keyed by ``breach.pk``
    and ``deadline.key``) and the "what's due" page. Steps whose due date cannot be known yet
    (the minutes before the meeting) are left out.
    """
    now = now or timezone.now()
    breaches = Breach.objects.all() if breaches is None else breaches
    pending = [
        (breach, item)
        for breach in breaches.filter(closed_on__isnull=True).select_related("agreement", "reporting_organisation")
        .prefetch_related("notifications")
        for item in breach_deadlines(breach, now=now)
        if item.done is None and item.due is not None
    ]
    return sorted(pending, key=lambda pair: (_due_moment(pair[1]), pair[0].pk))


def breach_notifications_to_acknowledge(user) -> QuerySet[BreachNotification]:
    """Notices of breaches not yet acknowledged by a party ``user`` is a SPOC for: by the SPOC
    role in its organisation, or named as the party's SPOC (``can_acknowledge_breach``)."""
    if not user.is_authenticated:
        return BreachNotification.objects.none()
    spoc_of = user_organisation_ids(user, roles=[Role.SPOC])
    return (
        BreachNotification.objects.filter(acknowledged_at__isnull=True)
        .filter(
            Q(party__organisation_id__in=spoc_of)
            | Q(party__contacts__role=ContactRole.SPOC, party__contacts__contact__user=user)
        )
        .select_related("breach__agreement", "breach__reporting_organisation", "party__organisation")
        .distinct()
        .order_by("notified_at", "pk")
    )


def _agreements_acted_for(user, roles) -> QuerySet[Agreement]:
    """Agreements that have come into force whose owner, or a partner, is one of ``user``'s
    organisations in ``roles`` — or that ``user`` manages."""
    own = user_organisation_ids(user, roles=roles)
    partnered = Party.objects.filter(organisation_id__in=own, status__in=PARTNER_STATUSES).values("agreement_id")
    return (
        agreements_visible_to(user).filter(effective_date__isnull=False)
        .filter(Q(owner_id__in=own) | Q(pk__in=partnered) | Q(pk__in=agreements_managed_by(user).values("pk")))
        .select_related("owner").order_by("title")
    )


def agreements_for_breach_reports(user) -> QuerySet[Agreement]:
    """The agreements ``user`` may record a breach under (``can_record_breach_for``)."""
    return _agreements_acted_for(user, BREACH_ACTORS)


def organisations_reporting_for(user) -> QuerySet[Organisation]:
    """Organisations ``user`` may report a breach for: their own, as SPOC or governance manager,
    and every partner of the agreements they manage."""
    own = user_organisation_ids(user, roles=BREACH_ACTORS)
    managed = Party.objects.filter(agreement__in=agreements_managed_by(user)).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=managed)).order_by("name")


def partner_party(agreement: Agreement, organisation: Organisation) -> Party | None:
    """``organisation``'s place in ``agreement``, if it is or was a partner."""
    return agreement.parties.filter(organisation=organisation, status__in=PARTNER_STATUSES).first()


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
    return _agreements_acted_for(user, REQUEST_ACTORS)


def organisations_concerned(agreements: QuerySet[Agreement]) -> QuerySet[Organisation]:
    """The partners of ``agreements``: whom a request may concern."""
    partners = Party.objects.filter(agreement__in=agreements, status__in=PARTNER_STATUSES).values("organisation_id")
    return Organisation.objects.filter(pk__in=partners).order_by("name")


def request_due(*, kind: str, received_on: datetime.date, jurisdiction: str) -> datetime.date:
    """When a request of ``kind`` received on ``received_on`` must be answered: a subject access
    request in one calendar month (UK GDPR Art 12(3)), a freedom of information request in 20
    working days (FOIA s10; FOISA in Scotland). See ``agreements.clocks``."""
    if kind == RequestKind.SUBJECT_ACCESS:
        return clocks.subject_access_due(received_on, jurisdiction=jurisdiction)
    return clocks.foi_due(received_on, jurisdiction=jurisdiction)


def request_deadline(request: InformationRequest, *, on: datetime.date | None = None) -> clocks.Deadline:
    """The response to ``request`` as a ``clocks.Deadline`` (key "response")."""
    on = on or timezone.localdate()
    label = ("Response (within one calendar month)" if request.kind == RequestKind.SUBJECT_ACCESS
             else f"Response (within {clocks.FOI_WORKING_DAYS} working days)")
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
