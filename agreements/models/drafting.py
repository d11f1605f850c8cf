"""An agreement, its purposes and numbered sections, and the choices its terms are made of.

The words are DOMAIN.md's: an *agreement* (or protocol, or charter) has *parties*; each party's
*lead signatory* signs an exact *version*; *legal gateways* are the law the sharing rests on.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from partners.models import Contact, Organisation

from .. import clocks
from .gateways import GatewayStatus, LegalGateway


class Kind(models.TextChoices):
    FRAMEWORK = "framework", "Charter or framework"
    GENERAL_PROTOCOL = "general_protocol", "General protocol"
    AGREEMENT = "agreement", "Information sharing agreement"
    INDIVIDUAL_PROTOCOL = "individual_protocol", "Individual protocol"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Consultation"
    AWAITING_SIGNATURES = "awaiting_signatures", "Awaiting signatures"
    IN_FORCE = "in_force", "In force"
    UNDER_REVIEW = "under_review", "Under review"
    SUPERSEDED = "superseded", "Superseded"
    ENDED = "ended", "Ended"


class ProtectiveMarking(models.TextChoices):
    NOT_MARKED = "not_marked", "Not protectively marked"
    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"


class TransferMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure e-mail (for example .gov.uk to .gov.uk or NHSmail)"
    ENCRYPTED_EMAIL = "encrypted_email", "Encrypted e-mail attachment"
    SECURE_PORTAL = "secure_portal", "Secure case management system or portal"
    MEETING = "meeting", "In a meeting"
    TELEPHONE = "telephone", "Telephone"
    HAND_DELIVERY = "hand_delivery", "By hand"
    POST = "post", "Recorded or special delivery post"
    FAX = "fax", "Safe-haven fax"


class DataLevel(models.TextChoices):
    """Levels of 002 §3.7–3.9: how much is shared about a person."""

    AGGREGATE = "aggregate", "Aggregate (no one identifiable)"
    MINIMUM = "minimum", "Minimum data (identifying details)"
    DETAILED = "detailed", "Detailed"
    SENSITIVE = "sensitive", "Detailed and sensitive"


class Jurisdiction(models.TextChoices):
    """Whose bank holidays an agreement's working-day clocks skip (``agreements.clocks``)."""

    ENGLAND_AND_WALES = clocks.ENGLAND_AND_WALES, "England and Wales"
    SCOTLAND = clocks.SCOTLAND, "Scotland"
    NORTHERN_IRELAND = clocks.NORTHERN_IRELAND, "Northern Ireland"


class AgreementQuerySet(models.QuerySet):
    # Statuses under which the agreement binds its parties and disclosures may be logged.
    BINDING = (Status.IN_FORCE, Status.UNDER_REVIEW)

    def in_force(self, *, on):
        return self.filter(status__in=self.BINDING, effective_date__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )


class Agreement(models.Model):
    """An information sharing agreement, protocol or charter."""

    title = models.CharField(max_length=255)
    reference = models.CharField(max_length=60, blank=True, help_text="For example CSP ISA.")
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.AGREEMENT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        help_text="The framework or general protocol this agreement sits under.",
    )
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="owned_agreements")
    drawn_up_by = models.ManyToManyField(Contact, blank=True, related_name="agreements_drawn_up")
    protective_marking = models.CharField(
        max_length=24, choices=ProtectiveMarking.choices, default=ProtectiveMarking.OFFICIAL,
    )
    version = models.CharField(max_length=20, default="0.1", help_text="The current version label.")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    effective_date = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    last_review_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    review_first_after_months = models.PositiveSmallIntegerField(
        default=6, help_text="First review this many months after it comes into force.",
    )
    review_every_months = models.PositiveSmallIntegerField(
        default=12, help_text="Then a review every this many months.",
    )
    review_after_breach = models.BooleanField(default=True)
    review_overdue_grace_days = models.PositiveSmallIntegerField(
        default=90,
        help_text="Days after a review falls overdue during which disclosures may still be logged, "
                  "with a warning; after them logging is refused until the review is completed.",
    )
    resigning_grace_days = models.PositiveSmallIntegerField(
        default=60,
        help_text="Days a party has to sign a substantively changed version; after them it receives "
                  "nothing new under the agreement until it signs.",
    )
    retention_months_after_closure = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Shared records are destroyed this many months after the case is closed.",
    )
    retention_rule = models.TextField(blank=True)
    consent_position = models.TextField(blank=True)
    transfer_methods = models.JSONField(
        default=list, blank=True, help_text="Permitted transfer methods (TransferMethod values).",
    )
    breach_notify_working_days = models.PositiveSmallIntegerField(default=5)
    breach_report_working_days = models.PositiveSmallIntegerField(default=10)
    breach_meeting_working_days = models.PositiveSmallIntegerField(default=20)
    breach_minutes_working_days = models.PositiveSmallIntegerField(default=5)
    jurisdiction = models.CharField(
        max_length=20, choices=Jurisdiction.choices, default=Jurisdiction.ENGLAND_AND_WALES,
        help_text="Whose bank holidays are not working days for its breach and request clocks.",
    )
    gateways = models.ManyToManyField(LegalGateway, blank=True, related_name="agreements")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[gateways])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [
            ("manage_agreement", "Can draft, invite partners and move the agreement through its life"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="agreement_not_own_parent"),
            models.CheckConstraint(
                condition=Q(review_every_months__gt=0) & Q(review_first_after_months__gt=0),
                name="agreement_review_intervals_positive",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(effective_date__isnull=True)
                | Q(ended_on__gte=F("effective_date")),
                name="agreement_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.IN_FORCE, Status.UNDER_REVIEW])
                | Q(effective_date__isnull=False),
                name="agreement_in_force_has_effective_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    @property
    def cites_repealed_law(self) -> bool:
        return self.gateways.exclude(status=GatewayStatus.CURRENT).exists()

    def get_transfer_methods_display(self) -> list[str]:
        labels = dict(TransferMethod.choices)
        return [labels.get(method, method) for method in self.transfer_methods]


class AgreementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Agreement, on_delete=models.CASCADE)


class AgreementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Agreement, on_delete=models.CASCADE)


class Purpose(models.Model):
    """One purpose of an agreement; a disclosure names the purpose it served."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="purposes")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Section(models.Model):
    """A numbered section (or appendix) of the agreement's text."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(max_length=20, blank=True)
    heading = models.CharField(max_length=255)
    body = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}" if self.number else self.heading
