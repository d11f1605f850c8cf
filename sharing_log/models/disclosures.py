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

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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
from govuk_blocks.dates import long_date
from partners.models import Organisation


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an entry of the append-only log."""


class Decision(models.TextChoices):
    SHARED = "shared", _("Shared")
    NOT_SHARED = "not_shared", _("Decided not to share")
    REQUEST_REFUSED = "request_refused", _("Request refused")


class SubjectType(models.TextChoices):
    CHILD = "child", _("Child")
    YOUNG_PERSON = "young_person", _("Young person")
    ADULT = "adult", _("Adult")
    FAMILY = "family", _("Family")
    VICTIM = "victim", _("Victim")
    OFFENDER = "offender", _("Offender or alleged offender")
    LOCATION = "location", _("Location")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity and contact details")
    FAMILY = "family", _("Family, household and associations")
    HOUSING = "housing", _("Housing and tenancy")
    EDUCATION = "education", _("Education")
    SOCIAL_CARE = "social_care", _("Social care")
    ASB = "asb", _("Anti-social behaviour")
    RISK = "risk", _("Risk and safeguarding concerns")
    FINANCIAL = "financial", _("Financial")
    OTHER = "other", _("Other")


class SpecialCategory(models.TextChoices):
    """UK GDPR Article 9(1) special categories."""

    HEALTH = "health", _("Health (physical or mental)")
    ETHNICITY = "ethnicity", _("Racial or ethnic origin")
    RELIGION = "religion", _("Religious or philosophical beliefs")
    POLITICS = "politics", _("Political opinions")
    TRADE_UNION = "trade_union", _("Trade union membership")
    GENETIC = "genetic", _("Genetic data")
    BIOMETRIC = "biometric", _("Biometric data used to identify")
    SEX_LIFE = "sex_life", _("Sex life")
    SEXUAL_ORIENTATION = "sexual_orientation", _("Sexual orientation")


class ConsentStatus(models.TextChoices):
    EXPLICIT = "explicit", _("Explicit consent given")
    IMPLIED = "implied", _("Implied consent")
    NOT_SOUGHT = "not_sought", _("Consent not sought")
    REFUSED_OVERRIDDEN = "refused_overridden", _("Consent refused but overridden")
    REFUSED = "refused", _("Consent refused (not shared)")


class SubjectInformed(models.TextChoices):
    YES = "yes", _("Yes, the person was told")
    NOT_YET = "not_yet", _("Not yet, they will be told")
    NO = "no", pgettext_lazy("was the person told?", "No")


class CanIShareOutcome(models.TextChoices):
    """What the "Can I share?" questions concluded (``sharing_log.can_i_share.Outcome``), kept with
    the entry logged from them; blank when the entry was logged without them."""

    MAY_SHARE = "may_share", "You may share"
    DO_NOT_SHARE = "do_not_share", "Do not share"


class FactOrOpinion(models.TextChoices):
    FACT = "fact", _("Fact")
    OPINION = "opinion", _("Professional opinion")
    BOTH = "both", _("Fact and opinion, each marked")


_WRITING_SQL = re.compile(r"\b(update|delete|insert|truncate|merge|alter|drop)\b", re.IGNORECASE)


class DisclosureQuerySet(models.QuerySet):
    def raw(self, raw_query, params=(), translations=None, using=None):
        # ``objects.raw()`` runs whatever it is given: only reads pass (the database refuses the
        # rest too, on PostgreSQL; docs/decisions/0023).
        if _WRITING_SQL.search(raw_query):
            raise AppendOnlyError("The sharing log is append-only: raw SQL may only read it.")
        return super().raw(raw_query, params, translations, using)

    def update(self, **kwargs):
        raise AppendOnlyError("The sharing log is append-only: record an amendment instead.")

    def delete(self):
        raise AppendOnlyError("The sharing log is append-only: void the entry with a reason instead.")

    def purge(self, *, at) -> int:
        """The retention purge of these entries at once (``sharing_log.services.retention``, where
        the database has no purge function): the one update allowed besides the retention date,
        like ``Disclosure._is_purge``: every personal field emptied and ``purged_at`` set, only
        on entries not purged yet. It takes no values: it can never put personal parts in."""
        if at is None:
            raise AppendOnlyError("A purge records when it happened.")
        blank = {name: ({} if name == "can_i_share_answers" else "") for name in Disclosure.PERSONAL_FIELDS}
        return models.QuerySet.update(self.filter(purged_at__isnull=True), **blank, purged_at=at)


class EntryHistory(HistoricalRecords):
    """An entry's django-simple-history records, with one row for its logging (issue 15):
    ``disclosure_log`` saves the entry and sets its legal gateways and Article 9 conditions with
    history held back (``skip_history_when_saving``), then writes that one row, with them, through
    ``Disclosure.history_records.logged``. Saved any other way, an entry's history is written as
    django-simple-history writes it."""

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls.history_records = self

    def logged(self, instance, *, unset=()) -> None:
        """The history row of ``instance`` as just logged; ``unset``: the names of its
        many-to-many fields it was logged without, which need not be read back to be recorded."""
        instance._history_m2m_unset = frozenset(unset)
        try:
            self.create_historical_record(instance, "+")
        finally:
            del instance._history_m2m_unset

    def purged(self, instances) -> None:
        """The history rows of entries the retention purge has just written (``instances``, as
        now stored), as ``save()`` would have made them one by one — a change by nobody, with
        the many-to-many fields as they stand — in five queries however many (issue 15)."""
        if not instances:
            return
        model = type(instances[0])
        rows = model.history.bulk_history_create(instances, update=True, default_change_reason=None)
        by_entry = {row.id: row for row in rows}
        for field in model._meta.many_to_many:
            if field not in self.m2m_models:
                continue
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links = through.objects.filter(**{f"{source}_id__in": list(by_entry)}).order_by("pk")
            self.m2m_models[field].objects.bulk_create([
                self.m2m_models[field](history=by_entry[getattr(link, f"{source}_id")], id=link.pk,
                                       **{f"{source}_id": getattr(link, f"{source}_id"),
                                          f"{target}_id": getattr(link, f"{target}_id")})
                for link in links
            ])

    def create_historical_record_m2ms(self, history_instance, instance):
        unset = getattr(instance, "_history_m2m_unset", ())
        if unset:
            history_instance._history_m2m_fields = [
                field for field in history_instance._history_m2m_fields if field.name not in unset
            ]
        super().create_historical_record_m2ms(history_instance, instance)


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
    # Blank for a decision not to share: nothing was shared, so there is no level, consent
    # position or telling of the person to record (decision 0040).
    data_level = models.CharField(max_length=12, choices=DataLevel.choices, blank=True)
    data_categories = models.JSONField(default=list, blank=True)
    special_categories = models.JSONField(default=list, blank=True)
    criminal_offence_data = models.BooleanField(default=False)
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="disclosures")
    art6_basis = models.ForeignKey(
        LegalGateway, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"category": GatewayCategory.ART6}, verbose_name="UK GDPR Article 6 basis",
    )
    # Set when ``art6_basis`` is not one the agreement cites: why the entry departs from it. The
    # agreement's governance managers are told (``disclosure_log``).
    art6_departure_reason = models.TextField(
        blank=True, verbose_name="Reason for relying on a basis the agreement does not cite",
    )
    # A competent authority's law-enforcement sharing rests on DPA 2018 Part 3 instead of UK GDPR
    # Article 6 (COMPLIANCE.md, Lawful basis).
    law_enforcement_basis = models.ForeignKey(
        LegalGateway, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"category": GatewayCategory.DPA2018_PART3}, verbose_name="DPA 2018 Part 3 basis",
    )
    # The Article 9 conditions relied on for special category data, with the DPA 2018 Schedule 1
    # conditions some of them need (``agreements.services.legal_basis.SCHEDULE1_NEEDED``).
    # Set when the entry is logged and never after, like ``gateways`` (``sharing_log.guards``).
    art9_conditions = models.ManyToManyField(
        LegalGateway, blank=True, related_name="disclosures_art9",
        limit_choices_to={"category__in": [GatewayCategory.ART9, GatewayCategory.DPA2018_SCH1]},
        verbose_name="Article 9 conditions",
    )
    criminal_offence_condition = models.ForeignKey(
        LegalGateway, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"category": GatewayCategory.DPA2018_SCH1},
        verbose_name="DPA 2018 Schedule 1 condition for criminal-offence data",
    )
    gateways = models.ManyToManyField(LegalGateway, blank=True, related_name="disclosures")
    consent_status = models.CharField(max_length=20, choices=ConsentStatus.choices, blank=True)
    consent_reason = models.TextField(blank=True)
    confidentiality_breached = models.BooleanField(
        default=False, help_text="Confidential information shared without consent.",
    )
    authorised_by = models.CharField(
        max_length=200, blank=True,
        help_text="The designated manager who authorised an override (name and role).",
    )
    subject_informed = models.CharField(max_length=8, choices=SubjectInformed.choices, blank=True)
    subject_not_informed_reason = models.TextField(blank=True)
    fact_or_opinion = models.CharField(max_length=8, choices=FactOrOpinion.choices, default=FactOrOpinion.FACT)
    transfer_method = models.CharField(max_length=20, choices=TransferMethod.choices, blank=True)
    protective_marking = models.CharField(
        max_length=24, choices=ProtectiveMarking.choices, default=ProtectiveMarking.OFFICIAL_SENSITIVE,
    )
    summary = models.TextField(
        max_length=1000, blank=True, help_text="The least that explains what was shared. No names.",
    )
    # The ICO data sharing code's record of a decision to share (issue 13, item 6;
    # ``sharing_log.services.decision_record``). Set at insert only, like every other column.
    request_received_on = models.DateField(
        null=True, blank=True, help_text="The date the request for the information was received, if there was one.",
    )
    necessity_reason = models.TextField(
        blank=True, help_text="Why sharing was necessary and proportionate. Required when information was shared.",
    )
    can_i_share_outcome = models.CharField(
        max_length=16, choices=CanIShareOutcome.choices, blank=True,
        help_text="What the “Can I share?” questions concluded, when the entry was logged from them.",
    )
    against_advice_reason = models.TextField(
        blank=True, help_text="Why information was shared though “Can I share?” said not to.",
    )
    late_logging_reason = models.TextField(
        blank=True, help_text="Why the entry was logged long after the event.",
    )
    subject_told_by = models.DateField(
        null=True, blank=True, help_text="The date by which the person will be told, when not yet told.",
    )
    summary_checked = models.BooleanField(
        default=False,
        help_text="The person logging confirmed that a summary which looked identifying holds nothing identifying.",
    )
    can_i_share_answers = models.JSONField(default=dict, blank=True)
    # Set when this entry passes on information the disclosing organisation received through
    # the log: the originating organisation's consent it relies on (001 §5.7; DOMAIN.md rule 3).
    # Set at insert only, like every other column of the entry.
    onward_request = models.ForeignKey(
        "sharing_log.OnwardDisclosureRequest", null=True, blank=True, on_delete=models.PROTECT,
        related_name="onward_disclosures",
    )
    retention_due_on = models.DateField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    history = EntryHistory(m2m_fields=[gateways, art9_conditions])
    objects = DisclosureQuerySet.as_manager()

    # The fields that identify or describe a person; the retention purge removes them.
    PERSONAL_FIELDS = ("case_reference", "summary", "recipient_name", "recipient_job_title",
                       "recipient_contact", "decision_reason", "consent_reason",
                       "subject_not_informed_reason", "authorised_by", "can_i_share_answers",
                       "necessity_reason", "against_advice_reason", "late_logging_reason",
                       "art6_departure_reason")
    # The one field ``save(update_fields=...)`` may write after logging (case closure).
    RETENTION_FIELDS = ("retention_due_on",)
    # What the retention purge writes, the only other update the log allows.
    PURGE_FIELDS = (*PERSONAL_FIELDS, "purged_at")

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        # Django's own plain manager would let ``_base_manager.update()`` past the guard.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["disclosing_organisation", "-occurred_at"], name="disclosure_by_discloser"),
            models.Index(fields=["recipient_organisation", "-occurred_at"], name="disclosure_by_recipient"),
            models.Index(fields=["disclosing_organisation", "case_reference"], name="disclosure_by_case"),
            # The lists' order, for a reader who sees much of the log (an auditor, a governance
            # manager of a large organisation) and for the keyset pages (issue 15).
            models.Index(fields=["-occurred_at", "-id"], name="disclosure_newest_first"),
            # Case look-ups ignore the letter case (``case_reference__iexact``), which compares
            # ``UPPER(case_reference)``: a plain index on the column does not serve it.
            models.Index(
                "disclosing_organisation", Upper("case_reference"), name="disclosure_by_case_upper",
            ),
            # The same look-up on the receiving side: "Information received" filtered by a case
            # reference read every receipt of the organisation without it (13–17 ms at a million).
            models.Index(
                "recipient_organisation", Upper("case_reference"), name="disclosure_received_by_case",
            ),
            # The daily purge's question: entries whose retention date has come, still whole.
            models.Index(
                fields=["retention_due_on"], name="disclosure_retention_due",
                condition=Q(retention_due_on__isnull=False, purged_at__isnull=True),
            ),
            # "What's due" and the inbox (issue 15): receipts are read by recipient, oldest first,
            # from the shared entries only; with the agreement in the index, counting and placing
            # them reads no entry row (the acknowledgement is another table's: still one look-up
            # a receipt).
            models.Index(
                fields=["recipient_organisation", "occurred_at", "id", "agreement"], name="disclosure_receipts",
                condition=Q(decision=Decision.SHARED),
            ),
            # People still to be told (``sharing_log.selectors.people_to_tell``), by organisation,
            # soonest date first: only the entries logged "not yet", still whole.
            models.Index(
                fields=["disclosing_organisation", "subject_told_by", "id"], name="disclosure_to_tell",
                condition=Q(subject_informed=SubjectInformed.NOT_YET, subject_told_by__isnull=False,
                            purged_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=Decision.SHARED) | Q(art6_basis__isnull=False)
                | Q(law_enforcement_basis__isnull=False) | Q(purged_at__isnull=False),
                name="disclosure_shared_has_lawful_basis",
            ),
            models.CheckConstraint(
                condition=Q(art6_basis__isnull=True) | Q(law_enforcement_basis__isnull=True),
                name="disclosure_one_lawful_basis_regime",
            ),
            models.CheckConstraint(
                condition=~Q(decision=Decision.SHARED) | Q(criminal_offence_data=False)
                | Q(criminal_offence_condition__isnull=False) | Q(law_enforcement_basis__isnull=False),
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
        return f"{self.get_decision_display()} {long_date(self.occurred_at)} → {self.recipient_organisation}"

    def save(self, *args, **kwargs):
        # A guard, not a side effect: it keeps the log append-only whatever the caller. The
        # retention due date alone may be written later, on its own and only by
        # ``sharing_log.services.ledger.disclosure_retention_set``, which checks it against the
        # rules: it says when the record goes, is known only when the case closes (001 §5.15),
        # and a date in the past would have the next scheduler run destroy the entry.
        update_fields = list(kwargs.get("update_fields") or ())
        retention_only = update_fields == list(self.RETENTION_FIELDS) and getattr(self, "_setting_retention", False)
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


class Acknowledgement(models.Model):
    """The recipient's confirmation that the information arrived (003 Q21)."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="acknowledgement")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Receipt of entry {self.disclosure_id} acknowledged"
