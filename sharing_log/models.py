"""The sharing log: every disclosure of personal data under an agreement, and every decision not to.

The log is append-only. A ``Disclosure`` is never updated or deleted once saved: corrections,
voiding, acknowledgements, onward-disclosure consents and destruction are records of their own
that point at it. There are two exceptions, both about retention (DOMAIN.md rule 8): closing a
case sets the entries' ``retention_due_on`` (``Disclosure.RETENTION_FIELDS``, written on its
own), and the retention purge removes the personal parts listed in
``Disclosure.PERSONAL_FIELDS`` (in the entry and its history) and leaves a ``Destruction`` record.

Privacy by design: ``case_reference`` is pseudonymous and ``summary`` is minimal. The log must
never become a second copy of the case file.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.models import (
    Agreement,
    DataLevel,
    GatewayCategory,
    LegalGateway,
    ProtectiveMarking,
    Purpose,
    TransferMethod,
)
from partners.models import Organisation


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an entry of the append-only log."""


class Decision(models.TextChoices):
    SHARED = "shared", "Shared"
    NOT_SHARED = "not_shared", "Decided not to share"
    REQUEST_REFUSED = "request_refused", "Request refused"


class SubjectType(models.TextChoices):
    CHILD = "child", "Child"
    YOUNG_PERSON = "young_person", "Young person"
    ADULT = "adult", "Adult"
    FAMILY = "family", "Family"
    VICTIM = "victim", "Victim"
    OFFENDER = "offender", "Offender or alleged offender"
    LOCATION = "location", "Location"


class DataCategory(models.TextChoices):
    IDENTITY = "identity", "Identity and contact details"
    FAMILY = "family", "Family, household and associations"
    HOUSING = "housing", "Housing and tenancy"
    EDUCATION = "education", "Education"
    SOCIAL_CARE = "social_care", "Social care"
    ASB = "asb", "Anti-social behaviour"
    RISK = "risk", "Risk and safeguarding concerns"
    FINANCIAL = "financial", "Financial"
    OTHER = "other", "Other"


class SpecialCategory(models.TextChoices):
    """UK GDPR Article 9(1) special categories."""

    HEALTH = "health", "Health (physical or mental)"
    ETHNICITY = "ethnicity", "Racial or ethnic origin"
    RELIGION = "religion", "Religious or philosophical beliefs"
    POLITICS = "politics", "Political opinions"
    TRADE_UNION = "trade_union", "Trade union membership"
    GENETIC = "genetic", "Genetic data"
    BIOMETRIC = "biometric", "Biometric data used to identify"
    SEX_LIFE = "sex_life", "Sex life"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"


class ConsentStatus(models.TextChoices):
    EXPLICIT = "explicit", "Explicit consent given"
    IMPLIED = "implied", "Implied consent"
    NOT_SOUGHT = "not_sought", "Consent not sought"
    REFUSED_OVERRIDDEN = "refused_overridden", "Consent refused but overridden"
    REFUSED = "refused", "Consent refused (not shared)"


class SubjectInformed(models.TextChoices):
    YES = "yes", "Yes, the person was told"
    NOT_YET = "not_yet", "Not yet, they will be told"
    NO = "no", "No"


class FactOrOpinion(models.TextChoices):
    FACT = "fact", "Fact"
    OPINION = "opinion", "Professional opinion"
    BOTH = "both", "Fact and opinion, each marked"


class DisclosureQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The sharing log is append-only: record an amendment instead.")

    def delete(self):
        raise AppendOnlyError("The sharing log is append-only: void the entry with a reason instead.")


