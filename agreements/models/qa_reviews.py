"""Quality assurance of an agreement before it comes into force (issue 17 item 4, decision 0064).

A portal-wide checklist (``QaCheckpoint``, edited by a portal administrator in the Django admin,
seeded by a migration from the ICO's data sharing code and WASPI's QA points); a reviewer's
``QaReview`` of one exact version, bound to its content hash, with one ``QaFinding`` per point.
Append-only: a new opinion is a new review; the latest whose hash matches the version counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .drafting import Agreement
from .versions import AgreementVersion


class QaSource(models.TextChoices):
    ICO = "ico", "ICO data sharing code"
    WASPI = "waspi", "WASPI quality assurance"


class QaCheckpoint(models.Model):
    """One point a QA reviewer checks. Retire a point by clearing ``active`` (findings keep it)."""

    source = models.CharField(max_length=8, choices=QaSource.choices)
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "QA checkpoint"

    def __str__(self) -> str:
        return self.text


class QaOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    CHANGES_NEEDED = "changes_needed", _("Changes needed")


class QaResult(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


class QaReview(models.Model):
    """A QA reviewer's outcome for ``version`` of ``agreement``, bound to its content hash."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="qa_reviews")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="qa_reviews")
    content_hash = models.CharField(max_length=64, help_text="Hash of the version as the QA reviewer read it.")
    outcome = models.CharField(max_length=16, choices=QaOutcome.choices)
    comments = models.TextField(blank=True)
    group_name = models.CharField(max_length=200, blank=True, help_text="The QA group the reviewer acted for.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer_name = models.CharField(max_length=200)
    reviewed_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-reviewed_at", "-pk"]
        verbose_name = "QA review"
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="changes_needed") | ~Q(comments=""),
                name="qa_review_changes_needed_has_comments",
            ),
        ]

    def __str__(self) -> str:
        return f"QA review of v{self.version.label}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A QA review is never changed: record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A QA review is never deleted.")


class QaFinding(models.Model):
    """The reviewer's finding on one checkpoint; the point's text is kept as it was read."""

    review = models.ForeignKey(QaReview, on_delete=models.PROTECT, related_name="findings")
    checkpoint = models.ForeignKey(QaCheckpoint, on_delete=models.PROTECT, related_name="+")
    checkpoint_text = models.CharField(max_length=300)
    result = models.CharField(max_length=8, choices=QaResult.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "checkpoint"], name="qa_finding_once_per_point"),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_text}: {self.get_result_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A QA finding is never changed: record a new review.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A QA finding is never deleted.")
