"""Destruction under the retention rule (001 §5.15)."""

import datetime

from django.db.models import QuerySet

from agreements.models import DataLevel
from govuk_blocks.dates import long_date

from ..models.disclosures import Decision, Disclosure, SubjectType
from ..models.quality import ConfirmationReason, RecipientDestructionConfirmation
from ..models.retention import Destruction
from .common import EntryRow, category_choices


def is_destroyed(disclosure: Disclosure) -> bool:
    """Whether the retention purge has taken ``disclosure``'s personal parts."""
    if disclosure.purged_at is not None:
        return True
    # Asked by several parts of one page: once an instance.
    if "destruction_recorded" not in disclosure.__dict__:
        disclosure.destruction_recorded = Destruction.objects.filter(disclosure=disclosure).exists()
    return disclosure.destruction_recorded


def destruction_of(disclosure: Disclosure) -> Destruction | None:
    """The record of ``disclosure``'s destruction, if its personal parts were destroyed."""
    return Destruction.objects.filter(disclosure=disclosure).first()


def destruction_rows(destruction: Destruction) -> list[EntryRow]:
    """What an entry's page shows of a destroyed entry: its de-personalised stub, no more."""
    stub = destruction.stub
    labels = dict(category_choices())
    counts = stub.get("counts", {})

    def day(value) -> str:
        return long_date(datetime.date.fromisoformat(value)) if value else "Not recorded"

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
