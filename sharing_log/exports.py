"""The sharing log as CSV or Excel: the entries a user may see, as they stand after corrections.

Every detail the entry's own page shows its reader is a column — the reasons included: for the
decision (above all a decision not to share), for the consent position, for not telling the
person, for relying on a basis the agreement does not cite, for sharing against "Can I share?",
for logging late, for a correction or a voiding — with the summary, the recipient's contact
and the retention due date (issue 16, reversing the choice of decision 0007 to leave free text
out: an audit needs the reasons, and whoever may read the entry may read them; decision 0056).
Which entries are in it is the list's business (``selectors.disclosures_made`` and
``disclosures_received`` with the list's filters): the export widens nothing.

Columns are declared once, in ``LOG_COLUMNS``; ``govuk_blocks.exports`` writes them, formula-safe,
streamed. ``export_entries`` reads the entries in four queries whatever their number: the entries
with what they join, then their legal gateways, Article 9 conditions and amendments, each
streamed in the entries' order and merged (``attach_related``).
"""

from collections.abc import Iterator

from django.db.models import F, QuerySet

from govuk_blocks.csv_files import safe_cell as safe_cell
from govuk_blocks.exports import Column, attach_related, streamed
from govuk_blocks.exports import download as download

from .models.amendments import Amendment, AmendmentKind
from .models.disclosures import CanIShareOutcome, Decision, Disclosure
from .models.onward import OnwardDisclosureRequest
from .selectors.amendments import display_value
from .selectors.common import category_choices
from .services.decision_record import LATE_LOGGING_DAYS, is_late


def _now(entry: Disclosure, field: str):
    """``field`` of ``entry`` as it stands after its corrections."""
    return entry.corrected.get(field, getattr(entry, field))


def _shown(field: str):
    """A correctable choice, by its label."""
    return lambda entry: display_value(field, _now(entry, field)) if _now(entry, field) else ""


def _listed(values) -> str:
    labels = dict(category_choices())
    return "; ".join(str(labels.get(value, value)) for value in values)


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


# The columns that hold someone's reasons: each is in every export of the log (tests and the
# browser journey check them by these headers).
REASON_FOR_DECISION = "Reason for the decision"
NECESSITY_REASON = "Why sharing was necessary and proportionate"
DEPARTURE_REASON = "Reason for relying on a basis the agreement does not cite"
CONSENT_REASON = "Reason given for the consent position"
NOT_TOLD_REASON = "Why the person was not told"
AGAINST_ADVICE_REASON = "Why it was shared against “Can I share?”"
LATE_REASON = "Why it was logged late"
CORRECTION_REASONS = "Why it was corrected"
VOID_REASON = "Why it was voided"
REASON_HEADERS = (
    REASON_FOR_DECISION, NECESSITY_REASON, DEPARTURE_REASON, CONSENT_REASON, NOT_TOLD_REASON,
    AGAINST_ADVICE_REASON, LATE_REASON, CORRECTION_REASONS, VOID_REASON,
)

LOG_COLUMNS = (
    Column("Entry", lambda e: e.pk),
    Column("When it happened", lambda e: e.occurred_at),
    Column("Logged", lambda e: e.recorded_at),
    Column("Decision", lambda e: e.get_decision_display()),
    Column(REASON_FOR_DECISION, lambda e: _now(e, "decision_reason")),
    Column("Agreement", lambda e: str(e.agreement)),
    Column("Shared by", lambda e: str(e.disclosing_organisation)),
    Column("Logged by", lambda e: _person(e.disclosed_by)),
    Column("Partner organisation", lambda e: str(e.recipient_organisation)),
    Column("Recipient's name", lambda e: _now(e, "recipient_name")),
    Column("Recipient's job title", lambda e: _now(e, "recipient_job_title")),
    Column("Recipient's work e-mail or phone", lambda e: _now(e, "recipient_contact")),
    Column("Case reference", lambda e: _now(e, "case_reference")),
    Column("Who it is about", _shown("subject_type")),
    Column("Data level", _shown("data_level")),
    Column("Data categories", lambda e: _listed(e.data_categories)),
    Column("Special category data", lambda e: _listed(e.special_categories)),
    Column("Article 9 conditions", lambda e: "; ".join(str(row.legalgateway) for row in e.art9_rows)),
    Column("Criminal offence data", lambda e: e.criminal_offence_data),
    Column("Schedule 1 condition", lambda e: str(e.criminal_offence_condition or "")),
    Column("Purpose", lambda e: str(e.purpose)),
    Column("Article 6 lawful basis", lambda e: str(e.art6_basis or e.law_enforcement_basis or "")),
    Column(DEPARTURE_REASON, lambda e: e.art6_departure_reason),
    Column("Legal gateways", lambda e: "; ".join(str(row.legalgateway) for row in e.gateway_rows)),
    Column(NECESSITY_REASON, lambda e: e.necessity_reason),
    Column("Consent", lambda e: e.get_consent_status_display()),
    Column(CONSENT_REASON, lambda e: e.consent_reason),
    Column("Confidential information shared without consent", lambda e: e.confidentiality_breached),
    Column("Authorised by", lambda e: e.authorised_by),
    Column("Was the person told?", _shown("subject_informed")),
    Column(NOT_TOLD_REASON, lambda e: e.subject_not_informed_reason),
    # The record of the decision (issue 13, item 6).
    Column("Request received", lambda e: e.request_received_on),
    Column("To be told by", lambda e: e.subject_told_by),
    Column("“Can I share?” outcome", lambda e: e.get_can_i_share_outcome_display() if e.can_i_share_outcome
           else "Not asked"),
    Column("Shared against “Can I share?”", lambda e: e.decision == Decision.SHARED
           and e.can_i_share_outcome == CanIShareOutcome.DO_NOT_SHARE),
    Column(AGAINST_ADVICE_REASON, lambda e: e.against_advice_reason),
    Column(f"Logged more than {LATE_LOGGING_DAYS} days after it happened",
           lambda e: is_late(e.occurred_at, e.recorded_at)),
    Column(LATE_REASON, lambda e: e.late_logging_reason),
    Column("Fact or opinion", _shown("fact_or_opinion")),
    Column("How it was sent", _shown("transfer_method")),
    Column("Protective marking", _shown("protective_marking")),
    Column("Summary", lambda e: _now(e, "summary")),
    Column("Summary checked for identifying details", lambda e: e.summary_checked),
    Column("Retention due", lambda e: e.retention_due_on),
    Column("Personal details destroyed", lambda e: e.purged_at),
    Column("Corrections", lambda e: len(e.corrections)),
    Column(CORRECTION_REASONS, lambda e: "; ".join(a.reason for a in e.corrections)),
    Column("Acknowledged", lambda e: e.is_acknowledged),
    Column("Voided", lambda e: e.is_voided),
    Column(VOID_REASON, lambda e: "; ".join(a.reason for a in e.amendment_rows if a.kind == AmendmentKind.VOID)),
)

