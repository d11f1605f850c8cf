"""Escalation of a refusal to share (004 §6.4; DOMAIN.md rule 11)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partners.models import Organisation

from .disclosures import Disclosure


class EscalationOutcome(models.TextChoices):
    SHARED = "shared", "Information shared after escalation"
    UPHELD = "upheld", "Refusal upheld"
    WITHDRAWN = "withdrawn", "Escalation withdrawn"


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Escalation(models.Model):
    """A partner escalating a refusal to share that it believes leaves a child unsafe, to the
    agreement's lead for a decision "at pace" (004 §6.4; DOMAIN.md rule 11).

    ``disclosure`` is the refusal: an entry whose decision is "not shared" or "request
    refused". The lead is the agreement's owner organisation. ``concern`` and
    ``resolution_note`` are minimal free text, like an entry's summary: no names.
    """

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="escalations")
    raised_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    concern = models.TextField(
        max_length=1000, help_text="Why the information is needed to keep a child safe. No names.",
    )
    status = models.CharField(max_length=8, choices=EscalationStatus.choices, default=EscalationStatus.OPEN)
    outcome = models.CharField(max_length=12, choices=EscalationOutcome.choices, blank=True)
    resolution_note = models.TextField(max_length=1000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    # Free text the retention purge must take with the entry it escalates.
    PERSONAL_FIELDS = ("concern", "resolution_note")

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure"], condition=Q(status=EscalationStatus.OPEN), name="escalation_open_once",
            ),
            models.CheckConstraint(condition=~Q(concern=""), name="escalation_has_concern"),
            models.CheckConstraint(
                condition=(
                    Q(status=EscalationStatus.OPEN, outcome="", resolution_note="", resolved_by__isnull=True,
                      resolved_at__isnull=True)
                    | (Q(status=EscalationStatus.RESOLVED, resolved_by__isnull=False, resolved_at__isnull=False)
                       & ~Q(outcome="") & ~Q(resolution_note=""))
                ),
                name="escalation_resolution_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation of entry {self.disclosure_id} by {self.raised_by_organisation}"

    def get_absolute_url(self) -> str:
        return reverse("sharing_log:escalation", args=[self.pk])
