"""A party's DPO review before its lead signatory signs (issue 17, decision 0062): the owner
turns the step on or off for the agreement, and a party's data protection officer records a
review of the latest version, bound to its content hash."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Contact
from partners.services import notification_send

from .. import permissions
from ..models import Agreement, AgreementVersion, DpoReview, DpoReviewOutcome, Party, PartyStatus
from ..selectors.parties import dpo_reviewer_contacts, governance_manager_contacts, party_lead_signatory_contacts
from ..selectors.signing import SIGNABLE
from ..selectors.versions import latest_version
from .signing import NOT_SENT_FOR_SIGNATURE, signing_refusal

COMMENTS_MAX = 5000


@transaction.atomic
def dpo_review_requirement_set(*, agreement: Agreement, required: bool, by_user) -> Agreement:
    """Turn the DPO review step on or off for every party of ``agreement``, present and future.
    Only its managers may; the change is in the agreement's history, with who made it."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not permissions.can_manage(by_user, agreement):
        raise ValidationError("Only the agreement's governance managers can change this.")
    if agreement.dpo_review_required != required:
        agreement.dpo_review_required = required
        agreement._history_user = by_user
        agreement.save(update_fields=["dpo_review_required", "updated_at"])
        if required:
            dpo_reviews_ask(agreement)
    return agreement


def dpo_reviews_ask(agreement: Agreement, *, reviewed_hash: str = "") -> None:
    """Ask each party still to sign the latest version for its DPO's review (once per version and
    text): when the step is turned on, and for each new version to sign while it is on
    (``versions.version_reviews_ask``). With ``reviewed_hash`` (the version re-frozen with other
    text before anyone signed it: its hash before), only the parties whose DPO had reviewed that
    text, whose review no longer counts."""
    version = latest_version(agreement)
    if not agreement.dpo_review_required or agreement.status not in SIGNABLE or version is None:
        return  # asked when it goes for signature: the signing page and the invitation say so
    parties = (
        agreement.parties.in_being(on=timezone.localdate())
        .exclude(status__in=[PartyStatus.DECLINED, PartyStatus.WITHDRAWN, PartyStatus.WITHDRAWAL_NOTIFIED])
        .exclude(signatures__version=version).select_related("organisation")
    )
    text_changed = bool(reviewed_hash)
    if text_changed:
        parties = parties.filter(dpo_reviews__version=version, dpo_reviews__content_hash=reviewed_hash).distinct()
    for party in parties:
        why = (
            f"The text of version {version.label} of “{agreement.title}” has changed since {party.organisation}'s "
            "data protection officer reviewed it, so that review no longer counts." if text_changed else
            f"{agreement.owner} asks each party's data protection officer to review “{agreement.title}” "
            "before the party's lead signatory signs it."
        )
        notification_send(
            contacts=dpo_reviewer_contacts(party),
            subject=f"DPO review needed: version {version.label} of {agreement.reference or agreement.title}",
            body=(
                f"{why} Please review version {version.label} for "
                f"{party.organisation} in ISA Portal and record whether it is content to sign or needs "
                "changes. Until it is content to sign, your lead signatory cannot sign it."
            ),
            url=reverse("agreements:party_dpo_review", args=[agreement.pk, party.pk]),
            event_key=f"dpo-review-ask:{party.pk}:{version.pk}:{version.content_hash[:12]}", in_digest=True,
        )


def dpo_review_refusal(party: Party) -> str | None:
    """Why no DPO review can be recorded for ``party`` now; ``None`` when one can."""
    agreement = party.agreement
    if not agreement.dpo_review_required:
        return _("This agreement does not ask for a DPO review before signing.")
    refusal = signing_refusal(party)
    if refusal:
        return refusal
    if agreement.status not in SIGNABLE or latest_version(agreement) is None:
        return str(NOT_SENT_FOR_SIGNATURE)
    if party.status == PartyStatus.DECLINED:
        return _("%(organisation)s has declined this agreement.") % {"organisation": party.organisation}
    return None


@transaction.atomic
def dpo_review_record(
    *, party: Party, version: AgreementVersion, user, outcome: str, comments: str = "",
) -> DpoReview:
    """``user``, ``party``'s data protection officer (``permissions.can_review_as_dpo``), records
    their review of ``version``, which must still be the agreement's latest and not yet signed by
    the party. "Changes needed" needs comments. The review keeps the version's content hash and
    the reviewer's name and job title; the owner's governance managers are told, and, when it
    finds the version content to sign, the party's lead signatories too."""
    party = Party.objects.select_for_update(of=("self",)).select_related("agreement", "organisation").get(pk=party.pk)
    if not permissions.can_review_as_dpo(user, party):
        raise ValidationError(
            f"Only {party.organisation}'s data protection officer can review this agreement for it.",
        )
    refusal = dpo_review_refusal(party)
    if refusal:
        raise ValidationError(refusal)
    latest = latest_version(party.agreement)
    if version.agreement_id != party.agreement_id:
        raise ValidationError("That version is not a version of this agreement.")
    if version.pk != latest.pk:
        raise ValidationError({"version": (
            f"Version {version.label} is no longer the latest version of this agreement. "
            f"Read version {latest.label} and review that instead."
        )})
    if party.signatures.filter(version=version).exists():
        raise ValidationError(f"{party.organisation} has already signed version {version.label}.")
    full_name = user.get_full_name().strip()
    if not full_name:
        raise ValidationError("Your account has no full name. Ask your portal administrator to add it, then review.")
    comments = (comments or "").strip()
    problems = {}
    if outcome not in DpoReviewOutcome.values:
        problems["outcome"] = _("Select whether the version is content to sign or needs changes")
    elif outcome == DpoReviewOutcome.CHANGES_NEEDED and not comments:
        problems["comments"] = _("Enter the changes needed")
    if len(comments) > COMMENTS_MAX:
        problems["comments"] = _("Comments must be 5,000 characters or fewer")
    if problems:
        raise ValidationError(problems)
    contact = Contact.objects.filter(user=user).first()
    review = DpoReview(
        party=party, version=version, content_hash=version.content_hash, outcome=outcome, comments=comments,
        reviewed_by=user, reviewer_name=full_name,
        reviewer_job_title=contact.job_title if contact and contact.job_title else "",
        reviewed_at=timezone.now(),
    )
    review._history_user = user
    review.full_clean()
    review.save()
    _dpo_review_tell(review)
    return review


def _dpo_review_tell(review: DpoReview) -> None:
    party, version = review.party, review.version
    agreement = party.agreement
    ready = review.outcome == DpoReviewOutcome.CONTENT_TO_SIGN
    contacts = [*governance_manager_contacts(agreement.owner)]
    if ready:
        contacts += list(party_lead_signatory_contacts(party))
    what = "is content for it to be signed" if ready else "needs changes before it is signed"
    notification_send(
        contacts=contacts,
        subject=f"DPO review for {party.organisation}: version {version.label} of "
                f"{agreement.reference or agreement.title}",
        body=(
            f"The data protection officer of {party.organisation} reviewed version {version.label} of "
            f"“{agreement.title}” and found that it {what}.\n\n"
            + ("Its lead signatory can now sign it in ISA Portal." if ready
               else "The comments are on the agreement's signatures page in ISA Portal.")
        ),
        url=reverse("agreements:signatures", args=[agreement.pk]),
        event_key=f"dpo-review:{review.pk}", in_digest=not ready,
    )
