"""The Article 30 record of processing of one organisation, drawn from its agreements.

UK GDPR Art 30(1) asks each controller to keep a record of its processing: its name and contact
details, any joint controllers and its data protection officer; the purposes; the categories
of people and of personal data; the categories of recipients; transfers to third countries;
the time limits for erasure; and a general description of its security measures. The portal
knows these, where the agreements record them, for the sharing an organisation takes part in:
one row per agreement in force to which it is a party. What an agreement does not record is
said to be not recorded, never guessed.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from partners.models import Contact, Organisation

from ..models import Agreement, ContactRole, DataLevel, Party, PartyStatus

# A party whose organisation takes part in the agreement's sharing today.
TAKING_PART = (PartyStatus.SIGNED, PartyStatus.WITHDRAWAL_NOTIFIED)
NOT_RECORDED = "Not recorded in the agreement"

RECORD_HEADER = [
    "Agreement", "Reference", "In force since", "Next review due", "Controller", "ICO registration number",
    "Its part", "Joint controllers and recipients (the other parties)", "Data protection officer", "Purposes",
    "Categories of people", "Categories of personal data", "Legal bases and gateways",
    "Transfers to third countries", "Retention (time limits for erasure)", "Security measures",
]


@dataclass(frozen=True)
class ProcessingRecordRow:
    agreement: Agreement
    cells: list[str]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """(heading, value) in ``RECORD_HEADER``'s order, for the PDF."""
        return list(zip(RECORD_HEADER, self.cells, strict=True))


def agreements_processed_by(organisation: Organisation, *, on: datetime.date) -> QuerySet[Agreement]:
    """Agreements in force on ``on`` under which ``organisation`` shares: it is a party taking
    part (signed, or withdrawing but not yet gone)."""
    taking_part = Party.objects.filter(organisation=organisation, status__in=TAKING_PART).values("agreement_id")
    return (
        Agreement.objects.in_force(on=on).filter(pk__in=taking_part)
        .select_related("owner").prefetch_related("purposes", "data_items", "gateways")
        .order_by("title", "pk")
    )


def _joined(values) -> str:
    return "; ".join(value for value in values if value)


def _retention(agreement: Agreement) -> str:
    parts = []
    if agreement.retention_months_after_closure:
        parts.append(f"Destroyed {agreement.retention_months_after_closure} months after the case is closed")
    if agreement.retention_rule.strip():
        parts.append(agreement.retention_rule.strip())
    return _joined(parts) or NOT_RECORDED


def _security(agreement: Agreement) -> str:
    parts = [f"Protective marking: {agreement.get_protective_marking_display()}"]
    methods = agreement.get_transfer_methods_display()
    if methods:
        parts.append("Sent only by: " + ", ".join(methods))
    return _joined(parts)


def _data(agreement: Agreement) -> str:
    levels = dict(DataLevel.choices)
    items = [f"{item.description} ({levels.get(item.level, item.level)})" for item in agreement.data_items.all()]
    return _joined(items) or NOT_RECORDED


def _parties_taking_part(agreement: Agreement) -> QuerySet[Party]:
    return agreement.parties.filter(status__in=TAKING_PART).select_related("organisation").order_by(
        "organisation__name",
    )


def _dpo(organisation: Organisation, agreement: Agreement) -> str:
    contacts = Contact.objects.filter(
        party_roles__party__agreement=agreement, party_roles__party__organisation=organisation,
        party_roles__role=ContactRole.DPO,
    ).order_by("name").distinct()
    named = [_joined([contact.name, contact.job_title, contact.email, contact.phone]) for contact in contacts]
    return " | ".join(named) or "Not named for this agreement"


def processing_record(organisation: Organisation, *, on: datetime.date | None = None) -> list[ProcessingRecordRow]:
    """``organisation``'s record of processing on ``on`` (today by default): one row per
    agreement in force it takes part in, in ``RECORD_HEADER``'s order."""
    on = on or timezone.localdate()
    rows = []
    for agreement in agreements_processed_by(organisation, on=on):
        others = [
            f"{party.organisation.name} ({party.organisation.get_sector_display()})"
            for party in _parties_taking_part(agreement) if party.organisation_id != organisation.pk
        ]
        part = "Owner and party" if agreement.owner_id == organisation.pk else "Party"
        rows.append(ProcessingRecordRow(agreement=agreement, cells=[
            agreement.title, agreement.reference, agreement.effective_date.isoformat(),
            agreement.next_review_due.isoformat() if agreement.next_review_due else "Not set",
            organisation.name, organisation.ico_registration_number or "Not recorded", part,
            _joined(others) or "None", _dpo(organisation, agreement),
            _joined(purpose.text for purpose in agreement.purposes.all()) or NOT_RECORDED,
            NOT_RECORDED, _data(agreement),
            _joined(str(gateway) for gateway in agreement.gateways.all()) or NOT_RECORDED,
            "None recorded in the agreement", _retention(agreement), _security(agreement),
        ]))
    return rows
