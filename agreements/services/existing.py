"""Agreements that predate the portal, recorded as they really are: their earlier versions from
the partnership's files, the current version's date, paper signatures dated in the past (recorded
on the signatures pages), and the day they came into force, with their last and next reviews.

Every status change still goes through ``lifecycle.agreement_move``; nobody is asked to sign again
and no party is told of a change that happened years ago.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govuk_blocks.dates import long_date

from ..models import Agreement, Status
from ..selectors.versions import content_hash, latest_version
from ..tasks import signed_copy_freeze_enqueue
from .lifecycle import agreement_move, move_problems, readiness_problems


def _refused(agreement: Agreement, allowed: tuple[str, ...], what: str) -> None:
    if agreement.status not in allowed:
        raise ValidationError(f"Only {what}; this one is {agreement.get_status_display().lower()}.")


@transaction.atomic
def agreement_record_existing(
    *, agreement: Agreement, by_user, label: str, issued_on: datetime.date, earlier: list[dict] = (),
    change_summary: str = "",
) -> Agreement:
    """Record a draft that is in truth an agreement signed before the portal: its earlier versions
    from the partnership's files (``earlier``: label, issued_on, change_summary — their text is not
    held here) and its current version, issued on ``issued_on``. It then awaits the paper
    signatures, recorded with the dates they were made; nobody is asked to sign again."""
    _refused(agreement, (Status.DRAFT, Status.CONSULTATION), "a draft can be recorded as an existing agreement")
    problems = readiness_problems(agreement)
    if problems:
        raise ValidationError([f"Cannot record it yet: {problem}." for problem in problems])
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if issued_on > today:
        errors["issued_on"] = "The date the current version was issued must be today or in the past"
    labels = [row["label"] for row in earlier] + [label]
    if len(set(labels)) != len(labels):
        errors["label"] = "Each version needs its own number"
    dates = [row["issued_on"] for row in earlier] + [issued_on]
    if any(later <= sooner for sooner, later in zip(dates, dates[1:], strict=False)):
        errors.setdefault("issued_on", "Each version must be dated after the one before it")
    if errors:
        raise ValidationError(errors)
    number = agreement.versions.count()
    for row in earlier:
        number += 1
        record = {"recorded": f"Version {row['label']}, issued {row['issued_on'].isoformat()}: text not held"}
        agreement.versions.create(
            number=number, label=row["label"], content=record, content_hash=content_hash(record),
            change_summary=row.get("change_summary", ""), issued_on=row["issued_on"], text_held=False,
            created_by=by_user,
        )
    return agreement_move(
        agreement=agreement, to=Status.AWAITING_SIGNATURES, by_user=by_user, label=label, issued_on=issued_on,
        change_summary=change_summary or "Recorded from the partnership's files: signed before the portal.",
    )


def _signatures_needed_by(agreement: Agreement) -> datetime.date | None:
    """The day the agreement had what it needs to be in force: the owner's signature and the first
    partner's, on its current version (the later of the two)."""
    version = latest_version(agreement)
    dates: dict[bool, list] = {True: [], False: []}
    for signature in version.signatures.select_related("party"):
        day = signature.signed_on or timezone.localdate(signature.created_at)
        dates[signature.party.organisation_id == agreement.owner_id].append(day)
    if not dates[True] or not dates[False]:
        return None
    return max(min(dates[True]), min(dates[False]))


@transaction.atomic
def agreement_record_in_force(
    *, agreement: Agreement, by_user, since: datetime.date, last_review_on: datetime.date | None = None,
    next_review_due: datetime.date | None = None,
) -> Agreement:
    """Record that the agreement has been in force since a past day, with its last and next
    reviews. The day cannot predate the signatures it needs; the partners are not told again."""
    _refused(agreement, (Status.AWAITING_SIGNATURES,), "an agreement awaiting signatures can be recorded as in force")
    problems = move_problems(agreement, Status.IN_FORCE)
    if problems:
        raise ValidationError(problems)
    today, needed = timezone.localdate(), _signatures_needed_by(agreement)
    errors: dict[str, str] = {}
    if since > today:
        errors["since"] = "The date it came into force must be today or in the past"
    elif needed is not None and since < needed:
        errors["since"] = (
            f"It cannot have come into force before the signatures it needs: the last was on {long_date(needed)}"
        )
    if last_review_on is not None and not since <= last_review_on <= today:
        errors["last_review_on"] = "The last review must be between the date it came into force and today"
    if next_review_due is not None and next_review_due <= (last_review_on or since):
        errors["next_review_due"] = "The next review must be after the last review, or after it came into force"
    if errors:
        raise ValidationError(errors)
    agreement = agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=by_user, on=since)
    if last_review_on is not None:
        agreement.last_review_on = last_review_on
    if next_review_due is not None:
        agreement.next_review_due = next_review_due
    elif last_review_on is not None and agreement.review_policy_set:
        agreement.next_review_due = last_review_on + relativedelta(months=agreement.review_every_months)
    agreement.full_clean()
    agreement.save()
    signed_copy_freeze_enqueue(version=latest_version(agreement))
    return agreement
