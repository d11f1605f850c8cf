"""Destruction under the retention rule (001 §5.15): what remains of an entry once its personal parts go."""

from django.db import models

from govuk_blocks.dates import long_date

from .disclosures import Disclosure


class Destruction(models.Model):
    """The record that remains when the retention purge removes an entry's personal parts.

    ``stub`` keeps the de-personalised facts: dates, categories, organisations, counts.
    """

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="destruction")
    destroyed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=255)
    stub = models.JSONField(default=dict)

    class Meta:
        ordering = ["-destroyed_at"]

    def __str__(self) -> str:
        return f"Entry {self.disclosure_id} destroyed {long_date(self.destroyed_at)}"