# The column headers, in order (the CSV's first line).
EXPORT_HEADER = [column.header for column in LOG_COLUMNS]

# Newest first, as the list shows them; the keys of the merge in ``export_entries``.
_ORDER = ("-occurred_at", "-pk")


def _key(entry: Disclosure):
    return entry.occurred_at, entry.pk


def _related_key(row):
    return row.entry_occurred_at, row.disclosure_id


def export_entries(entries: QuerySet[Disclosure]) -> Iterator[Disclosure]:
    """``entries`` (from ``disclosures_made``/``disclosures_received``, filtered), newest first,
    streamed, each with ``gateway_rows``, ``art9_rows``, ``amendment_rows``, ``corrections``
    and ``corrected`` (field → value after the corrections, in order). Four queries."""
    entries = entries.select_related(
        "disclosed_by", "purpose", "criminal_offence_condition", "law_enforcement_basis",
    ).order_by(*_ORDER)
    chosen = entries.values("pk")

    def related(model, *order):
        return (model.objects.filter(disclosure__in=chosen)
                .annotate(entry_occurred_at=F("disclosure__occurred_at"))
                .order_by("-disclosure__occurred_at", "-disclosure_id", *order))

    gateways = related(Disclosure.gateways.through, "legalgateway__instrument", "legalgateway__provision")
    art9 = related(Disclosure.art9_conditions.through, "legalgateway__instrument", "legalgateway__provision")
    merged = attach_related(streamed(entries), streamed(gateways.select_related("legalgateway")),
                            parent_key=_key, related_key=_related_key, to_attr="gateway_rows", descending=True)
    merged = attach_related(merged, streamed(art9.select_related("legalgateway")),
                            parent_key=_key, related_key=_related_key, to_attr="art9_rows", descending=True)
    merged = attach_related(merged, streamed(related(Amendment, "made_at", "pk")),
                            parent_key=_key, related_key=_related_key, to_attr="amendment_rows", descending=True)
    for entry in merged:
        entry.corrections = [a for a in entry.amendment_rows if a.kind == AmendmentKind.CORRECTION]
        entry.corrected = {}
        for amendment in entry.corrections:
            entry.corrected.update(amendment.changes)
        yield entry


# Requests to pass information on, awaiting the user's organisation's consent -------------------

ONWARD_COLUMNS = (
    Column("Asked", lambda r: r.requested_at),
    Column("By", lambda r: str(r.disclosure.recipient_organisation)),
    Column("To pass it to", lambda r: r.third_party),
    Column("Why", lambda r: r.purpose),
    Column("Entry", lambda r: r.disclosure_id),
    Column("Agreement", lambda r: str(r.disclosure.agreement)),
)


def onward_rows(requests: QuerySet[OnwardDisclosureRequest]) -> Iterator[OnwardDisclosureRequest]:
    """``requests`` (``selectors.onward_requests_to_decide``) streamed: one query."""
    return streamed(requests)


def export_rows(entries: QuerySet[Disclosure]) -> Iterator[list]:
    """One row per entry, in ``EXPORT_HEADER``'s order (values before the CSV or XLSX writer
    makes them text or cells)."""
    for entry in export_entries(entries):
        yield [column.value(entry) for column in LOG_COLUMNS]
