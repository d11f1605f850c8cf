"""What a kind of agreement records beyond the sections every agreement has (issue 17 item 3,
decision 0065): the essence of a joint controller arrangement (UK GDPR Article 26), the
Article 28(3) terms and sub-processors of a processing contract, and the discloser and recipient
of a data disclosure agreement. One row per agreement, made when first needed."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .drafting import Agreement
from .parties import Party


class Article28Term(models.TextChoices):
    """The terms UK GDPR Article 28(3) requires a processing contract to contain."""

    INSTRUCTIONS = "a_instructions", "(a) The processor acts only on the controller's documented instructions"
    CONFIDENTIALITY = "b_confidentiality", "(b) People processing the data are bound by confidentiality"
    SECURITY = "c_security", "(c) The processor takes the security measures of Article 32"
    SUB_PROCESSORS = "d_sub_processors", (
        "(d) Sub-processors only with the controller's authorisation, on the same terms"
    )
    RIGHTS = "e_rights", "(e) The processor helps the controller answer data subjects' rights"
    ASSISTANCE = "f_assistance", "(f) The processor helps with security, breaches and DPIAs (Articles 32 to 36)"
    END = "g_end", "(g) The data is deleted or returned at the end of the processing"
    AUDIT = "h_audit", "(h) The processor gives the information needed for audits and inspections"


class KindTerms(models.Model):
    """The kind-specific record of one agreement."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="kind_terms")
    # Joint controller arrangement: the essence of the arrangement (Article 26(2)).
    rights_allocation = models.TextField(
        blank=True, help_text="Which party answers which data subject rights.",
    )
    contact_point = models.TextField(blank=True, help_text="The contact point for data subjects.")
    ico_breach_notifier = models.CharField(
        max_length=255, blank=True, help_text="Who notifies a personal data breach to the ICO.",
    )
    subject_breach_notifier = models.CharField(
        max_length=255, blank=True, help_text="Who tells the people affected by a breach.",
    )
    # Processing contract (Article 28).
    controller = models.CharField(max_length=255, blank=True)
    processor = models.CharField(max_length=255, blank=True)
    article_28_terms = models.JSONField(
        default=list, blank=True, help_text="The Article 28(3) terms the contract contains (Article28Term values).",
    )
    # Data disclosure agreement: one discloser, one recipient, a single or bounded set of disclosures.
    discloser = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    disclosures = models.TextField(
        blank=True, help_text="The disclosure, or the bounded set of disclosures, the agreement covers.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "kind terms"
        constraints = [
            models.CheckConstraint(
                condition=Q(discloser__isnull=True) | Q(recipient__isnull=True) | ~Q(discloser=F("recipient")),
                name="kind_terms_discloser_not_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"Terms of {self.agreement}"

    @property
    def essence_complete(self) -> bool:
        return all(
            value.strip() for value in (
                self.rights_allocation, self.contact_point, self.ico_breach_notifier, self.subject_breach_notifier,
            )
        )

    @property
    def missing_article_28_terms(self) -> list[str]:
        return [label for value, label in Article28Term.choices if value not in self.article_28_terms]


class SubProcessor(models.Model):
    """A sub-processor under a processing contract, with the controller's own approval of it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sub_processors")
    name = models.CharField(max_length=255)
    activity = models.TextField(help_text="What the sub-processor does with the data.")
    approved_by = models.CharField(
        max_length=255, blank=True, help_text="Who at the controller approved it.",
    )
    approved_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True, approved_by="")
                | (Q(approved_on__isnull=False) & ~Q(approved_by="")),
                name="sub_processor_approval_whole_or_unset",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(approved_on__isnull=True)
                | Q(withdrawn_on__gte=F("approved_on")),
                name="sub_processor_withdrawn_after_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def approved(self) -> bool:
        return self.approved_on is not None

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None
