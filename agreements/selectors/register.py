"""Reads for the public register (/register/, issue 13 item 9): the agreements in force, each as
a ``RegisterEntry`` that holds **no personal data** — organisation names, purposes, data
categories, legal gateways, dates and the agreement's own retention rule, and never a contact,
signatory, SPOC or anyone's name, e-mail address, phone number or job title. The register pages,
the register PDF and the privacy-notice paragraph are built from these entries only, so nothing
personal can reach them.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import Agreement, DataItem, LegalGateway, Party, Purpose


@dataclass(frozen=True)
class RegisterEntry:
    pk: int
    title: str
    reference: str
    kind: str
    owner: str
    parties: tuple[str, ...]
    purposes: tuple[str, ...]
    data_categories: tuple[str, ...]
    gateways: tuple[str, ...]
    effective_date: date | None
    next_review_due: date | None
    retention: str
    privacy_notice: tuple[str, ...] = field(default=())


def register_agreements(*, on: date | None = None) -> QuerySet[Agreement]:
    """The agreements in force on ``on`` (today), with what the register shows, by title."""
    on = on or timezone.localdate()
    return (
        Agreement.objects.in_force(on=on)
        .select_related("owner")
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.in_force(on=on).select_related("organisation")
                     .order_by("organisation__name"), to_attr="register_parties"),
            Prefetch("purposes", queryset=Purpose.objects.order_by("position", "pk")),
            Prefetch("data_items", queryset=DataItem.objects.order_by("position", "pk")),
            Prefetch("gateways", queryset=LegalGateway.objects.order_by("instrument", "provision")),
        )
        .order_by("title", "pk")
    )


def _retention(agreement: Agreement) -> str:
    if agreement.retention_months_after_closure:
        months = agreement.retention_months_after_closure
        return f"{months} month{'s' if months != 1 else ''} after the case is closed"
    if agreement.retention_months_from_disclosure:
        months = agreement.retention_months_from_disclosure
        return f"{months} month{'s' if months != 1 else ''} after the disclosure"
    return agreement.retention_rule.strip()


def _joined(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def privacy_notice(entry: RegisterEntry) -> tuple[str, ...]:
    """A privacy-notice paragraph (UK GDPR Articles 13 and 14) that a party may publish, as
    sentences: who shares, what, why, under which law, with whom, for how long, and the rights."""
    others = [name for name in entry.parties if name != entry.owner] or list(entry.parties)
    sentences = [
        f"{_joined(entry.parties) or entry.owner} share personal information under the information "
        f"sharing agreement “{entry.title}”, owned by {entry.owner}.",
    ]
    if entry.data_categories:
        sentences.append(f"The information shared is: {'; '.join(entry.data_categories)}.")
    if entry.purposes:
        sentences.append(f"It is shared for these purposes: {'; '.join(entry.purposes)}.")
    if entry.gateways:
        sentences.append(
            "The lawful basis and legal gateways for sharing it are: " + "; ".join(entry.gateways) + ".")
    sentences.append(
        f"It is shared with {_joined(others)}, the parties to the agreement, and with nobody else "
        "except where the law requires it.")
    if entry.retention:
        sentences.append(f"Shared information is kept for {entry.retention}." if entry.retention[0].isdigit()
                         else f"How long shared information is kept: {entry.retention}")
    sentences.append(
        "You have the right to ask for a copy of the information held about you, to have it "
        "corrected, erased or restricted, and to object to its use. To use these rights, or if you "
        "have a concern, contact the Data Protection Officer of the organisation that holds your "
        "information. You can also complain to the Information Commissioner's Office (ico.org.uk, "
        "0303 123 1113).")
    return tuple(sentences)


def register_entry(agreement: Agreement) -> RegisterEntry:
    """The public face of ``agreement`` (prefetched by ``register_agreements``)."""
    entry = RegisterEntry(
        pk=agreement.pk,
        title=agreement.title,
        reference=agreement.reference,
        kind=agreement.get_kind_display(),
        owner=agreement.owner.name,
        parties=tuple(party.organisation.name for party in agreement.register_parties),
        purposes=tuple(purpose.text for purpose in agreement.purposes.all()),
        data_categories=tuple(item.description for item in agreement.data_items.all()),
        gateways=tuple(f"{gateway} – {gateway.title}" for gateway in agreement.gateways.all()),
        effective_date=agreement.effective_date,
        next_review_due=agreement.next_review_due,
        retention=_retention(agreement),
    )
    return replace(entry, privacy_notice=privacy_notice(entry))


def register_entries(*, on: date | None = None) -> list[RegisterEntry]:
    return [register_entry(agreement) for agreement in register_agreements(on=on)]


def register_entry_for(pk: int, *, on: date | None = None) -> RegisterEntry | None:
    """The entry for agreement ``pk`` if it is in force, else ``None``."""
    agreement = register_agreements(on=on).filter(pk=pk).first()
    return register_entry(agreement) if agreement else None
