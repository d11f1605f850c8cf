"""The signed copy: the PDF of a version every required party has signed."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

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
