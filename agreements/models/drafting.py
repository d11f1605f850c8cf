"""An agreement, its purposes and numbered sections, and the choices its terms are made of.

The words are DOMAIN.md's: an *agreement* (or protocol, or charter) has *parties*; each party's
*lead signatory* signs an exact *version*; *legal gateways* are the law the sharing rests on.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from partners.models import Contact, Organisation

from .. import clocks
from .gateways import GatewayStatus, LegalGateway


class Kind(models.TextChoices):
    # Labels in the reader's language (decision 0058): a version freezes the kind's value, not its
    # label, and the PDF shows the label in the agreement's language.
    FRAMEWORK = "framework", _("Charter or framework")
    GENERAL_PROTOCOL = "general_protocol", _("General protocol")
    AGREEMENT = "agreement", _("Information sharing agreement")
    INDIVIDUAL_PROTOCOL = "individual_protocol", _("Individual protocol")
    # Issue 17 item 3 (decision 0065): the kinds beside the protocols that partners also use.
    DATA_DISCLOSURE = "data_disclosure", _("Data disclosure agreement")
    JOINT_CONTROLLER = "joint_controller", _("Joint controller arrangement (UK GDPR Article 26)")
    PROCESSING_CONTRACT = "processing_contract", _("Processing contract (UK GDPR Article 28)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Consultation")
    AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
    IN_FORCE = "in_force", _("In force")
    UNDER_REVIEW = "under_review", _("Under review")
    SUPERSEDED = "superseded", _("Superseded")
    ENDED = "ended", _("Ended")


class DocumentLanguage(models.TextChoices):
    """The language an agreement's own text is written in (docs/decisions/0058): its PDF's /Lang
    and headings, and the lang attribute of its text on the portal's pages. BCP 47 tags, as
    HTML's lang and PDF's /Lang take them."""

    ENGLISH = "en-GB", "English"
    WELSH = "cy", "Cymraeg (Welsh)"

    @property
    def django_code(self) -> str:
        """The code Django's translation machinery knows it by (settings.LANGUAGES)."""
        return self.value.lower()


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


class RetentionBasis(models.TextChoices):
    """What an entry's retention period runs from (DOMAIN.md rule 8). An agreement has one
    rule or none; until it has one it cannot come into force."""

    AFTER_CLOSURE = "after_closure", "A number of months after the case is closed"
    FROM_DISCLOSURE = "from_disclosure", "A fixed period from the disclosure"


