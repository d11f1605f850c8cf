"""Quality assurance before an agreement comes into force (issue 17 item 4, decision 0064): the
owner asks for a QA review by a named group or person; a reviewer records, per checklist point,
met / not met / not applicable, and an outcome bound to the version's content hash; the findings
go back to the drafter. ``selectors.qa_reviews.qa_problems`` is the gate on every move into force."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Contact
from partners.services import notification_send

from .. import permissions
from ..models import Agreement, AgreementVersion, QaFinding, QaOutcome, QaResult, QaReview, Status
from ..selectors.parties import governance_manager_contacts
from ..selectors.qa_reviews import qa_checkpoints
from ..selectors.versions import latest_version

COMMENTS_MAX = 5000
REVIEWABLE = (Status.DRAFT, Status.CONSULTATION, Status.AWAITING_SIGNATURES, Status.IN_FORCE, Status.UNDER_REVIEW)


@transaction.atomic
def qa_requirement_set(
    *, agreement: Agreement, required: bool, by_user, group_name: str = "", reviewers=(),
) -> Agreement:
    """Turn the QA review on (naming the group and its reviewers, users of the portal) or off.
    Only the agreement's managers may; the change, the list of reviewers included, is in the
    agreement's history, with who."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not permissions.can_manage(by_user, agreement):
        raise ValidationError("Only the agreement's governance managers can change this.")
    group_name = (group_name or "").strip()
    reviewers = list(reviewers)
    if required and not reviewers:
        raise ValidationError({"reviewers": _("Select at least one QA reviewer")})
    if len(group_name) > 200:
        raise ValidationError({"group_name": "The QA group's name must be 200 characters or fewer"})
    User = get_user_model()
    if reviewers and User.objects.filter(pk__in=[u.pk for u in reviewers], is_active=True).count() != len(
        {u.pk for u in reviewers}
    ):
        raise ValidationError({"reviewers": "Select reviewers who use the portal"})
    agreement.qa_required = required
    agreement.qa_group_name = group_name if required else agreement.qa_group_name
    agreement._history_user = by_user
    if required:
        # The reviewers are kept in the agreement's history (its m2m_fields). ``set()`` would write a
        # historical row for its removals and another for its additions: none here, and the one save
        # below records the new list beside the other fields, with who.
        agreement.skip_history_when_saving = True
        try:
            agreement.qa_reviewers.set(reviewers)
        finally:
            del agreement.skip_history_when_saving
    agreement.save(update_fields=["qa_required", "qa_group_name", "updated_at"])
    if required:
        qa_reviews_ask(agreement)
    return agreement


def qa_reviews_ask(agreement: Agreement, *, reviewed_hash: str = "") -> None:
    """Ask the named reviewers for a QA review of the latest version (once per version): when the
    review is asked for, and for each new version while it is required
    (``versions.version_reviews_ask``). With ``reviewed_hash`` (the version re-frozen with other
    text before anyone signed it: its hash before), only when a review of that text no longer
    counts, once per text."""
    if not agreement.qa_required:
        return
    version = latest_version(agreement)
    text_changed = bool(reviewed_hash)
    if text_changed and (version is None or not version.qa_reviews.filter(content_hash=reviewed_hash).exists()):
        return
    contacts = list(Contact.objects.filter(user__in=agreement.qa_reviewers.all()))
    what = f"version {version.label}" if version else "the agreement once it has a version"
    changed = f"The text of {what} has changed since it was reviewed, so that review no longer counts. " \
        if text_changed else ""
    key = f"qa-ask:{agreement.pk}:{version.pk if version else 0}"
    notification_send(
        contacts=contacts,
        subject=f"QA review needed: {agreement.reference or agreement.title}",
        body=(
            f"{changed}{agreement.owner} asks for a quality assurance review of “{agreement.title}” before it comes "
            f"into force. Please review {what} against the checklist in ISA Portal."
        ),
        url=reverse("agreements:qa_review", args=[agreement.pk]),
        event_key=f"{key}:{version.content_hash[:12]}" if text_changed else key, in_digest=True,
    )


def qa_review_refusal(agreement: Agreement) -> str | None:
    """Why no QA review can be recorded now; ``None`` when one can."""
    if not agreement.qa_required:
        return _("This agreement does not ask for a QA review.")
    if agreement.status not in REVIEWABLE:
        status = agreement.get_status_display().lower()
        return _("An agreement that is %(status)s is not reviewed.") % {"status": status}
    if latest_version(agreement) is None:
        return _("There is no version to review yet: a version is made when the agreement goes for signature.")
    return None