class Disclosure(models.Model):
    """One entry in the sharing log: a disclosure, or a decision not to disclose."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="disclosures")
    disclosing_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="disclosures_made",
    )
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disclosures",
    )
    recipient_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="disclosures_received",
    )
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_job_title = models.CharField(max_length=200, blank=True)
    recipient_contact = models.CharField(max_length=200, blank=True, help_text="Work e-mail or phone.")
    occurred_at = models.DateTimeField(help_text="When the information was shared or the decision made.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.SHARED)
    decision_reason = models.TextField(blank=True, help_text="Why, above all when not sharing.")
    case_reference = models.CharField(
        max_length=60, help_text="Your organisation's pseudonymous case reference. Never a name.",
    )
    subject_type = models.CharField(max_length=16, choices=SubjectType.choices)
    data_level = models.CharField(max_length=12, choices=DataLevel.choices)
    data_categories = models.JSONField(default=list, blank=True)
    special_categories = models.JSONField(default=list, blank=True)
    criminal_offence_data = models.BooleanField(default=False)
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="disclosures")
    art6_basis = models.ForeignKey(
        LegalGateway, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"category": GatewayCategory.ART6}, verbose_name="UK GDPR Article 6 basis",
    )
    art9_condition = models.ForeignKey(
        LegalGateway, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"category__in": [GatewayCategory.ART9, GatewayCategory.DPA2018_SCH1]},
        verbose_name="Article 9 condition",
    )
    criminal_offence_condition = models.ForeignKey(
        LegalGateway, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"category": GatewayCategory.DPA2018_SCH1},
        verbose_name="DPA 2018 Schedule 1 condition for criminal-offence data",
    )
    gateways = models.ManyToManyField(LegalGateway, blank=True, related_name="disclosures")
    consent_status = models.CharField(max_length=20, choices=ConsentStatus.choices)
    consent_reason = models.TextField(blank=True)
    confidentiality_breached = models.BooleanField(
        default=False, help_text="Confidential information shared without consent.",
    )
    authorised_by = models.CharField(
        max_length=200, blank=True,
        help_text="The designated manager who authorised an override (name and role).",
    )
    subject_informed = models.CharField(max_length=8, choices=SubjectInformed.choices)
    subject_not_informed_reason = models.TextField(blank=True)
    fact_or_opinion = models.CharField(max_length=8, choices=FactOrOpinion.choices, default=FactOrOpinion.FACT)
    transfer_method = models.CharField(max_length=20, choices=TransferMethod.choices, blank=True)
    protective_marking = models.CharField(
        max_length=24, choices=ProtectiveMarking.choices, default=ProtectiveMarking.OFFICIAL_SENSITIVE,
    )
    summary = models.TextField(
        max_length=1000, blank=True, help_text="The least that explains what was shared. No names.",
    )
    summary_checked = models.BooleanField(
        default=False,
        help_text="The person logging confirmed that a summary which looked identifying holds nothing identifying.",
    )
    can_i_share_answers = models.JSONField(default=dict, blank=True)
    retention_due_on = models.DateField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[gateways])
    objects = DisclosureQuerySet.as_manager()

    # The fields that identify or describe a person; the retention purge removes them.
    PERSONAL_FIELDS = ("case_reference", "summary", "recipient_name", "recipient_job_title",
                       "recipient_contact", "decision_reason", "consent_reason",
                       "subject_not_informed_reason", "authorised_by", "can_i_share_answers")
    # The one field ``save(update_fields=...)`` may write after logging (case closure).
    RETENTION_FIELDS = ("retention_due_on",)
    # What the retention purge writes, the only other update the log allows.
    PURGE_FIELDS = (*PERSONAL_FIELDS, "purged_at")

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["disclosing_organisation", "-occurred_at"], name="disclosure_by_discloser"),
            models.Index(fields=["recipient_organisation", "-occurred_at"], name="disclosure_by_recipient"),
            models.Index(fields=["disclosing_organisation", "case_reference"], name="disclosure_by_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=Decision.SHARED) | Q(art6_basis__isnull=False) | Q(purged_at__isnull=False),
                name="disclosure_shared_has_art6_basis",
            ),
            models.CheckConstraint(
                condition=~Q(decision=Decision.SHARED) | Q(special_categories=[]) | Q(art9_condition__isnull=False),
                name="disclosure_special_category_has_art9_condition",
            ),
            models.CheckConstraint(
                condition=~Q(decision=Decision.SHARED) | Q(criminal_offence_data=False)
                | Q(criminal_offence_condition__isnull=False),
                name="disclosure_criminal_offence_has_condition",
            ),
            models.CheckConstraint(
                condition=~Q(decision__in=[Decision.NOT_SHARED, Decision.REQUEST_REFUSED]) | ~Q(decision_reason="")
                | Q(purged_at__isnull=False),
                name="disclosure_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(consent_status__in=[ConsentStatus.NOT_SOUGHT, ConsentStatus.REFUSED_OVERRIDDEN])
                | ~Q(consent_reason="") | Q(purged_at__isnull=False),
                name="disclosure_consent_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=(~Q(consent_status=ConsentStatus.REFUSED_OVERRIDDEN) & Q(confidentiality_breached=False))
                | ~Q(authorised_by="") | Q(purged_at__isnull=False),
                name="disclosure_override_is_authorised",
            ),
            models.CheckConstraint(
                condition=~Q(disclosing_organisation=models.F("recipient_organisation")),
                name="disclosure_to_another_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.occurred_at:%d %b %Y} → {self.recipient_organisation}"

    def save(self, *args, **kwargs):
        # A guard, not a side effect: it keeps the log append-only whatever the caller. The
        # retention due date alone may be written later, and only on its own: it says when the
        # record goes, not what was shared, and is known only when the case closes (001 §5.15).
        update_fields = list(kwargs.get("update_fields") or ())
        retention_only = update_fields == list(self.RETENTION_FIELDS)
        if not self._state.adding and not retention_only and not self._is_purge(update_fields):
            raise AppendOnlyError("The sharing log is append-only: record an amendment instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The sharing log is append-only: void the entry with a reason instead.")

    @property
    def is_special_category(self) -> bool:
        return bool(self.special_categories)

    def _is_purge(self, update_fields: list[str]) -> bool:
        """The retention purge (``sharing_log.services.retention``), and nothing else: flagged,
        writing exactly ``PURGE_FIELDS``, with ``purged_at`` set and every personal field empty.
        It can take personal parts away; it can never put any in."""
        return (
            getattr(self, "_purging", False)
            and sorted(update_fields) == sorted(self.PURGE_FIELDS)
            and self.purged_at is not None
            and not any(getattr(self, name) for name in self.PERSONAL_FIELDS)
        )


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


class Acknowledgement(models.Model):
    """The recipient's confirmation that the information arrived (003 Q21)."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="acknowledgement")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Receipt of entry {self.disclosure_id} acknowledged"


