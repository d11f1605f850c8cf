"""Amendments of an entry, beside it in the append-only log: a correction of one of its details,
its voiding, or a notice that it was inaccurate (``sharing_log.services.quality``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords

from .disclosures import Disclosure


class AmendmentKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    VOID = "void", "Voided"
    # The originator's notice that what was shared was wrong (001 §5.6): every recipient is
    # asked to correct or destroy its copy (``RecipientDestructionConfirmation``).
    INACCURATE = "inaccurate", "Marked inaccurate"


class Amendment(models.Model):
    """A correction to an entry, its voiding, or a notice that it was inaccurate, shown beside
    the original."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="amendments")
    kind = models.CharField(max_length=12, choices=AmendmentKind.choices)
    changes = models.JSONField(default=dict, blank=True, help_text="Field name → corrected value.")
    reason = models.TextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["disclosure", "made_at", "pk"]
        indexes = [
            # The entries under a case reference as corrected since (``with_case_reference``:
            # ``changes__case_reference__iexact``), without reading every correction ever made
            # (12,000 at a million entries; issue 15).
            models.Index(
                Upper(KT("changes__case_reference")), name="amendment_case_reference",
                condition=Q(kind=AmendmentKind.CORRECTION),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
            models.UniqueConstraint(
                fields=["disclosure"], condition=Q(kind=AmendmentKind.VOID), name="amendment_void_once",
            ),
            models.UniqueConstraint(
                fields=["disclosure"], condition=Q(kind=AmendmentKind.INACCURATE), name="amendment_inaccurate_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of entry {self.disclosure_id}"
