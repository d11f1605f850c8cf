"""The record of a decision to share (the ICO's data sharing code; issue 13, item 6).

What the code asks a record of a decision to share to hold, beyond the rules of
``sharing_log.services.disclosures``: the date the request was received, why sharing was
necessary and proportionate, what was shared (a summary or its data categories), the "Can I
share?" outcome and the reason for sharing against it, the reason an entry is logged long after
the event, and, for a person "not yet told", the date by which they will be told (the portal
reminds: ``sharing_log.selectors.decision_record`` and "What's due").

Plain rules with no database, like ``lawful_basis_problems``: the log form asks them too, so
that every problem shows in one round; ``disclosure_log`` asks them again whoever calls it.
"""

import datetime

from django.utils import timezone

from ..models.disclosures import CanIShareOutcome, Decision, SubjectInformed

# An entry logged more than this many days after the event must say why (the code: "record
# your decision ... at the time"). The one place the threshold is set.
LATE_LOGGING_DAYS = 7

REQUEST_AFTER_EVENT = "The date the request was received must be the same as or before the date it happened."
REQUEST_DATE_MISSING = "Enter the date the request was received."
NECESSITY_MISSING = "Explain why sharing was necessary and proportionate."
WHAT_WAS_SHARED_MISSING = "Select what it included or give a summary of what was shared."
AGAINST_ADVICE_REASON_MISSING = (
    "“Can I share?” said not to share: give the reason you shared all the same, or log a decision not to share."
)
LATE_REASON_MISSING = (
    f"You are logging this more than {LATE_LOGGING_DAYS} days after it happened: "
    "give the reason it was not logged sooner."
)
TOLD_BY_MISSING = "Enter the date by which the person will be told."
TOLD_BY_PAST = "The date by which the person will be told must be today or in the future."


def is_late(occurred_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Whether an entry logged at ``now`` is logged long after ``occurred_at``."""
    return occurred_at is not None and now - occurred_at > datetime.timedelta(days=LATE_LOGGING_DAYS)


def decision_record_problems(
    problems, *, decision: str, occurred_at: datetime.datetime | None, now: datetime.datetime,
    request_received_on: datetime.date | None, necessity_reason: str, summary: str, data_categories,
    can_i_share_outcome: str, against_advice_reason: str, late_logging_reason: str, subject_informed: str,
    subject_told_by: datetime.date | None,
) -> None:
    """Add to ``problems`` (field → messages) what the record of this decision lacks."""
    shared = decision == Decision.SHARED
    if request_received_on is None and decision == Decision.REQUEST_REFUSED:
        problems.add("request_received_on", REQUEST_DATE_MISSING)
    elif request_received_on is not None and occurred_at is not None \
            and request_received_on > timezone.localdate(occurred_at):
        problems.add("request_received_on", REQUEST_AFTER_EVENT)
    if shared and not (necessity_reason or "").strip():
        problems.add("necessity_reason", NECESSITY_MISSING)
    if shared and not (summary or "").strip() and not data_categories:
        problems.add("data_categories", WHAT_WAS_SHARED_MISSING)
    if shared and can_i_share_outcome == CanIShareOutcome.DO_NOT_SHARE and not (against_advice_reason or "").strip():
        problems.add("against_advice_reason", AGAINST_ADVICE_REASON_MISSING)
    if is_late(occurred_at, now) and not (late_logging_reason or "").strip():
        problems.add("late_logging_reason", LATE_REASON_MISSING)
    if subject_informed == SubjectInformed.NOT_YET:
        if subject_told_by is None:
            problems.add("subject_told_by", TOLD_BY_MISSING)
        elif subject_told_by < timezone.localdate(now):
            problems.add("subject_told_by", TOLD_BY_PAST)
