"""Agreements, the parties to them, their signatures, legal gateways, reviews and breaches.

The words are DOMAIN.md's: an *agreement* (or protocol, or charter) has *parties*; each party's
*lead signatory* signs an exact *version*; *legal gateways* are the law the sharing rests on.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from partners.models import Contact, Organisation

from . import clocks


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


class PartyStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    AWAITING_DETAILS = "awaiting_details", "Awaiting details"
    AWAIT_CASE = "await_case", "Await appropriate case before signing"
    SIGNED = "signed", "Signed"
    DECLINED = "declined", "Declined"
    WITHDRAWAL_NOTIFIED = "withdrawal_notified", "Withdrawal notified"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PartyQuerySet(models.QuerySet):
    def in_force(self, *, on):
        """Parties that may receive a disclosure on ``on``: signed, not yet withdrawn, and whose
        organisation still existed (an abolished body, such as a PCT, receives nothing new)."""
        return self.filter(
            Q(status=PartyStatus.SIGNED)
            | Q(status=PartyStatus.WITHDRAWAL_NOTIFIED, withdrawal_effective_on__gt=on)
        ).filter(Q(organisation__ceased_on__isnull=True) | Q(organisation__ceased_on__gt=on))


class Party(models.Model):
    """An organisation's place in an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="parties")
    status = models.CharField(max_length=24, choices=PartyStatus.choices, default=PartyStatus.INVITED)
    board_member = models.BooleanField(
        default=False, help_text="Sits on the partnership's board (001 Appendix 1).",
    )
    invited_on = models.DateField(null=True, blank=True)
    joined_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    withdrawal_notified_on = models.DateField(null=True, blank=True)
    withdrawal_effective_on = models.DateField(null=True, blank=True)
    status_note = models.CharField(
        max_length=255, blank=True, help_text="What the register says, word for word.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "organisation__name"]
        verbose_name_plural = "parties"
        permissions = [("sign_party", "Can sign the agreement for this party")]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="party_unique_organisation"),
            models.CheckConstraint(
                condition=~Q(status__in=[PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN])
                | (Q(withdrawal_notified_on__isnull=False) & Q(withdrawal_effective_on__isnull=False)),
                name="party_withdrawal_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(withdrawal_effective_on__isnull=True)
                | Q(withdrawal_effective_on__gt=F("withdrawal_notified_on")),
                name="party_withdrawal_takes_effect_after_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.agreement}"


class PartyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Party, on_delete=models.CASCADE)


class PartyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Party, on_delete=models.CASCADE)


class ContactRole(models.TextChoices):
    SPOC = "spoc", "Single point of contact (SPOC)"
    LEAD_SIGNATORY = "lead_signatory", "Lead signatory"
    CALDICOTT_GUARDIAN = "caldicott_guardian", "Caldicott Guardian"
    DPO = "dpo", "Data protection officer"
    DESIGNATED_MANAGER = "designated_manager", "Designated manager"


