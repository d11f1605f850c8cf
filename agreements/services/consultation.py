"""A draft's consultation (001 §3): a partner comments on the draft, and the owner answers.

The owner's people who act for it are told of each comment, and the person who commented of its
answer, in the portal and by e-mail."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partners.models import Contact
from partners.notices import notification_send

from ..models import Agreement, ConsultationComment, Status
from ..permissions import consultee_organisation_ids
from ..selectors.parties import organisation_contacts
from .lifecycle import STATES

NOT_IN_CONSULTATION = "Comments can be made only while the agreement is out for consultation: it is now {state}."
ANSWERED_ALREADY = "This comment has been answered already."


@transaction.atomic
def consultation_comment_add(*, agreement: Agreement, by_user, text: str) -> ConsultationComment:
    """``by_user``'s comment on ``agreement``, for the first organisation they speak for in its
    consultation (the owner's, if theirs), or else for its owner (a manager by grant alone)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != Status.CONSULTATION:
        raise ValidationError(NOT_IN_CONSULTATION.format(state=STATES[agreement.status]))
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter your comment"})
    organisations = consultee_organisation_ids(by_user, agreement)
    comment = ConsultationComment.objects.create(
        agreement=agreement, organisation_id=organisations[0] if organisations else agreement.owner_id,
        written_by=by_user, written_at=timezone.now(), text=text,
    )
    notification_send(
        contacts=organisation_contacts(agreement.owner).exclude(user=by_user),
        subject=f"A comment on the draft of {agreement.title}",
        body=(f"{comment.organisation} has commented on the draft of {agreement.quoted}, which is out "
              "for consultation. Read it, and answer it, on the agreement's consultation page."),
        url=reverse("agreements:consultation", args=[agreement.pk]),
        event_key=f"consultation-comment-{comment.pk}",
    )
    return comment


@transaction.atomic
def consultation_comment_answer(*, comment: ConsultationComment, by_user, answer: str) -> ConsultationComment:
    """The owner's answer to ``comment``: given once, and kept with who gave it and when."""
    comment = ConsultationComment.objects.select_for_update().select_related("agreement").get(pk=comment.pk)
    if comment.answer:
        raise ValidationError(ANSWERED_ALREADY)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": "Enter your answer"})
    comment.answer, comment.answered_by, comment.answered_at = answer, by_user, timezone.now()
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    agreement = comment.agreement
    notification_send(
        contacts=Contact.objects.filter(user=comment.written_by),
        subject=f"Your comment on {agreement.title} has been answered",
        body=f"{agreement.owner} has answered the comment you made on the draft of {agreement.quoted}.",
        url=reverse("agreements:consultation", args=[agreement.pk]),
        event_key=f"consultation-answer-{comment.pk}",
    )
    return comment
