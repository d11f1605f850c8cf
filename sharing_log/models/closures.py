"""Case closure (001 §5.15): when an organisation closes a case, the retention clock of its entries starts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from simple_history.models import HistoricalRecords

from govuk_blocks.dates import long_date
from partners.models import Organisation


class CaseClosure(models.Model):
    """An organisation closing a case: the retention clock of the entries it logged under that
    case reference starts here (001 §5.15).

    One row per organisation and case reference. Changing the closing date, re-opening the case
    and closing it again change the row; its history keeps every step, with who and why.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="case_closures")
    case_reference = models.CharField(max_length=60)
    closed_on = models.DateField()
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reopened_on = models.DateField(
        null=True, blank=True, help_text="Set while the case is open again: its entries then have no retention date.",
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    reason = models.TextField(
        max_length=1000, blank=True, help_text="Why the closing date was last changed, or the case re-opened.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-closed_on", "case_reference"]
        # Closures are found by case reference in any letter case (``case_reference__iexact``).
        indexes = [models.Index("organisation", Upper("case_reference"), name="case_closure_by_upper")]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "case_reference"], name="case_closed_once"),
            models.CheckConstraint(condition=~Q(case_reference=""), name="case_closure_has_reference"),
            models.CheckConstraint(
                condition=Q(reopened_on__isnull=True, reopened_by__isnull=True)
                | (Q(reopened_on__isnull=False, reopened_by__isnull=False) & ~Q(reason="")),
                name="case_reopening_has_who_and_why",
            ),
            models.CheckConstraint(
                condition=Q(reopened_on__isnull=True) | Q(reopened_on__gte=models.F("closed_on")),
                name="case_reopened_after_closing",
            ),
        ]

    def __str__(self) -> str:
        if self.reopened_on:
            return f"Case re-opened on {long_date(self.reopened_on)}"
        return f"Case closed on {long_date(self.closed_on)}"

    def get_absolute_url(self) -> str:
        return reverse("sharing_log:case", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.reopened_on is None
