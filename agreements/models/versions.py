"""The frozen versions of an agreement's text."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .drafting import Agreement


class AgreementVersion(models.Model):
    """A frozen version of an agreement's text: what a lead signatory signs."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=20)
    content = models.JSONField(help_text="The agreement's text and terms as signed.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical content.")
    substantive = models.BooleanField(default=True)
    change_summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_on = models.DateField(
        null=True, blank=True,
        help_text="When a version that predates the portal was issued; otherwise the day it was made here.",
    )
    text_held = models.BooleanField(
        default=True, help_text="False for an earlier version recorded from the partnership's files: "
                                "its number, date and what changed are known, its text is not held here.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=Q(number__gt=0), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.label}"

    @property
    def issued(self):
        """The day the version was issued: recorded for one that predates the portal."""
        return self.issued_on or timezone.localdate(self.created_at)
