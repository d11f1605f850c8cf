"""Onward disclosure (001 §5.7): a recipient asking the originating SPOC's consent to pass an entry on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from partners.models import Organisation

from .disclosures import Disclosure


class OnwardDecision(models.TextChoices):
    PENDING = "pending", "Awaiting the originating SPOC"
    GRANTED = "granted", "Consent given"
    REFUSED = "refused", "Consent refused"


class OnwardDisclosureRequest(models.Model):
    """A recipient asking the originating SPOC's written consent to pass information on (001 §5.7)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="onward_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    third_party = models.CharField(max_length=255, help_text="The organisation it would be passed to.")
    # Set when the third party is in the directory: a correction of the entry then reaches it
    # too (001 §5.6). A third party outside the directory is named in ``third_party`` alone.
    third_party_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="onward_requests_received",
    )
    purpose = models.TextField()
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=8, choices=OnwardDecision.choices, default=OnwardDecision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    # Free text the retention purge must take with the entry it points at.
    PERSONAL_FIELDS = ("purpose", "decision_reason")

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=OnwardDecision.PENDING)
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="onward_decision_has_decider",
            ),
            models.CheckConstraint(condition=~Q(third_party=""), name="onward_names_third_party"),
            models.CheckConstraint(
                condition=Q(decision=OnwardDecision.PENDING) | ~Q(decision_reason=""),
                name="onward_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Onward disclosure of entry {self.disclosure_id} to {self.third_party}"