@transaction.atomic
def qa_review_record(
    *, agreement: Agreement, version: AgreementVersion, user, outcome: str, findings: dict, comments: str = "",
) -> QaReview:
    """``user``, a named QA reviewer, records their review of ``version`` (the latest): ``findings``
    maps each active checkpoint's pk to ``(result, comment)``. "Passed" needs no point "not met";
    "changes needed" needs comments, and a "not met" needs its comment. The drafter is told."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not permissions.can_review_qa(user, agreement):
        raise ValidationError("Only the agreement's named QA reviewers can review it.")
    refusal = qa_review_refusal(agreement)
    if refusal:
        raise ValidationError(refusal)
    latest = latest_version(agreement)
    if version.agreement_id != agreement.pk or version.pk != latest.pk:
        raise ValidationError(
            f"That is not the latest version of this agreement. Read version {latest.label} and review that instead.",
        )
    full_name = user.get_full_name().strip()
    if not full_name:
        raise ValidationError("Your account has no full name. Ask your portal administrator to add it, then review.")
    comments = (comments or "").strip()
    problems: dict[str, str] = {}
    rows = []
    for point in qa_checkpoints():
        result, comment = findings.get(point.pk) or findings.get(str(point.pk)) or ("", "")
        comment = (comment or "").strip()
        field = f"point_{point.pk}"
        if result not in QaResult.values:
            problems[field] = _("Select met, not met or not applicable for “%(point)s”") % {"point": point.text}
        elif result == QaResult.NOT_MET and not comment:
            problems[f"{field}_comment"] = _("Enter what is missing for “%(point)s”") % {"point": point.text}
        elif len(comment) > COMMENTS_MAX:
            problems[f"{field}_comment"] = _("Comments must be 5,000 characters or fewer")
        rows.append((point, result, comment))
    if outcome not in QaOutcome.values:
        problems["outcome"] = _("Select whether the version passed or needs changes")
    elif outcome == QaOutcome.CHANGES_NEEDED and not comments:
        problems["comments"] = _("Enter the changes needed")
    elif outcome == QaOutcome.PASSED and any(result == QaResult.NOT_MET for _, result, _ in rows):
        problems["outcome"] = _("A version with a point not met cannot pass: select changes needed")
    if len(comments) > COMMENTS_MAX:
        problems["comments"] = _("Comments must be 5,000 characters or fewer")
    if problems:
        raise ValidationError(problems)
    review = QaReview(
        agreement=agreement, version=version, content_hash=version.content_hash, outcome=outcome,
        comments=comments, group_name=agreement.qa_group_name, reviewed_by=user, reviewer_name=full_name,
        reviewed_at=timezone.now(),
    )
    review._history_user = user
    review.full_clean()
    review.save()
    QaFinding.objects.bulk_create([
        QaFinding(review=review, checkpoint=point, checkpoint_text=point.text, result=result, comment=comment)
        for point, result, comment in rows
    ])
    _qa_review_tell(review)
    return review


def _qa_review_tell(review: QaReview) -> None:
    """The findings go back to the drafter: those who drew the agreement up, and the owner's
    governance managers."""
    agreement, version = review.agreement, review.version
    contacts = {c.pk: c for c in agreement.drawn_up_by.all()}
    contacts.update({c.pk: c for c in governance_manager_contacts(agreement.owner)})
    passed = review.outcome == QaOutcome.PASSED
    not_met = [f for f in review.findings.all() if f.result == QaResult.NOT_MET]
    lines = "".join(f"\n- {f.checkpoint_text}: {f.comment}" for f in not_met)
    notification_send(
        contacts=list(contacts.values()),
        subject=f"QA review {'passed' if passed else 'asks for changes'}: version {version.label} of "
                f"{agreement.reference or agreement.title}",
        body=(
            f"{review.reviewer_name}{' for ' + review.group_name if review.group_name else ''} reviewed version "
            f"{version.label} of “{agreement.title}”: {review.get_outcome_display().lower()}."
            + (f"\n\n{review.comments}" if review.comments else "")
            + (f"\n\nPoints not met:{lines}" if lines else "")
        ),
        url=reverse("agreements:qa_review", args=[agreement.pk]),
        event_key=f"qa-review:{review.pk}", in_digest=False,
    )
