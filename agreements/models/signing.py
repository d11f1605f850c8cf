"""A party's signature on one exact version."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .parties import Party
from .versions import AgreementVersion


class SignatureMethod(models.TextChoices):
    PORTAL = "portal", "Signed in the portal"
    PAPER = "paper", "Signed on paper"


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
    acting_for = models.BooleanField(
        default=False, help_text="Recorded by the agreement's owner acting for a party with nobody to "
                                 "administer it (decision 0063).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["party", "version"], name="signature_once_per_version"),
            models.CheckConstraint(
                condition=~Q(method=SignatureMethod.PORTAL)
                | (Q(signed_by__isnull=False) & Q(signed_at__isnull=False) & ~Q(declaration="")),
                name="signature_portal_has_user_time_and_declaration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signatory_name} for {self.party.organisation} on v{self.version.label}"


class SignatureReminder(models.Model):
    """A governance manager's reminder to a party that has not signed the latest version: at
    most one a party a day, so a partner is not flooded (issue 14). Kept in the audit trail,
    so the agreement's history shows who was reminded, when and by whom."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="signature_reminders")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["party", "sent_on"], name="signature_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.party.organisation} to sign version {self.version.label}"
