"""Legal gateways: the provisions of law that permit or require sharing (reference data)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class GatewayCategory(models.TextChoices):
    ART6 = "art6", "UK GDPR Article 6 lawful basis"
    ART9 = "art9", "UK GDPR Article 9 condition"
    DPA2018_SCH1 = "dpa2018_sch1", "DPA 2018 Schedule 1 condition"
    # Law-enforcement processing by competent authorities (DPA 2018 Part 3 and Schedule 8):
    # their entries rest on these instead of UK GDPR Article 6 (COMPLIANCE.md, Lawful basis).
    DPA2018_PART3 = "dpa2018_part3", "DPA 2018 Part 3 (law enforcement)"
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
    repealed_on = models.DateField(
        null=True, blank=True, help_text="When it was repealed or superseded, where known.",
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

    @property
    def plain_name(self) -> str:
        """As people say it: "Public task – UK GDPR Article 6(1)(e)" (decision 0040)."""
        law = f"{self.instrument} {self.provision.replace('Art ', 'Article ', 1)}".strip()
        return f"{self.title} – {law}" if self.title else law


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting a decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class GatewayProposal(models.Model):
    """A legal gateway a governance manager asks to add to the catalogue.

    Nobody can cite it until a portal administrator approves it; approval adds it to the
    catalogue (``gateway``). A rejection gives its reason.
    """

    instrument = models.CharField(max_length=200, help_text="The Act, Regulation or doctrine.")
    provision = models.CharField(max_length=120, blank=True, help_text="For example s115 or Sch 4 para 7.")
    title = models.CharField(max_length=255)
    summary = models.TextField(help_text="What it allows, in plain English.")
    category = models.CharField(max_length=20, choices=GatewayCategory.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gateway_proposals",
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was not approved.")
    gateway = models.ForeignKey(
        LegalGateway, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PROPOSED, decided_at__isnull=True, gateway__isnull=True)
                | Q(status=ProposalStatus.APPROVED, decided_at__isnull=False, gateway__isnull=False)
                | (Q(status=ProposalStatus.REJECTED, decided_at__isnull=False, gateway__isnull=True) & ~Q(reason="")),
                name="gateway_proposal_decided_consistently",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.provision}".strip()
