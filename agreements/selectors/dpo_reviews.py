"""Reads of DPO reviews (decision 0062): the review that counts for a party and a version, and
each party's stage on the way to signing."""

from django.db.models import TextChoices

from partners.models import Role
from partners.permissions import user_organisation_ids

from ..models import AgreementVersion, ContactRole, DpoReview, DpoReviewOutcome, Party, PartyContact


class DpoStage(TextChoices):
    """Where a party stands on the way to signing the latest version when DPO review is on."""

    AWAITING = "awaiting_dpo_review", ("Awaiting DPO review")
    CHANGES_NEEDED = "changes_needed", ("Changes needed")
    READY = "ready_to_sign", ("Ready to sign")
    SIGNED = "signed", ("Signed")


def dpo_review_counting(party: Party, version: AgreementVersion) -> DpoReview | None:
    """The latest review of ``version`` for ``party`` made on the version's present content
    hash: the one that counts. A review of another version, or of other content, never does."""
    return (
        DpoReview.objects.filter(party=party, version=version, content_hash=version.content_hash)
        .order_by("-reviewed_at", "-pk").first()
    )


def dpo_stage(review: DpoReview | None, *, signed: bool) -> DpoStage:
    if signed:
        return DpoStage.SIGNED
    if review is None:
        return DpoStage.AWAITING
    if review.outcome == DpoReviewOutcome.CONTENT_TO_SIGN:
        return DpoStage.READY
    return DpoStage.CHANGES_NEEDED


def party_dpo_reviews(party: Party):
    """Every review recorded for ``party``, newest first, with its version."""
    return party.dpo_reviews.select_related("version").order_by("-reviewed_at", "-pk")


def dpo_stages_attach(rows: list[Party], version: AgreementVersion | None, *, user=None) -> list[Party]:
    """Give each of ``rows`` (annotated by ``parties_with_signature_status``, all of
    ``version``'s agreement) ``dpo_stage`` and ``dpo_stage_label`` for ``version``, and, with
    ``user``, ``dpo_may_review``: two or three queries whatever the number of rows."""
    latest: dict[int, DpoReview] = {}
    if version is not None:
        reviews = DpoReview.objects.filter(
            party__in=[row.pk for row in rows], version=version, content_hash=version.content_hash,
        ).order_by("party_id", "-reviewed_at", "-pk")
        for review in reviews:
            latest.setdefault(review.party_id, review)
    named: dict[int, set[int]] = {}
    managed: set[int] = set()
    if user is not None and user.is_authenticated:
        links = PartyContact.objects.filter(
            party__in=[row.pk for row in rows], role=ContactRole.DPO, contact__user__isnull=False,
        ).values_list("party_id", "contact__user_id")
        for party_id, user_id in links:
            named.setdefault(party_id, set()).add(user_id)
        managed = set(user_organisation_ids(user, roles=[Role.GOVERNANCE_MANAGER]))
    for row in rows:
        signed = version is not None and row.signed_number == version.number
        row.dpo_stage = dpo_stage(latest.get(row.pk), signed=signed)
        row.dpo_stage_label = row.dpo_stage.label
        row.dpo_review = latest.get(row.pk)
        if user is not None:
            reviewers = named.get(row.pk)
            row.dpo_may_review = (
                user.is_authenticated
                and (user.pk in reviewers if reviewers else row.organisation_id in managed)
            )
    return rows
