"""Reviews of an agreement and the actions they decide on."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from govuk_blocks.dates import long_date
from partners.models import Contact

from .drafting import Agreement
from .versions import AgreementVersion


class ReviewTrigger(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled review"
    BREACH = "breach", "After a breach"
    SUBSTANTIVE_CHANGE = "substantive_change", "Substantive change"
    LEGISLATION_CHANGE = "legislation_change", "Change in legislation"
    CHAIR_REQUEST = "chair_request", "Chair's request"
    DPIA_REVIEW = "dpia_review", "DPIA due for review"


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", "No change"
    MINOR = "minor", "Minor change"
    SUBSTANTIVE = "substantive", "Substantive change: new version and re-signing"


class Review(models.Model):
    """A review of an agreement (001 §6.4; 002 §5): why it is due, who reviewed it, what they found.

    ``trigger_key`` names the audit-trail event a review was opened for ("breach:12",
    "version:7", "gateway:3:41"), so the same event never opens a second review
    (``agreements.selectors.reviews``).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    trigger = models.CharField(max_length=24, choices=ReviewTrigger.choices, default=ReviewTrigger.SCHEDULED)
    trigger_key = models.CharField(max_length=100, blank=True)
    reason = models.TextField(blank=True)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    reviewers = models.ManyToManyField(
        Contact, blank=True, related_name="reviews", help_text="Who reviewed the agreement.",
    )
    findings = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=ReviewOutcome.choices, blank=True)
    findings_report_due_on = models.DateField(null=True, blank=True)
    findings_reported_on = models.DateField(null=True, blank=True)
    resulting_version = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[reviewers])

    class Meta:
        ordering = ["agreement", "-due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | ~Q(outcome=""),
                name="review_completed_has_outcome",
            ),
            models.UniqueConstraint(
                fields=["agreement", "trigger_key"], condition=~Q(trigger_key=""),
                name="review_once_per_trigger",
            ),
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(trigger=ReviewTrigger.SCHEDULED, completed_on__isnull=True),
                name="review_one_open_scheduled",
            ),
            models.CheckConstraint(
                condition=Q(findings_reported_on__isnull=True)
                | (Q(completed_on__isnull=False) & Q(findings_reported_on__gte=F("completed_on"))),
                name="review_findings_reported_after_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.agreement} due {long_date(self.due_on)}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:review_detail", args=[self.agreement_id, self.pk])


class ReviewAction(models.Model):
    """Something a review decided must be done, by whom and by when."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]
