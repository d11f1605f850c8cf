"""The agreements' lists as CSV or Excel: the agreements, an agreement's signatures, breaches and
near misses, and rights and freedom of information requests.

Each export's columns are declared once here and written by ``govuk_blocks.exports`` (formula
safe, the CSV streamed). Each holds what its pages show whoever may reach them: the rows are those
of the page's own selector with the page's own filters, so an export widens nothing. The
signatures carry no SPOC's or signatory's contact details; a request no requester.
"""

import itertools
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from govuk_blocks.exports import Column, streamed

from .models import Agreement, Breach, InformationRequest
from .selectors.browse import REVIEW_DUE_SOON, REVIEW_OVERDUE, review_state

# Agreements ------------------------------------------------------------------------------------

_REVIEW = {REVIEW_OVERDUE: "Overdue", REVIEW_DUE_SOON: "Due soon", "": ""}

AGREEMENT_COLUMNS = (
    Column("Agreement", lambda a: a.title),
    Column("Reference", lambda a: a.reference),
    Column("Kind", lambda a: a.get_kind_display()),
    Column("Owner", lambda a: str(a.owner)),
    Column("Status", lambda a: a.get_status_display()),
    Column("Version", lambda a: a.version),
    Column("Protective marking", lambda a: a.get_protective_marking_display()),
    Column("Effective from", lambda a: a.effective_date),
    Column("Ended on", lambda a: a.ended_on),
    Column("Last reviewed", lambda a: a.last_review_on),
    Column("Next review due", lambda a: a.next_review_due),
    Column("Review", lambda a: _REVIEW[a.review]),
    Column("Cites repealed or superseded law", lambda a: a.cites_repealed),
)


def agreement_rows(agreements: QuerySet[Agreement]) -> Iterator[Agreement]:
    """``agreements`` (from ``selectors.browse.agreements_listed``), streamed, each with
    ``review`` (``review_state`` today). One query."""
    today = timezone.localdate()
    for agreement in streamed(agreements):
        agreement.review = review_state(agreement, on=today)
        yield agreement


# Signatures ------------------------------------------------------------------------------------

SIGNATURE_COLUMNS = (
    Column("Organisation", lambda row: row.organisation.name),
    Column("Signature", lambda row: row.signature_label),
    Column("Version signed", lambda row: row.signed_label or ""),
    Column("Signed on", lambda row: row.signed_on),
    Column("Lead signatory", lambda row: row.lead_signatory.name if row.lead_signatory else ""),
)


def signature_dpo_columns(version) -> tuple[Column, ...]:
    """The DPO stage of each party for ``version``, the latest (rows given ``dpo_stage_label`` and
    ``dpo_review`` by ``selectors.dpo_reviews.dpo_stages_attach``): for an agreement that asks
    for DPO review before signing (decision 0062)."""
    return (
        Column(f"DPO review of version {version.label}" if version else "DPO review",
               lambda row: str(row.dpo_stage_label)),
        Column("DPO reviewed by", lambda row: row.dpo_review.reviewer_name if row.dpo_review else ""),
        Column("DPO reviewed on",
               lambda row: timezone.localdate(row.dpo_review.reviewed_at) if row.dpo_review else None),
    )


# Breaches and near misses ------------------------------------------------------------------------

def _status(breach: Breach) -> str:
    if breach.closed_on:
        return "Closed"
    return "Overdue" if breach.overdue else "Open"


def _next(breach: Breach):
    return None if breach.closed_on else breach.next_deadline


def _ico(breach: Breach) -> str:
    if not breach.personal_data_breach:
        return ""
    if breach.ico_reported_at:
        return "Reported"
    return "Not reported" if breach.ico_not_reported_reason else "No decision recorded"


BREACH_COLUMNS = (
    Column("Kind", lambda b: b.get_kind_display()),
    Column("Discovered", lambda b: b.discovered_at),
    Column("Agreement", lambda b: str(b.agreement)),
    Column("Reported by", lambda b: str(b.reporting_organisation)),
    Column("Personal data breach", lambda b: b.personal_data_breach),
    Column("What happened", lambda b: b.description),
    Column("Data involved", lambda b: b.data_involved),
    Column("Status", _status),
    Column("Next deadline", lambda b: _next(b).label if _next(b) else ""),
    Column("Next deadline due", lambda b: _next(b).due if _next(b) else None),
    Column("Reported to the ICO", _ico),
    Column("Reported to the ICO at", lambda b: b.ico_reported_at),
    Column("Why it was not reported to the ICO", lambda b: b.ico_not_reported_reason),
    Column("People affected told", lambda b: b.get_affected_decision_display() if b.affected_decision else ""),
    Column("People affected told on", lambda b: b.affected_told_on),
    Column("Note on telling the people affected", lambda b: b.affected_note),
    Column("Report received", lambda b: b.report_received_on),
    Column("Report", lambda b: b.report_summary),
    Column("Partners' meeting held", lambda b: b.meeting_held_on),
    Column("Minutes circulated", lambda b: b.minutes_circulated_on),
    Column("Actions", lambda b: b.actions),
    Column("Sanctions", lambda b: b.sanctions),
    Column("Closed on", lambda b: b.closed_on),
)


# Rights and freedom of information requests --------------------------------------------------------

def _request_status(item: InformationRequest) -> str:
    if item.responded_on:
        return "Answered late" if item.responded_on > item.due_on else "Answered"
    return "Overdue" if item.due_on < timezone.localdate() else "To do"


REQUEST_COLUMNS = (
    Column("Request", lambda r: r.get_kind_display()),
    Column("Received", lambda r: r.received_on),
    Column("Agreement", lambda r: str(r.agreement)),
    Column("About", lambda r: str(r.party.organisation) if r.party else "The partnership as a whole"),
    Column("Answered by", lambda r: str(r.routed_to)),
    Column("What is asked for", lambda r: r.description),
    Column("Due by", lambda r: r.due_on),
    Column("Status", _request_status),
    Column("First due by", lambda r: r.first_due_on),
    Column("Why it was extended", lambda r: r.extension_reason),
    Column("Requester told of the extension on", lambda r: r.extension_told_on),
    Column("Answered on", lambda r: r.responded_on),
    Column("How it was answered", lambda r: r.response_note),
)


def request_rows(visible: QuerySet[InformationRequest]) -> Iterable[InformationRequest]:
    """``visible`` (``selectors.requests.information_requests_visible_to``) as the page lists
    them: those waiting for an answer, soonest due first, then those answered, newest first.
    Two streamed queries."""
    visible = visible.select_related("agreement", "party__organisation", "routed_to")
    return itertools.chain(
        streamed(visible.filter(responded_on__isnull=True).order_by("due_on", "pk")),
        streamed(visible.filter(responded_on__isnull=False).order_by("-responded_on", "-pk")),
    )
