"""Recipients' copies (001 §5.6, §5.15): each recipient of an entry marked inaccurate, or destroyed
under the retention rule, confirms what it did with its own copy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from partners.models import Organisation

from .disclosures import Disclosure


class ConfirmationOutcome(models.TextChoices):
    PENDING = "pending", "Awaiting confirmation"
    CORRECTED = "corrected", "Corrected"
    DESTROYED = "destroyed", "Destroyed"


class ConfirmationReason(models.TextChoices):
    """Why a recipient is asked to confirm its copy corrected or destroyed."""

    INACCURACY = "inaccuracy", "Marked inaccurate"
    RETENTION = "retention", "Destroyed under the retention rule"


class RecipientDestructionConfirmation(models.Model):
    """A recipient confirming its own copy is corrected or destroyed: asked when the originator
    marks the entry inaccurate (001 §5.6), or when the entry is destroyed under the retention
    rule (001 §5.15), where destroying is the only answer."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="recipient_confirmations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=12, choices=ConfirmationReason.choices, default=ConfirmationReason.INACCURACY)
    requested_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=12, choices=ConfirmationOutcome.choices, default=ConfirmationOutcome.PENDING)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ConfirmationOutcome.PENDING)
                | (Q(confirmed_by__isnull=False) & Q(confirmed_at__isnull=False)),
                name="recipient_confirmation_has_confirmer",
            ),
            models.UniqueConstraint(fields=["disclosure", "organisation", "reason"],
                                    name="recipient_confirmation_once"),
            models.CheckConstraint(
                condition=~Q(reason=ConfirmationReason.RETENTION) | ~Q(outcome=ConfirmationOutcome.CORRECTED),
                name="retention_confirmation_is_destruction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_outcome_display()}"
