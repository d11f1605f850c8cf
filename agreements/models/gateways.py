"""Legal gateways: the provisions of law that permit or require sharing (reference data)."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class GatewayCategory(models.TextChoices):
    ART6 = "art6", "UK GDPR Article 6 lawful basis"
    ART9 = "art9", "UK GDPR Article 9 condition"
    DPA2018_SCH1 = "dpa2018_sch1", "DPA 2018 Schedule 1 condition"
    STATUTE = "statute", "Statutory power or duty"
    COMMON_LAW = "common_law", "Common law"
    CONVENTION = "convention", "Convention right"


class GatewayStatus(models.TextChoices):
    CURRENT = "current", "In force"
    REPEALED = "repealed", "Repealed"
    SUPERSEDED = "superseded", "Superseded"


class LegalGateway(models.Model):
    """A provision of law that permits or requires sharing, e.g. Crime and Disorder Act 1998 s115."""

    key = models.SlugField(max_length=80, unique=True)
    instrument = models.CharField(max_length=200, help_text="The Act, Regulation or doctrine.")
    provision = models.CharField(max_length=120, blank=True, help_text="For example s115 or Art 6(1)(e).")
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True, help_text="What it allows, in plain English.")
    category = models.CharField(max_length=20, choices=GatewayCategory.choices)
    status = models.CharField(max_length=12, choices=GatewayStatus.choices, default=GatewayStatus.CURRENT)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces",
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "provision"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(replaced_by=F("pk")), name="gateway_not_replaced_by_itself",
            ),
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True) | ~Q(status=GatewayStatus.CURRENT),
                name="gateway_replacement_only_when_not_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.provision}".strip()

    @property
    def is_current(self) -> bool:
        return self.status == GatewayStatus.CURRENT