NO_RETENTION_RULE = "No retention rule: entries will not be destroyed until one is set"
# How long a case may stay open before it is flagged, unless the agreement says otherwise.
DEFAULT_CASE_OPEN_LIMIT_MONTHS = 12


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
    # Issue 16, item 5: a Welsh public body's agreement may be written in Welsh (decision 0058).
    language = models.CharField(
        max_length=8, choices=DocumentLanguage.choices, default=DocumentLanguage.ENGLISH,
        help_text="The language the agreement's text is written in.",
    )
    version = models.CharField(max_length=20, default="0.1", help_text="The current version label.")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    effective_date = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    last_review_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    # Blank (None) where the agreement sets no review policy: shown as "Review policy not set".
    review_first_after_months = models.PositiveSmallIntegerField(
        default=6, null=True, blank=True,
        help_text="First review this many months after it comes into force.",
    )
    review_every_months = models.PositiveSmallIntegerField(
        default=12, null=True, blank=True, help_text="Then a review every this many months.",
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
    retention_months_from_disclosure = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Shared records are destroyed this many months after the disclosure, whether or not "
                  "the case is closed.",
    )
    retention_rule = models.TextField(blank=True)
    case_open_limit_months = models.PositiveSmallIntegerField(
        default=DEFAULT_CASE_OPEN_LIMIT_MONTHS,
        help_text="A case still open this many months after it opened is flagged, so that its records "
                  "are not kept for ever (retention after closure).",
    )
    consent_position = models.TextField(blank=True)
    transfer_methods = models.JSONField(
        default=list, blank=True, help_text="Permitted transfer methods (TransferMethod values).",
    )
    # The breach clocks are the agreement's own (002 §6 sets 5/10/20/5): blank (None) means
    # "not set by this agreement", and that step has no due date of the agreement's making.
    breach_notify_working_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Other partners are told of a breach within this many working days.",
    )
    breach_notify_without_undue_delay = models.BooleanField(
        default=False,
        help_text="The agreement says the other partners are told of a breach without undue delay "
                  "(for example 004 Appendix B 1.3), not within a number of working days.",
    )
    breach_report_working_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The partner in breach reports within this many working days.",
    )
    breach_meeting_working_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The partners meet within this many working days.",
    )
    breach_minutes_working_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Minutes are circulated this many working days after the meeting.",
    )
    jurisdiction = models.CharField(
        max_length=20, choices=Jurisdiction.choices, default=Jurisdiction.ENGLAND_AND_WALES,
        help_text="Whose bank holidays are not working days for its breach and request clocks.",
    )
    gateways = models.ManyToManyField(LegalGateway, blank=True, related_name="agreements")
    dpo_review_required = models.BooleanField(
        default=False,
        help_text="Each party's data protection officer reviews a version, and finds it content to sign, "
                  "before the party's lead signatory may sign it (issue 17; decision 0062).",
    )
    qa_required = models.BooleanField(
        default=False,
        help_text="A named QA group or person reviews the version, and passes it, before the agreement may "
                  "come into force (issue 17 item 4; decision 0064).",
    )
    qa_group_name = models.CharField(max_length=200, blank=True, help_text="e.g. a WASPI regional QA group.")
    qa_reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[gateways, qa_reviewers])
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
                condition=Q(review_every_months__isnull=True, review_first_after_months__isnull=True)
                | Q(review_every_months__isnull=False, review_first_after_months__isnull=False),
                name="agreement_review_policy_whole_or_unset",
            ),
            models.CheckConstraint(
                condition=Q(breach_notify_without_undue_delay=False) | Q(breach_notify_working_days__isnull=True),
                name="agreement_breach_notice_one_rule",
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
            models.CheckConstraint(
                condition=Q(retention_months_after_closure__isnull=True)
                | Q(retention_months_from_disclosure__isnull=True),
                name="agreement_one_retention_rule",
            ),
            models.CheckConstraint(
                condition=(Q(retention_months_after_closure__isnull=True) | Q(retention_months_after_closure__gt=0))
                & (Q(retention_months_from_disclosure__isnull=True) | Q(retention_months_from_disclosure__gt=0))
                & Q(case_open_limit_months__gt=0),
                name="agreement_retention_months_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    @property
    def quoted(self) -> str:
        """“Title” (REF): how the portal's notices name the agreement in a sentence."""
        return f"“{self.title}”" + (f" ({self.reference})" if self.reference else "")

    @property
    def retention_basis(self) -> str:
        """The agreement's retention rule (a ``RetentionBasis``), or "" while it has none."""
        if self.retention_months_after_closure is not None:
            return RetentionBasis.AFTER_CLOSURE
        if self.retention_months_from_disclosure is not None:
            return RetentionBasis.FROM_DISCLOSURE
        return ""

    @property
    def retention_summary(self) -> str:
        """The rule in words, as every page shows it."""
        if self.retention_months_after_closure is not None:
            return f"Destroyed {self.retention_months_after_closure} months after the case is closed"
        if self.retention_months_from_disclosure is not None:
            return f"Destroyed {self.retention_months_from_disclosure} months after the disclosure"
        return NO_RETENTION_RULE

    @property
    def cites_repealed_law(self) -> bool:
        return self.gateways.exclude(status=GatewayStatus.CURRENT).exists()

    @property
    def review_policy_set(self) -> bool:
        """False where the agreement says nothing of its reviews: "Review policy not set"."""
        return self.review_first_after_months is not None and self.review_every_months is not None

    @property
    def breach_notice_text(self) -> str:
        """How soon the other partners are told of a breach, in the agreement's own terms."""
        if self.breach_notify_without_undue_delay:
            return "Without undue delay"
        if self.breach_notify_working_days is not None:
            days = self.breach_notify_working_days
            return f"Within {days} working day{'s' if days != 1 else ''}"
        return "Not set by this agreement"

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
