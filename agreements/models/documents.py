"""The signed copy: the PDF of a version every required party has signed; and a large agreement's
PDF prepared by a background task (docs/decisions/0050)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .drafting import Agreement
from .versions import AgreementVersion


class SignedCopy(models.Model):
    """The PDF of a version every required party has signed, rendered once and never again
    (``agreements.services.documents``). ``sha256`` is what ``/verify/`` matches an
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


class PreparedPdf(models.Model):
    """A large agreement's PDF, rendered by a background task (``agreements.tasks.prepare_pdf``)
    rather than in the request, and served from the file while its document is unchanged.

    ``html_sha256`` is the hash of the HTML it was rendered from: the request renders that HTML
    (cheap) and serves the file only if the hashes match, so a changed party, signature or day
    ("Produced on …") means a new rendering. One row per agreement and version (``None``: the
    working draft); a new rendering replaces it. Not a record: nothing refers to it, and it
    keeps no history.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="prepared_pdfs")
    version = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="prepared_pdfs",
    )
    html_sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="prepared-pdfs/%Y/", blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"PDF of {self.agreement} ({self.version or 'working draft'})"

    @property
    def is_ready(self) -> bool:
        return self.ready_at is not None