class OnwardDecision(models.TextChoices):
    PENDING = "pending", "Awaiting the originating SPOC"
    GRANTED = "granted", "Consent given"
    REFUSED = "refused", "Consent refused"


class OnwardDisclosureRequest(models.Model):
    """A recipient asking the originating SPOC's written consent to pass information on (001 §5.7)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="onward_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    third_party = models.CharField(max_length=255, help_text="The organisation it would be passed to.")
    # Set when the third party is in the directory: a correction of the entry then reaches it
    # too (001 §5.6). A third party outside the directory is named in ``third_party`` alone.
    third_party_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="onward_requests_received",
    )
    purpose = models.TextField()
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=8, choices=OnwardDecision.choices, default=OnwardDecision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    # Free text the retention purge must take with the entry it points at.
    PERSONAL_FIELDS = ("purpose", "decision_reason")

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=OnwardDecision.PENDING)
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="onward_decision_has_decider",
            ),
            models.CheckConstraint(condition=~Q(third_party=""), name="onward_names_third_party"),
            models.CheckConstraint(
                condition=Q(decision=OnwardDecision.PENDING) | ~Q(decision_reason=""),
                name="onward_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Onward disclosure of entry {self.disclosure_id} to {self.third_party}"


class EscalationOutcome(models.TextChoices):
    SHARED = "shared", "Information shared after escalation"
    UPHELD = "upheld", "Refusal upheld"
    WITHDRAWN = "withdrawn", "Escalation withdrawn"


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Escalation(models.Model):
    """A partner escalating a refusal to share that it believes leaves a child unsafe, to the
    agreement's lead for a decision "at pace" (004 §6.4; DOMAIN.md rule 11).

    ``disclosure`` is the refusal: an entry whose decision is "not shared" or "request
    refused". The lead is the agreement's owner organisation. ``concern`` and
    ``resolution_note`` are minimal free text, like an entry's summary: no names.
    """

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="escalations")
    raised_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    concern = models.TextField(
        max_length=1000, help_text="Why the information is needed to keep a child safe. No names.",
    )
    status = models.CharField(max_length=8, choices=EscalationStatus.choices, default=EscalationStatus.OPEN)
    outcome = models.CharField(max_length=12, choices=EscalationOutcome.choices, blank=True)
    resolution_note = models.TextField(max_length=1000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    # Free text the retention purge must take with the entry it escalates.
    PERSONAL_FIELDS = ("concern", "resolution_note")

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure"], condition=Q(status=EscalationStatus.OPEN), name="escalation_open_once",
            ),
            models.CheckConstraint(condition=~Q(concern=""), name="escalation_has_concern"),
            models.CheckConstraint(
                condition=(
                    Q(status=EscalationStatus.OPEN, outcome="", resolution_note="", resolved_by__isnull=True,
                      resolved_at__isnull=True)
                    | (Q(status=EscalationStatus.RESOLVED, resolved_by__isnull=False, resolved_at__isnull=False)
                       & ~Q(outcome="") & ~Q(resolution_note=""))
                ),
                name="escalation_resolution_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation of entry {self.disclosure_id} by {self.raised_by_organisation}"

    def get_absolute_url(self) -> str:
        return reverse("sharing_log:escalation", args=[self.pk])


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
            return f"Case re-opened on {self.reopened_on:%d %B %Y}"
        return f"Case closed on {self.closed_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("sharing_log:case", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.reopened_on is None


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
        return f"Entry {self.disclosure_id} destroyed {self.destroyed_at:%d %B %Y}"


class ConfirmationOutcome(models.TextChoices):
    PENDING = "pending", "Awaiting confirmation"
    CORRECTED = "corrected", "Corrected"
    DESTROYED = "destroyed", "Destroyed"


class ConfirmationReason(models.TextChoices):
    """Why a recipient is asked to confirm its copy corrected or destroyed."""

    INACCURACY = "inaccuracy", "Marked inaccurate"
    RETENTION = "retention", "Destroyed under the retention rule"


class RecipientDestructionConfirmation(models.Model):
    """A recipient confirming its own copy is corrected or destroyed: asked when the originator
    marks the entry inaccurate (001 §5.6), or when the entry is destroyed under the retention
    rule (001 §5.15), where destroying is the only answer."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="recipient_confirmations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=12, choices=ConfirmationReason.choices, default=ConfirmationReason.INACCURACY)
    requested_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=12, choices=ConfirmationOutcome.choices, default=ConfirmationOutcome.PENDING)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ConfirmationOutcome.PENDING)
                | (Q(confirmed_by__isnull=False) & Q(confirmed_at__isnull=False)),
                name="recipient_confirmation_has_confirmer",
            ),
            models.UniqueConstraint(fields=["disclosure", "organisation", "reason"],
                                    name="recipient_confirmation_once"),
            models.CheckConstraint(
                condition=~Q(reason=ConfirmationReason.RETENTION) | ~Q(outcome=ConfirmationOutcome.CORRECTED),
                name="retention_confirmation_is_destruction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_outcome_display()}"
