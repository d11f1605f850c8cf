"""Reads for the QA review before coming into force (decision 0064)."""

from ..models import Agreement, QaCheckpoint, QaOutcome, QaReview
from .versions import latest_version

QA_NO_VERSION = "the QA review needs a version to review, and none has been made"


def qa_checkpoints():
    return QaCheckpoint.objects.filter(active=True).order_by("position", "pk")


def qa_review_counting(agreement: Agreement, version=None) -> QaReview | None:
    """The latest QA review of ``version`` (default: the latest) whose hash is the version's
    present hash: a review of 1.0 never counts for 2.0, nor for 1.0 re-frozen with other text."""
    version = version or latest_version(agreement)
    if version is None:
        return None
    return (
        QaReview.objects.filter(agreement=agreement, version=version, content_hash=version.content_hash)
        .order_by("-reviewed_at", "-pk").prefetch_related("findings").first()
    )


def qa_problems(agreement: Agreement) -> list[str]:
    """Why the QA review stops ``agreement`` coming into force, worded to follow
    "Cannot come into force: "; empty when QA is not required or has passed the latest version."""
    if not agreement.qa_required:
        return []
    version = latest_version(agreement)
    if version is None:
        return [QA_NO_VERSION]
    review = qa_review_counting(agreement, version)
    if review is None or review.outcome != QaOutcome.PASSED:
        name = f" by {agreement.qa_group_name}" if agreement.qa_group_name else ""
        return [f"the QA review{name} has not passed version {version.label}"]
    return []
