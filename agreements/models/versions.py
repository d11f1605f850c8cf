"""The frozen versions of an agreement's text."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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
