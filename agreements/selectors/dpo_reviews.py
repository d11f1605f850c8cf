"""Reads of DPO reviews (decision 0062): the review that counts for a party and a version, and
each party's stage on the way to signing."""

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Subquery, TextChoices, Value, When
from django.utils.translation import gettext_lazy as _

from partners.models import Role
from partners.permissions import user_organisation_ids

from ..models import AgreementVersion, ContactRole, DpoReview, DpoReviewOutcome, Party, PartyContact, PartyStatus
from .signing import SIGNABLE


class DpoStage(TextChoices):
    """Where a party stands on the way to signing the latest version when DPO review is on."""

    AWAITING = "awaiting_dpo_review", _("Awaiting DPO review")
    CHANGES_NEEDED = "changes_needed", _("Changes needed")
    READY = "ready_to_sign", _("Ready to sign")
    SIGNED = "signed", _("Signed")


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


def with_dpo_outcome(parties: QuerySet[Party]) -> QuerySet[Party]:
    """``parties`` annotated, in the same query, with ``dpo_outcome``: the outcome of the review
    that counts for the party and its agreement's latest version (``dpo_review_counting``), or
    ``None``; and ``dpo_awaited``: whether its lead signatory must still wait for the DPO — the
    agreement asks for DPO review, has a version, and the review that counts is not "content
    to sign" (decision 0062, amended)."""
    latest_number = (
        AgreementVersion.objects.filter(agreement=OuterRef("version__agreement"))
        .order_by("-number").values("number")[:1]
    )
    counting = DpoReview.objects.filter(
        party=OuterRef("pk"), version__number=Subquery(latest_number), content_hash=F("version__content_hash"),
    ).order_by("-reviewed_at", "-pk")
    has_version = AgreementVersion.objects.filter(agreement=OuterRef("agreement"))
    return parties.annotate(dpo_outcome=Subquery(counting.values("outcome")[:1])).annotate(
        dpo_awaited=Case(
            When(agreement__dpo_review_required=False, then=Value(False)),
            When(~Exists(has_version), then=Value(False)),
            When(dpo_outcome=DpoReviewOutcome.CONTENT_TO_SIGN, then=Value(False)),
            default=Value(True), output_field=BooleanField(),
        ),
    )


def parties_dpo_cleared(parties: QuerySet[Party]) -> QuerySet[Party]:
    """Those of ``parties`` whose lead signatory may be asked to sign: no DPO review is asked
    for, or the DPO is content with the latest version."""
    return with_dpo_outcome(parties).filter(dpo_awaited=False)


def parties_to_review_as_dpo(user) -> QuerySet[Party]:
    """Parties for which ``user`` is to review the latest version as DPO
    (``permissions.can_review_as_dpo``: named as the party's DPO, or, when it names none who signs
    in, a governance manager of its organisation): the agreement asks for DPO review and is out
    for signature, the party still takes part, and no review counts for the version yet. A
    review that found changes needed waits for the owner, not for the DPO."""
    if not user.is_authenticated:
        return Party.objects.none()
    named = PartyContact.objects.filter(party=OuterRef("pk"), role=ContactRole.DPO, contact__user__isnull=False)
    managed = user_organisation_ids(user, roles=[Role.GOVERNANCE_MANAGER])
    mine = PartyContact.objects.filter(party=OuterRef("pk"), role=ContactRole.DPO, contact__user=user)
    parties = Party.objects.filter(agreement__dpo_review_required=True, agreement__status__in=SIGNABLE).filter(
        Exists(mine) | (~Exists(named) & Q(organisation_id__in=managed)),
    ).exclude(status__in=[PartyStatus.DECLINED, PartyStatus.WITHDRAWN, PartyStatus.WITHDRAWAL_NOTIFIED])
    return with_dpo_outcome(parties).filter(dpo_awaited=True, dpo_outcome__isnull=True)
