"""Stale agreements (issue 13, item 8): a review left overdue, and parties that have not signed a
substantively changed version.

An agreement's scheduled review that is overdue (``agreements.selectors.reviews.
scheduled_review_due_on`` before the day asked about) leaves the agreement in force, but
logging under it is warned of and, once the agreement's ``review_overdue_grace_days`` have
passed since the review fell due, refused until the review is completed (completing it moves
``next_review_due`` on). A party whose signature is on an older version than the latest
("needs re-signing", ``agreements.selectors.signing``) and than the latest *substantive* version
(``AgreementVersion.substantive``: only a substantive change needs new signatures, DOMAIN.md
rule 5) keeps receiving for the agreement's ``resigning_grace_days`` from the day that
substantive version was made, and receives nothing new after them until it signs. A minor
version it has not signed never stops it receiving, nor moves its grace period on. Both are
read here; ``sharing_log`` says what they mean for an entry.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from ..models import Agreement, AgreementVersion, Party
from .reviews import scheduled_review_due_on
from .signing import SignatureStatus, parties_with_signature_status


@dataclass(frozen=True)
class ReviewOverdue:
    agreement: Agreement
    due_on: datetime.date
    grace_ends_on: datetime.date  # the last day logging is still allowed, with a warning
    refused: bool


def review_overdue(agreement: Agreement, *, on: datetime.date) -> ReviewOverdue | None:
    """How overdue ``agreement``'s scheduled review is on ``on``; ``None`` when it is not."""
    due = scheduled_review_due_on(agreement)
    if due is None or due >= on:
        return None
    grace_ends = due + datetime.timedelta(days=agreement.review_overdue_grace_days)
    return ReviewOverdue(agreement=agreement, due_on=due, grace_ends_on=grace_ends, refused=on > grace_ends)


@dataclass(frozen=True)
class ResigningLapse:
    party: Party
    version_label: str
    made_on: datetime.date
    grace_ends_on: datetime.date  # the last day the party may still receive
    lapsed: bool


def resigning_overdue(party: Party, *, on: datetime.date) -> ResigningLapse | None:
    """Whether ``party`` has still to sign a substantive version of its agreement on ``on``, and
    whether its grace period has run out; ``None`` when it has signed the latest substantive
    version (or is not a signed party at all). The version named, and the grace, are the latest
    substantive version's. A ``party`` read with ``parties_with_signature_status`` is not read
    again."""
    row = party if hasattr(party, "signature_status") else (
        parties_with_signature_status(Party.objects.filter(pk=party.pk)).select_related("agreement").first()
    )
    if row is None or row.signature_status != SignatureStatus.NEEDS_RESIGNING:
        return None
    unsigned = AgreementVersion.objects.filter(
        agreement_id=row.agreement_id, substantive=True, number__gt=row.signed_number or 0,
    ).order_by("-number").first()
    if unsigned is None:
        return None
    made_on = timezone.localdate(unsigned.created_at)
    grace_ends = made_on + datetime.timedelta(days=row.agreement.resigning_grace_days)
    return ResigningLapse(
        party=row, version_label=unsigned.label, made_on=made_on, grace_ends_on=grace_ends, lapsed=on > grace_ends,
    )
