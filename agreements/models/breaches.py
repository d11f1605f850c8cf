"""Breaches of an agreement and near misses, and the parties told of each."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from govuk_blocks.dates import long_date
from partners.models import Organisation

from .drafting import Agreement
from .parties import Party


class BreachKind(models.TextChoices):
    BREACH = "breach", "Breach of the agreement"
    NEAR_MISS = "near_miss", "Near miss"


class Breach(models.Model):
    """A breach of the agreement, or a near miss (002 §6), and what followed: the partners told,
    the report of the partner in breach, the partners' meeting and its minutes, the actions and
    sanctions agreed, and the ICO's 72 hours for a personal data breach. Its deadlines are
    computed, never stored (``agreements.selectors.breaches.breach_deadlines``).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="breaches")
    kind = models.CharField(max_length=12, choices=BreachKind.choices, default=BreachKind.BREACH)
    reporting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="breaches_reported",
    )
    discovered_at = models.DateTimeField()
    description = models.TextField(help_text="What happened and what data was involved; no names.")
    data_involved = models.TextField(blank=True, help_text="What data, by kind and number of people; no names.")
    personal_data_breach = models.BooleanField(
        default=False, help_text="A personal data breach that may need reporting to the ICO within 72 hours.",
    )
    ico_reported_at = models.DateTimeField(null=True, blank=True)
    ico_not_reported_reason = models.TextField(
        blank=True, help_text="Why the breach was not reported to the ICO (UK GDPR Art 33(5)).",
    )
    ico_decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When the decision on reporting to the ICO was recorded.",
    )
    report_received_on = models.DateField(null=True, blank=True)
    report_summary = models.TextField(
        blank=True, help_text="What the report of the partner in breach found and the actions it took.",
    )
    meeting_held_on = models.DateField(null=True, blank=True)
    minutes_circulated_on = models.DateField(null=True, blank=True)
    actions = models.TextField(blank=True)
    sanctions = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-discovered_at"]
        verbose_name_plural = "breaches"
        constraints = [
            models.CheckConstraint(
                condition=Q(ico_reported_at__isnull=True) | Q(ico_reported_at__gte=F("discovered_at")),
                name="breach_ico_report_after_discovery",
            ),
            models.CheckConstraint(
                condition=Q(ico_reported_at__isnull=True) | Q(ico_not_reported_reason=""),
                name="breach_ico_reported_or_reason_not",
            ),
            models.CheckConstraint(
                condition=Q(minutes_circulated_on__isnull=True)
                | (Q(meeting_held_on__isnull=False) & Q(minutes_circulated_on__gte=F("meeting_held_on"))),
                name="breach_minutes_after_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.agreement} – {long_date(self.discovered_at)}"

    def get_absolute_url(self) -> str:
        return reverse("breaches:detail", args=[self.pk])

    @property
    def is_near_miss(self) -> bool:
        return self.kind == BreachKind.NEAR_MISS

    @property
    def ico_decided(self) -> bool:
        return self.ico_reported_at is not None or bool(self.ico_not_reported_reason)


class BreachNotification(models.Model):
    """A party told of a breach, and its acknowledgement."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="notifications")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="breach_notifications")
    notified_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["breach", "party__organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["breach", "party"], name="breach_notified_once_per_party"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=F("notified_at")),
                name="breach_acknowledged_after_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party.organisation} told of {self.breach}"
