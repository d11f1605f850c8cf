"""The sharing log as CSV: the entries a user may see, as they stand after corrections.

The file is personal data that leaves the portal, so it carries the structured facts an
oversight or statistics return needs — who shared what category of data with whom, when,
under which basis, for which case — and leaves out the free text: the summary and the reasons,
where identifying detail creeps in despite the warnings, and the recipient's contact details.
Those stay on the entry's page.

Cells are made safe for spreadsheets (CSV injection) and the file readable by Excel by
``govuk_blocks.csv_files`` (``csv_download``).
"""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from govuk_blocks.csv_files import safe_cell as safe_cell

from .models.amendments import Amendment, AmendmentKind
from .models.disclosures import CanIShareOutcome, Decision, Disclosure
from .selectors.amendments import display_value
from .selectors.common import category_choices
from .services.decision_record import LATE_LOGGING_DAYS, is_late

# The record of the decision (issue 13, item 6): its dates and outcomes; its reasons are free
# text, left out like the others.
DECISION_RECORD_HEADER = [
    "Request received", "To be told by", "“Can I share?” outcome", "Shared against “Can I share?”",
    f"Logged more than {LATE_LOGGING_DAYS} days after it happened",
]

EXPORT_HEADER = [
    "Entry", "When it happened", "Logged", "Decision", "Agreement", "Shared by", "Logged by",
    "Partner organisation", "Recipient's name", "Recipient's job title", "Case reference",
    "Who it is about", "Data level", "Data categories", "Special category data", "Article 9 conditions",
    "Criminal offence data", "Schedule 1 condition", "Purpose", "Article 6 lawful basis", "Legal gateways",
    "Consent", "Confidential information shared without consent", "Authorised by", "Was the person told?",
    *DECISION_RECORD_HEADER,
    "Fact or opinion", "How it was sent", "Protective marking", "Corrections", "Acknowledged", "Voided",
]


def _time(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def export_rows(entries: QuerySet[Disclosure]) -> Iterator[list]:
    """One row per entry, in ``EXPORT_HEADER``'s order, read in chunks."""
    labels = dict(category_choices())
    entries = entries.select_related(
        "disclosed_by", "purpose", "criminal_offence_condition", "law_enforcement_basis",
    ).prefetch_related(
        "gateways", "art9_conditions",
        Prefetch("amendments", queryset=Amendment.objects.order_by("made_at", "pk"), to_attr="ordered_amendments"),
    )
    for entry in entries.iterator(chunk_size=500):
        yield list(_row(entry, labels))


def _row(entry: Disclosure, labels: dict) -> Iterable:
    corrections = [a for a in entry.ordered_amendments if a.kind == AmendmentKind.CORRECTION]
    current = {}
    for amendment in corrections:
        current.update(amendment.changes)

    def now(field):
        return current.get(field, getattr(entry, field))

    def listed(values):
        return "; ".join(str(labels.get(value, value)) for value in values)

    by = entry.disclosed_by
    return [
        entry.pk, _time(entry.occurred_at), _time(entry.recorded_at), entry.get_decision_display(),
        entry.agreement, entry.disclosing_organisation, by.get_full_name() or by.get_username(),
        entry.recipient_organisation, now("recipient_name"), now("recipient_job_title"), now("case_reference"),
        display_value("subject_type", now("subject_type")), display_value("data_level", now("data_level")),
        listed(entry.data_categories), listed(entry.special_categories),
        "; ".join(str(condition) for condition in entry.art9_conditions.all()),
        "Yes" if entry.criminal_offence_data else "No", entry.criminal_offence_condition or "",
        entry.purpose, entry.art6_basis or entry.law_enforcement_basis or "",
        "; ".join(str(gateway) for gateway in entry.gateways.all()),
        entry.get_consent_status_display(), "Yes" if entry.confidentiality_breached else "No",
        entry.authorised_by, entry.get_subject_informed_display(), *_decision_record(entry),
        display_value("fact_or_opinion", now("fact_or_opinion")),
        display_value("transfer_method", now("transfer_method")) if now("transfer_method") else "",
        display_value("protective_marking", now("protective_marking")),
        len(corrections), "Yes" if entry.is_acknowledged else "No", "Yes" if entry.is_voided else "No",
    ]


def _decision_record(entry: Disclosure) -> list[str]:
    """``DECISION_RECORD_HEADER``'s cells for ``entry``."""
    return [
        f"{entry.request_received_on:%Y-%m-%d}" if entry.request_received_on else "",
        f"{entry.subject_told_by:%Y-%m-%d}" if entry.subject_told_by else "",
        entry.get_can_i_share_outcome_display() if entry.can_i_share_outcome else "Not asked",
        "Yes" if entry.decision == Decision.SHARED and entry.can_i_share_outcome == CanIShareOutcome.DO_NOT_SHARE
        else "No",
        "Yes" if is_late(entry.occurred_at, entry.recorded_at) else "No",
    ]
