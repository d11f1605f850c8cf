"""An agreement's data protection impact assessment (UK GDPR Article 35): the screening that says
whether one is needed, and the DPIA itself — its reference or document, outcome, the DPO's advice
and whether it was followed, and when it is next reviewed."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .drafting import Agreement


class ScreeningCriterion(models.TextChoices):
    """The ICO's screening signs of processing likely to result in high risk (the ICO's DPIA
    guidance, "examples of processing likely to result in high risk", and the European guidelines
    it draws on). Two or more usually mean a DPIA is needed; large-scale special-category or
    criminal-offence data always does (Article 35(3)(b))."""

    VULNERABLE_PEOPLE = "vulnerable_people", "Children or other vulnerable people"
    SPECIAL_CATEGORY = "special_category", "Special-category data (health, ethnicity, religion and so on)"
    CRIMINAL_OFFENCE = "criminal_offence", "Criminal-offence data"
    LARGE_SCALE = "large_scale", "Processing on a large scale"
    MATCHING = "matching", "Matching or combining data sets from different sources"
    EVALUATION = "evaluation", "Evaluation or scoring, including profiling"
    AUTOMATED_DECISIONS = "automated_decisions", "Automated decisions with legal or similarly significant effect"
    MONITORING = "monitoring", "Systematic monitoring or tracking of people"
    NEW_TECHNOLOGY = "new_technology", "Innovative or new technology"
    DENIAL_OF_SERVICE = "denial_of_service", "Decisions about access to a service, opportunity or benefit"
    INVISIBLE_PROCESSING = "invisible_processing", "Data not obtained from the person, who is not told"
    RISK_OF_HARM = "risk_of_harm", "A breach could put someone's physical health or safety at risk"


class DpiaOutcome(models.TextChoices):
    ACCEPTABLE = "acceptable", "Risks reduced to an acceptable level: the sharing may go ahead"
    ICO_CONSULTED = "ico_consulted", "High risk remains: the ICO was consulted before sharing (Article 36)"
    NOT_ACCEPTABLE = "not_acceptable", "High risk remains that cannot be reduced: the sharing must not go ahead"


class Dpia(models.Model):
    """Whether ``agreement`` needs a DPIA, and the DPIA when it does.

    ``needed`` is empty until the screening is recorded. Completed DPIAs are kept by reference
    (the organisation's own register) or as an uploaded document, or both.
    """

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="dpia")
    screening = models.JSONField(
        default=list, blank=True, help_text="The screening criteria that apply (ScreeningCriterion values).",
    )
    needed = models.BooleanField(null=True, blank=True)
    not_needed_reason = models.TextField(blank=True)
    reference = models.CharField(max_length=100, blank=True)
    document = models.FileField(upload_to="dpias/%Y/", blank=True)
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=DpiaOutcome.choices, blank=True)
    dpo_advice = models.TextField(blank=True)
    dpo_advice_followed = models.BooleanField(null=True, blank=True)
    dpo_advice_not_followed_reason = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "DPIA"
        constraints = [
            models.CheckConstraint(
                condition=~Q(needed=False) | ~Q(not_needed_reason=""), name="dpia_not_needed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(dpo_advice_followed=False) | ~Q(dpo_advice_not_followed_reason=""),
                name="dpia_advice_not_followed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"DPIA for {self.agreement}"

    @property
    def is_missing(self) -> bool:
        """Needed, but neither its reference nor its document is on record."""
        return bool(self.needed) and not (self.reference or self.document)

    def get_screening_display(self) -> list[str]:
        labels = dict(ScreeningCriterion.choices)
        return [labels.get(value, value) for value in self.screening]
