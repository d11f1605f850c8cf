"""Reads of signatures: where each party stands on signing the latest version, and the chase list."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, OuterRef, Prefetch, QuerySet, Subquery, TextChoices, Value, When
from django.utils import timezone

from partners.models import Contact

from ..models import (
    Agreement,
    AgreementVersion,
    ContactRole,
    Party,
    PartyContact,
    PartyStatus,
    Signature,
    SignatureReminder,
    Status,
)
from .drafting import agreements_managed_by
from .parties import parties_user_may_sign


class SignatureStatus(TextChoices):
    """Where a party stands on signing the agreement's latest version (derived, never stored).

    A signed party whose signature is on an older version "needs re-signing" (DOMAIN.md rule 5);
    every other status is the party's own.
    """

    SIGNED = PartyStatus.SIGNED.value, PartyStatus.SIGNED.label
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


def parties_with_signature_status(parties: QuerySet[Party], *, details: bool = True) -> QuerySet[Party]:
    """``parties`` annotated, in the same single query, with

    - ``latest_number``, ``latest_label``, ``latest_created_at``: the agreement's latest version;
    - ``signed_number``, ``signed_label``, ``signed_on``, ``signature_pk``, ``signature_scan``:
      the party's signature on its most recent version, if any;
    - ``signature_status``: a ``SignatureStatus`` value.

    Without ``details``, only ``latest_number``, ``signed_number`` and ``signature_status``: two
    subqueries rather than eight, for a reader that asks nothing else (logging an entry asks it of
    the two parties on every POST; building the other six was a fifth of its CPU).

    A party marked signed with no signature on record (signed before the portal kept
    versions) counts as signed until a version exists that it has not signed.
    """
    versions = AgreementVersion.objects.filter(agreement=OuterRef("agreement")).order_by("-number")
    signatures = Signature.objects.filter(party=OuterRef("pk")).order_by("-version__number")
    numbers = {
        "latest_number": Subquery(versions.values("number")[:1]),
        "signed_number": Subquery(signatures.values("version__number")[:1]),
    }
    if details:
        numbers |= {
            "latest_label": Subquery(versions.values("label")[:1]),
            "latest_created_at": Subquery(versions.values("created_at")[:1]),
            "signed_label": Subquery(signatures.values("version__label")[:1]),
            "signed_on": Subquery(signatures.values("signed_on")[:1]),
            "signature_pk": Subquery(signatures.values("pk")[:1]),
            "signature_scan": Subquery(signatures.values("scan")[:1]),
        }
    return parties.annotate(**numbers).annotate(
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
        before the agreement goes for signature; nor an organisation that has ceased to exist)."""
        if not self.is_signable:
            return []
        today = timezone.localdate()
        waiting = [
            row for row in self.rows if row.signature_status in CHASED
            and not (row.organisation.ceased_on and row.organisation.ceased_on <= today)
        ]
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


def signatories_attach(rows: list[Party]) -> list[Party]:
    """Give each of ``rows`` (annotated with ``signature_pk``) ``signed_by``: who signed, "name,
    role", or "" — one query for them all. A paper form is signed by whoever signed it, who need
    not be the lead signatory the party named (or has named yet)."""
    signatures = Signature.objects.filter(pk__in=[row.signature_pk for row in rows if row.signature_pk])
    signed = {pk: f"{name}, {role}" if role else name
              for pk, name, role in signatures.values_list("pk", "signatory_name", "signatory_role")}
    for row in rows:
        row.signed_by = signed.get(row.signature_pk, "")
    return rows


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


def agreement_signatures(agreement: Agreement) -> QuerySet[Signature]:
    """Every signature on any version of ``agreement``."""
    return Signature.objects.filter(party__agreement=agreement).select_related(
        "party__organisation", "party__agreement", "version",
    )


def reminders_attach(rows: list[Party], *, on: datetime.date | None = None) -> list[Party]:
    """Give each of ``rows`` (parties of one or more agreements) ``last_reminder``, the latest
    ``SignatureReminder`` sent to it or ``None``, and ``reminded_today``: one query."""
    on = on or timezone.localdate()
    latest: dict[int, SignatureReminder] = {}
    reminders = SignatureReminder.objects.filter(party__in=[row.pk for row in rows]).order_by("party_id", "-sent_at")
    for reminder in reminders:
        latest.setdefault(reminder.party_id, reminder)
    for row in rows:
        row.last_reminder = latest.get(row.pk)
        row.reminded_today = row.last_reminder is not None and row.last_reminder.sent_on == on
    return rows


def signatory_job_title(user) -> str:
    """The job title of ``user``'s directory entry, offered on the signing page."""
    contact = Contact.objects.filter(user=user).exclude(job_title="").first() if user.is_authenticated else None
    return contact.job_title if contact else ""
