"""Reviews: opening them (by a governance manager, or daily from the audit trail and the
schedule), completing them, their actions and the report of their findings.

When a review is due and what makes one due is read in ``agreements.selectors.reviews``; this module
writes. Who may call these is the view's business (``agreements.permissions.can_manage``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from govuk_blocks.dates import long_date
from partners.models import Contact
from partners.services import notification_send

from ..models import Agreement, AgreementVersion, Review, ReviewAction, ReviewOutcome, ReviewTrigger
from ..selectors.parties import governance_manager_contacts
from ..selectors.reviews import (
    findings_report_due,
    next_review_date,
    policy_text,
    review_people,
    review_trigger,
    review_triggers_open,
    scheduled_review_due_on,
    scheduled_reviews_to_open,
)
from ..selectors.versions import latest_version
from .versions import agreement_substance_changed

# What ``review_start`` is told the review is for, besides an open trigger's key.
CHAIR_REQUEST = ReviewTrigger.CHAIR_REQUEST.value
SCHEDULED = ReviewTrigger.SCHEDULED.value

NOT_IN_FORCE = "Only an agreement in force can be reviewed. This agreement is {status}."


def _in_force_or_refuse(agreement: Agreement, on: datetime.date) -> None:
    if not Agreement.objects.in_force(on=on).filter(pk=agreement.pk).exists():
        raise ValidationError(NOT_IN_FORCE.format(status=agreement.get_status_display().lower()))


def _save(instance) -> None:
    instance.full_clean()
    instance.save()


def _tell_managers(review: Review) -> None:
    """The owner's governance managers hear of a review opened without them, once: by the daily
    run, so e-mailed in their digest (docs/decisions/0039)."""
    agreement = review.agreement
    notification_send(
        in_digest=True,
        contacts=governance_manager_contacts(agreement.owner),
        subject=f"A review of {agreement.reference or agreement.title} is due",
        body=(
            f"A review of “{agreement.title}” is due by {long_date(review.due_on)}.\n\n"
            f"Why: {review.get_trigger_display()}. {review.reason}"
        ),
        url=review.get_absolute_url(),
        event_key=f"review-due:{review.pk}",
    )


@transaction.atomic
def review_start(
    *, agreement: Agreement, by_user, why: str, reason: str = "", on: datetime.date | None = None,
) -> Review:
    """Open a review of ``agreement``, in force on ``on`` (today by default).

    ``why`` is ``CHAIR_REQUEST`` (the chair of the partnership asked: ``reason`` says what for,
    and the review is due at once), ``SCHEDULED`` (the scheduled review, started early or on
    time: due on its scheduled date) or the key of an open trigger of
    ``agreements.selectors.reviews.review_triggers_open`` (due at once, with the trigger's reason and
    ``reason`` added). Refused, with the message keyed by form field, when the agreement is not
    in force, a chair's request has no reason, the scheduled review is already open, or the
    trigger has been answered meanwhile.
    """
    on = on or timezone.localdate()
    _in_force_or_refuse(agreement, on)
    reason = reason.strip()
    if why == CHAIR_REQUEST:
        if not reason:
            raise ValidationError({"reason": "Enter what the chair asked the partners to review, and why"})
        review = Review(agreement=agreement, trigger=ReviewTrigger.CHAIR_REQUEST, reason=reason, due_on=on)
    elif why == SCHEDULED:
        if agreement.reviews.filter(trigger=ReviewTrigger.SCHEDULED, completed_on__isnull=True).exists():
            raise ValidationError({"why": "The scheduled review has already been started"})
        due = scheduled_review_due_on(agreement) or on
        review = Review(
            agreement=agreement, trigger=ReviewTrigger.SCHEDULED, due_on=due,
            reason="\n\n".join(filter(None, [policy_text(agreement), reason])),
        )
    else:
        event = review_trigger(agreement, why, on=on)
        if event is None:
            raise ValidationError({"why": "That reason has already been answered by a review. Choose another"})
        review = Review(
            agreement=agreement, trigger=event.trigger, trigger_key=event.key, due_on=on,
            reason="\n\n".join(filter(None, [event.reason, reason])),
        )
    _save(review)
    return review


def reviews_due_create(*, on: datetime.date | None = None) -> list[Review]:
    """Open every review that has fallen due on ``on`` (today by default); for the daily scheduler.

    For each agreement in force: one review for each trigger in its audit trail that no review
    has answered (a breach, a substantive change, a cited legal gateway marked repealed or
    superseded: ``agreements.selectors.reviews``), due on ``on``; and its scheduled review, due on its
    scheduled date, once that is ``SCHEDULED_OPENS_DAYS_BEFORE`` days away or nearer. The owner's
    governance managers are told of each, once (``notification_send`` with an event key).

    Idempotent and safe to interrupt: every review is written in its own transaction, and a
    trigger or scheduled review already opened is never opened again (the database refuses a
    second review for the same trigger, or a second open scheduled review, so two runs at once
    cannot both open one). Returns the reviews opened by this call.

    Reminders (due in 30 and 7 days, overdue) are the scheduler's own: every review to remind
    of is then an open ``Review`` row (``completed_on`` empty) with its ``due_on``, since a
    scheduled review is opened 30 days ahead. Call this first in the daily run.
    """
    on = on or timezone.localdate()
    opened = []
    for event in review_triggers_open(on=on):
        review = Review(
            agreement=event.agreement, trigger=event.trigger, trigger_key=event.key, due_on=on,
            reason=event.reason,
        )
        if _open_once(review):
            opened.append(review)
    for agreement, due in scheduled_reviews_to_open(on=on):
        review = Review(
            agreement=agreement, trigger=ReviewTrigger.SCHEDULED, due_on=due, reason=policy_text(agreement),
        )
        if _open_once(review):
            opened.append(review)
    return opened


def _open_once(review: Review) -> bool:
    """Save ``review`` and tell the managers; ``False`` if another run opened it first."""
    try:
        with transaction.atomic():
            _save(review)
            _tell_managers(review)
    except (IntegrityError, ValidationError):
        return False
    return True


def _people_or_refuse(agreement: Agreement, people, *, field: str, message: str) -> None:
    allowed = set(review_people(agreement).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in people):
        raise ValidationError({field: message})


def _resulting_version(review: Review, *, by_user) -> AgreementVersion:
    """The version a substantive outcome leads to: the change not yet in a version becomes
    one (``agreement_substance_changed``, which asks every party to sign again), or else the
    latest version made since the review was opened. Refused when nothing has changed."""
    agreement = review.agreement
    version = agreement_substance_changed(
        agreement=agreement, by_user=by_user, summary=f"Substantive change after the review of {agreement}.",
    )
    if version is None:
        latest = latest_version(agreement)
        if latest is not None and latest.substantive and latest.created_at >= review.created_at:
            version = latest
    if version is None:
        since = f" since version {latest.label} was made" if latest else ""
        raise ValidationError({"outcome": (
            f"Nothing in the agreement has changed{since}. Make the change in the drafting tasks "
            "first, then record a substantive change"
        )})
    return version


@transaction.atomic
def review_complete(
    *, review: Review, by_user, completed_on: datetime.date, reviewers: list[Contact], findings: str,
    outcome: str, on: datetime.date | None = None,
) -> Review:
    """Record a review as held: when, by whom, what it found and its outcome.

    The findings report falls due one calendar month later (002 §5.3). The agreement's last
    review becomes ``completed_on`` and its next scheduled review is worked out again from it
    (``agreements.selectors.reviews.next_review_date``); a scheduled review still open moves to that date.
    A substantive outcome needs a new version, which every party signs again
    (``_resulting_version``). Refused, keyed by form field: a review already completed, an
    agreement that has ended, a date in the future or before the agreement came into force,
    nobody named or someone from outside the parties, no findings, no outcome.
    """
    on = on or timezone.localdate()
    agreement = review.agreement
    if review.completed_on is not None:
        raise ValidationError(f"This review was completed on {long_date(review.completed_on)}.")
    _in_force_or_refuse(agreement, on)
    problems = {}
    if completed_on > on:
        problems["completed_on"] = "The date the review was held must be today or in the past"
    elif agreement.effective_date and completed_on < agreement.effective_date:
        problems["completed_on"] = (
            "The date the review was held must be on or after the day the agreement came into force, "
            f"{long_date(agreement.effective_date)}"
        )
    if not reviewers:
        problems["reviewers"] = "Choose who reviewed the agreement"
    if not findings.strip():
        problems["findings"] = "Enter what the review found"
    if outcome not in ReviewOutcome.values:
        problems["outcome"] = "Choose the outcome of the review"
    if problems:
        raise ValidationError(problems)
    _people_or_refuse(
        agreement, reviewers, field="reviewers", message="Choose reviewers from the parties to the agreement",
    )
    if outcome == ReviewOutcome.SUBSTANTIVE:
        review.resulting_version = _resulting_version(review, by_user=by_user)
    review.completed_on = completed_on
    review.findings = findings.strip()
    review.outcome = outcome
    review.findings_report_due_on = findings_report_due(completed_on)
    _save(review)
    review.reviewers.set(reviewers)

    agreement.refresh_from_db()
    if agreement.last_review_on is None or completed_on > agreement.last_review_on:
        agreement.last_review_on = completed_on
    agreement.next_review_due = next_review_date(agreement)
    _save(agreement)
    for scheduled in agreement.reviews.filter(trigger=ReviewTrigger.SCHEDULED, completed_on__isnull=True):
        scheduled.due_on = agreement.next_review_due
        _save(scheduled)
    return review


@transaction.atomic
def review_action_add(
    *, review: Review, description: str, owner: Contact | None, due_on: datetime.date | None,
) -> ReviewAction:
    """An action the review decided on, with the person who owns it and when it is due."""
    problems = {}
    if not description.strip():
        problems["description"] = "Enter what needs to be done"
    if owner is None:
        problems["owner"] = "Choose who will do it"
    if due_on is None:
        problems["due_on"] = "Enter the date it is due"
    elif review.created_at is not None and due_on < timezone.localdate(review.created_at):
        # The Safe and Well trial (P17): an action due in 2020 was added, overdue at once.
        problems["due_on"] = (f"The date it is due must be on or after {long_date(review.created_at)}, when the "
                              "review started")
    if problems:
        raise ValidationError(problems)
    _people_or_refuse(
        review.agreement, [owner], field="owner", message="Choose someone from the parties to the agreement",
    )
    action = ReviewAction(review=review, description=description.strip(), owner=owner, due_on=due_on)
    _save(action)
    return action


@transaction.atomic
def review_action_done(
    *, action: ReviewAction, done_on: datetime.date, on: datetime.date | None = None,
) -> ReviewAction:
    """Mark ``action`` done on ``done_on``: today or in the past, and only once."""
    on = on or timezone.localdate()
    if action.done_on is not None:
        raise ValidationError(f"This action was marked done on {long_date(action.done_on)}.")
    if done_on > on:
        raise ValidationError({"done_on": "The date it was done must be today or in the past"})
    action.done_on = done_on
    _save(action)
    return action


@transaction.atomic
def review_findings_reported(
    *, review: Review, reported_on: datetime.date, on: datetime.date | None = None,
) -> Review:
    """Record the day the review's findings were reported to the partners (002 §5.3)."""
    on = on or timezone.localdate()
    if review.completed_on is None:
        raise ValidationError("Record the review as completed before recording that its findings were reported.")
    if review.findings_reported_on is not None:
        raise ValidationError(
            f"The findings were recorded as reported on {long_date(review.findings_reported_on)}."
        )
    if reported_on > on:
        raise ValidationError({"reported_on": "The date the findings were reported must be today or in the past"})
    if reported_on < review.completed_on:
        raise ValidationError({"reported_on": (
            "The date the findings were reported must be on or after the day the review was held, "
            f"{long_date(review.completed_on)}"
        )})
    review.findings_reported_on = reported_on
    _save(review)
    return review
