"""Subject access and freedom of information requests about an agreement's sharing."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from govuk_blocks.dates import long_date
from partners.models import Organisation

from .drafting import Agreement
from .parties import Party


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
        return f"{self.get_kind_display()} received {long_date(self.received_on)}"

    def get_absolute_url(self) -> str:
        return reverse("requests:detail", args=[self.pk])