class PartyContact(models.Model):
    """A person named by a party for this agreement: its SPOC, lead signatory, DPO…"""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contacts")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="party_roles")
    role = models.CharField(max_length=24, choices=ContactRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "role", "contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["party", "contact", "role"], name="party_contact_unique_role"),
            models.UniqueConstraint(
                fields=["party"], condition=Q(role="lead_signatory"),
                name="party_one_lead_signatory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} – {self.get_role_display()}"


class DataItem(models.Model):
    """What a partner (or group of partners) shares under the agreement (001 §5.5)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="data_items")
    position = models.PositiveSmallIntegerField(default=0)
    provider_label = models.CharField(max_length=255, help_text="Who provides it, as the agreement says.")
    providers = models.ManyToManyField(Party, blank=True, related_name="data_items")
    level = models.CharField(max_length=12, choices=DataLevel.choices, default=DataLevel.DETAILED)
    description = models.TextField()

    history = HistoricalRecords(m2m_fields=[providers])

    class Meta:
        ordering = ["agreement", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


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


class SignatureMethod(models.TextChoices):
    PORTAL = "portal", "Signed in the portal"
    PAPER = "paper", "Signature form returned"


class Signature(models.Model):
    """A party's signature on one exact version."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    method = models.CharField(max_length=8, choices=SignatureMethod.choices)
    signatory_name = models.CharField(max_length=200)
    signatory_role = models.CharField(max_length=200, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="signatures", help_text="The signed-in user, for a portal signature.",
    )
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, help_text="Hash of the version as the signatory saw it.")
    declaration = models.TextField(blank=True)
    scan = models.FileField(upload_to="signature-scans/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["party", "version"], name="signature_once_per_version"),
            models.CheckConstraint(
                condition=~Q(method="portal")
                | (Q(signed_by__isnull=False) & Q(signed_at__isnull=False) & ~Q(declaration="")),
                name="signature_portal_has_user_time_and_declaration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signatory_name} for {self.party.organisation} on v{self.version.label}"


class SignedCopy(models.Model):
    """The PDF of a version every required party has signed, rendered once and never again
    (``agreements.services.signed_copies``). ``sha256`` is what ``/verify/`` matches an
    uploaded file against."""

    version = models.OneToOneField(AgreementVersion, on_delete=models.PROTECT, related_name="signed_copy")
    file = models.FileField(upload_to="signed-copies/%Y/")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the stored file, in lower-case hex.")
    size = models.PositiveIntegerField(help_text="Bytes.")
    frozen_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-frozen_at"]
        constraints = [
            models.UniqueConstraint(fields=["sha256"], name="signed_copy_sha256_unique"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="signed_copy_sha256_is_hex"),
            models.CheckConstraint(condition=Q(size__gt=0), name="signed_copy_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Signed copy of {self.version}"


class ReviewTrigger(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled review"
    BREACH = "breach", "After a breach"
    SUBSTANTIVE_CHANGE = "substantive_change", "Substantive change"
    LEGISLATION_CHANGE = "legislation_change", "Change in legislation"
    CHAIR_REQUEST = "chair_request", "Chair's request"


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", "No change"
    MINOR = "minor", "Minor change"
    SUBSTANTIVE = "substantive", "Substantive change: new version and re-signing"


class Review(models.Model):
    """A review of an agreement (001 §6.4; 002 §5): why it is due, who reviewed it, what they found.

    ``trigger_key`` names the audit-trail event a review was opened for ("breach:12",
    "version:7", "gateway:3:41"), so the same event never opens a second review
    (``agreements.reviews``).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    trigger = models.CharField(max_length=24, choices=ReviewTrigger.choices, default=ReviewTrigger.SCHEDULED)
    trigger_key = models.CharField(max_length=100, blank=True)
    reason = models.TextField(blank=True)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    reviewers = models.ManyToManyField(
        Contact, blank=True, related_name="reviews", help_text="Who reviewed the agreement.",
    )
    findings = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=ReviewOutcome.choices, blank=True)
    findings_report_due_on = models.DateField(null=True, blank=True)
    findings_reported_on = models.DateField(null=True, blank=True)
    resulting_version = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[reviewers])

    class Meta:
        ordering = ["agreement", "-due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | ~Q(outcome=""),
                name="review_completed_has_outcome",
            ),
            models.UniqueConstraint(
                fields=["agreement", "trigger_key"], condition=~Q(trigger_key=""),
                name="review_once_per_trigger",
            ),
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(trigger="scheduled", completed_on__isnull=True),
                name="review_one_open_scheduled",
            ),
            models.CheckConstraint(
                condition=Q(findings_reported_on__isnull=True)
                | (Q(completed_on__isnull=False) & Q(findings_reported_on__gte=F("completed_on"))),
                name="review_findings_reported_after_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.agreement} due {self.due_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:review_detail", args=[self.agreement_id, self.pk])


class ReviewAction(models.Model):
    """Something a review decided must be done, by whom and by when."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class BreachKind(models.TextChoices):
    BREACH = "breach", "Breach of the agreement"
    NEAR_MISS = "near_miss", "Near miss"


class Breach(models.Model):
    """A breach of the agreement, or a near miss (002 §6), and what followed: the partners told,
    the report of the partner in breach, the partners' meeting and its minutes, the actions and
    sanctions agreed, and the ICO's 72 hours for a personal data breach. Its deadlines are
    computed, never stored (``agreements.selectors.breach_deadlines``).
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
        return f"{self.get_kind_display()} – {self.agreement} – {self.discovered_at:%d %B %Y}"

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


class RequestKind(models.TextChoices):
    SUBJECT_ACCESS = "subject_access", "Subject access request"
    FREEDOM_OF_INFORMATION = "foi", "Freedom of information request"


class InformationRequest(models.Model):
    """A subject access or freedom of information request about an agreement's sharing.

    Routed, as 001 §6.2 says, to the party it concerns or, for the partnership as a whole
    (``party`` empty), to the agreement's owner. ``due_on`` is computed from ``received_on``
    when it is recorded (``agreements.clocks``).
    """

    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="information_requests")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="information_requests",
        help_text="The party the request concerns; empty for the partnership as a whole.",
    )
    routed_to = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="information_requests",
        help_text="The organisation that answers it.",
    )
    received_on = models.DateField()
    description = models.TextField(help_text="What is asked for, in a line or two; no names.")
    due_on = models.DateField()
    responded_on = models.DateField(null=True, blank=True)
    response_note = models.TextField(blank=True, help_text="How it was answered; no names.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gt=F("received_on")), name="information_request_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | Q(responded_on__gte=F("received_on")),
                name="information_request_responded_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} received {self.received_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("requests:detail", args=[self.pk])
