"""The life of an agreement, and the rules for every move in it.

    draft → consultation → awaiting signatures → in force ⇄ under review → superseded / ended

Every change of ``Agreement.status`` goes through ``agreement_move``; the rules for each move
live here and nowhere else. A refused move raises ``MoveRefused`` with every reason, worded to
be shown to the user as it is ("Cannot come into force: the owner has not signed version 1.0").
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from .models import Agreement, Status
from .selectors import latest_version, next_version_label
from .services import agreement_version_create

ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.CONSULTATION, Status.AWAITING_SIGNATURES, Status.ENDED),
    Status.CONSULTATION: (Status.DRAFT, Status.AWAITING_SIGNATURES, Status.ENDED),
    Status.AWAITING_SIGNATURES: (Status.IN_FORCE, Status.CONSULTATION, Status.ENDED),
    Status.IN_FORCE: (Status.UNDER_REVIEW, Status.SUPERSEDED, Status.ENDED),
    Status.UNDER_REVIEW: (Status.IN_FORCE, Status.AWAITING_SIGNATURES, Status.SUPERSEDED, Status.ENDED),
    Status.SUPERSEDED: (),
    Status.ENDED: (),
}

# What the move is called in a refusal: "Cannot <verb>: …"
VERBS = {
    Status.DRAFT: "return to draft",
    Status.CONSULTATION: "go to consultation",
    Status.AWAITING_SIGNATURES: "go for signature",
    Status.IN_FORCE: "come into force",
    Status.UNDER_REVIEW: "go under review",
    Status.SUPERSEDED: "be marked superseded",
    Status.ENDED: "end",
}


class MoveRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def readiness_problems(agreement: Agreement) -> list[str]:
    """What the draft still lacks before partners can be asked to sign it."""
    problems = []
    if not agreement.purposes.exists():
        problems.append("add at least one purpose")
    if not agreement.sections.exists():
        problems.append("add the agreement's sections")
    if not agreement.gateways.exists():
        problems.append("choose the legal gateways it relies on")
    if not agreement.parties.exclude(organisation=agreement.owner).exists():
        problems.append("invite at least one partner")
    return problems


def signature_problems(agreement: Agreement) -> list[str]:
    version = latest_version(agreement)
    if version is None:
        return ["there is no version to sign"]
    signed = set(version.signatures.values_list("party__organisation_id", flat=True))
    problems = []
    if agreement.owner_id not in signed:
        problems.append(f"the owner has not signed version {version.label}")
    if not signed - {agreement.owner_id}:
        problems.append(f"no partner has signed version {version.label}")
    return problems


def move_problems(agreement: Agreement, to: str) -> list[str]:
    """Why ``agreement`` may not move to ``to`` now; empty when it may."""
    if to not in ALLOWED_MOVES[agreement.status]:
        return [
            f"An agreement that is {agreement.get_status_display().lower()} cannot "
            f"{VERBS[to]}."
        ]
    reasons = []
    if to in (Status.CONSULTATION, Status.AWAITING_SIGNATURES):
        reasons = readiness_problems(agreement)
    elif to == Status.IN_FORCE and agreement.status == Status.AWAITING_SIGNATURES:
        reasons = signature_problems(agreement)
    return [f"Cannot {VERBS[to]}: {reason}." for reason in reasons]


@transaction.atomic
def agreement_move(
    *, agreement: Agreement, to: str, by_user, on: datetime.date | None = None,
    change_summary: str = "",
) -> Agreement:
    """Move ``agreement`` to status ``to``, or raise ``MoveRefused`` saying why not.

    Going for signature freezes the current text as a new version. Coming into force for the
    first time sets the effective date and the first review; ending sets the end date.
    """
    on = on or timezone.localdate()
    problems = move_problems(agreement, to)
    if problems:
        raise MoveRefused(problems)
    if to == Status.AWAITING_SIGNATURES:
        agreement_version_create(
            agreement=agreement, label=next_version_label(agreement), by_user=by_user,
            change_summary=change_summary or "Sent for signature.",
        )
    if to == Status.IN_FORCE and agreement.effective_date is None:
        agreement.effective_date = on
        agreement.next_review_due = on + relativedelta(months=agreement.review_first_after_months)
    if to in (Status.ENDED, Status.SUPERSEDED):
        agreement.ended_on = max(on, agreement.effective_date) if agreement.effective_date else on
    agreement.status = to
    agreement.full_clean()
    agreement.save()
    return agreement
