"""Requests about an agreement's sharing: the data protection rights of UK GDPR Articles 15 to 18
and 21 (subject access, rectification, erasure, restriction, objection) and freedom of
information requests."""

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
    RECTIFICATION = "rectification", "Request for rectification"
    ERASURE = "erasure", "Request for erasure"
    RESTRICTION = "restriction", "Request to restrict processing"
    OBJECTION = "objection", "Objection to processing"
    FREEDOM_OF_INFORMATION = "foi", "Freedom of information request"


# The rights of UK GDPR Articles 15 to 18 and 21: answered within one calendar month, which
# Article 12(3) lets the controller extend by two further months. FOI keeps its own clock.
RIGHTS_KINDS = (
    RequestKind.SUBJECT_ACCESS, RequestKind.RECTIFICATION, RequestKind.ERASURE, RequestKind.RESTRICTION,
    RequestKind.OBJECTION,
)


class InformationRequest(models.Model):
    """A data protection rights request or a freedom of information request about an agreement's sharing.

    Routed, as 001 §6.2 says, to the party it concerns or, for the partnership as a whole
    (``party`` empty), to the agreement's owner. ``due_on`` is computed from ``received_on``
    when it is recorded (``agreements.clocks``). A rights request may be extended once, by two
    further months, where it is complex or one of many (UK GDPR Art 12(3)): the reason and the
    day the requester was told are kept, ``first_due_on`` keeps the month's date and ``due_on``
    moves to the extended one.
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
    first_due_on = models.DateField(
        null=True, blank=True, help_text="The date it was due before it was extended under Article 12(3).",
    )
    extension_reason = models.TextField(
        blank=True, help_text="Why it was extended: the request is complex, or the requests numerous; no names.",
    )
    extension_told_on = models.DateField(
        null=True, blank=True, help_text="The day the requester was told of the extension and why.",
    )
    extended_by = models.ForeignKey(
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
            # An extension is recorded whole: the month's date, the reason and the day the
            # requester was told, told within that month (Art 12(3)); and the new date later.
            models.CheckConstraint(
                condition=(
                    Q(first_due_on__isnull=True, extension_reason="", extension_told_on__isnull=True)
                    | (Q(first_due_on__isnull=False, extension_told_on__isnull=False) & ~Q(extension_reason="")
                       & Q(extension_told_on__gte=F("received_on"), extension_told_on__lte=F("first_due_on"),
                           due_on__gt=F("first_due_on")))
                ),
                name="information_request_extension_whole",
            ),
            models.CheckConstraint(
                condition=Q(first_due_on__isnull=True) | ~Q(kind=RequestKind.FREEDOM_OF_INFORMATION),
                name="information_request_foi_not_extended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} received {long_date(self.received_on)}"

    def get_absolute_url(self) -> str:
        return reverse("requests:detail", args=[self.pk])

    @property
    def is_rights_request(self) -> bool:
        return self.kind in RIGHTS_KINDS

    @property
    def extended(self) -> bool:
        return self.first_due_on is not None
