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


class AffectedPeopleDecision(models.TextChoices):
    """What was done about telling the people a high-risk personal data breach affects (UK GDPR
    Art 34): told them, or the Art 34(3) condition that meant they were not told one by one."""

    TOLD = "told", "Told the people affected"
    UNINTELLIGIBLE = "unintelligible", (
        "Not told: the data were unintelligible to anyone not authorised to see them, for example "
        "encrypted (Article 34(3)(a))"
    )
    MEASURES = "measures", (
        "Not told: measures taken since mean the high risk is no longer likely to happen (Article 34(3)(b))"
    )
    PUBLIC_NOTICE = "public_notice", (
        "Not told one by one, as that would take disproportionate effort: a public communication "
        "was made instead (Article 34(3)(c))"
    )


# The decisions that carry a date: the day the people were told, or the public communication made.
AFFECTED_DATED = (AffectedPeopleDecision.TOLD, AffectedPeopleDecision.PUBLIC_NOTICE)


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
    affected_high_risk = models.BooleanField(
        null=True, blank=True,
        help_text="Whether it is likely to result in a high risk to the rights and freedoms of the people "
                  "affected (UK GDPR Art 34(1)); empty until assessed.",
    )
    affected_decision = models.CharField(
        max_length=16, blank=True, choices=AffectedPeopleDecision.choices,
        help_text="For a high-risk breach: told, or why not (Art 34(3)); empty while still to decide.",
    )
    affected_told_on = models.DateField(
        null=True, blank=True, help_text="The day the people affected were told, or the public communication made.",
    )
    affected_note = models.TextField(
        blank=True, help_text="Why it is not high risk, how the people were told, or why they were not; no names.",
    )
    affected_decided_at = models.DateTimeField(null=True, blank=True)
    affected_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
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
            models.CheckConstraint(
                condition=Q(affected_decision="") | Q(affected_high_risk=True),
                name="breach_affected_decision_only_if_high_risk",
            ),
            models.CheckConstraint(
                condition=Q(affected_told_on__isnull=True) | Q(affected_decision__in=AFFECTED_DATED),
                name="breach_affected_told_on_only_if_told",
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

    @property
    def affected_decided(self) -> bool:
        """The Article 34 decision is made: not high risk, or high risk and told or why not."""
        return self.affected_high_risk is False or bool(self.affected_decision)

    @property
    def affected_decision_awaited(self) -> bool:
        """A personal data breach, reported to the ICO or assessed as high risk, whose Article 34
        decision on telling the people affected is still to be made."""
        return (
            self.personal_data_breach and not self.affected_decided
            and (self.ico_reported_at is not None or self.affected_high_risk is True)
        )


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
