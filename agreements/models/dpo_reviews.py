"""A party's data protection officer's review of one exact version, before its lead signatory
signs it (issue 17, decision 0062). Append-only: a new review is a new row, the latest counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .parties import Party
from .versions import AgreementVersion


class DpoReviewOutcome(models.TextChoices):
    CONTENT_TO_SIGN = "content_to_sign", _("Content to sign")
    CHANGES_NEEDED = "changes_needed", _("Changes needed")


class DpoReview(models.Model):
    """A DPO's review of ``version`` for ``party``, bound to the version's content hash as a
    signature is: a review of version 1.0 says nothing about 2.0."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="dpo_reviews")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="dpo_reviews")
    content_hash = models.CharField(max_length=64, help_text="Hash of the version as the DPO reviewed it.")
    outcome = models.CharField(max_length=16, choices=DpoReviewOutcome.choices)
    comments = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer_name = models.CharField(max_length=200)
    reviewer_job_title = models.CharField(max_length=200, blank=True)
    reviewed_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="changes_needed") | ~Q(comments=""),
                name="dpo_review_changes_needed_has_comments",
            ),
        ]

    def __str__(self) -> str:
        return f"DPO review for {self.party.organisation} of v{self.version.label}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A DPO review is never changed: record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A DPO review is never deleted.")
