"""API clients: the tokens case systems use, the replies kept for an idempotency key, and each use.

A token's secret is never stored: only its first characters (to find it) and a SHA-256 hash of
the whole (to check it). The secret is high-entropy and random, so a fast hash is enough; a slow
password hash would cost every request and add nothing (docs/decisions/0051).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partners.models import Organisation


class ApiToken(models.Model):
    """A case system's key to the API, acting for one organisation as its own service account."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="The case system, as its organisation calls it.")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token",
        help_text="The account the client acts as: it logs, and is named in the log, as this account.",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def get_absolute_url(self) -> str:
        return reverse("api_clients:list", kwargs={"pk": self.organisation_id})

    def is_usable(self, *, on) -> bool:
        return self.revoked_at is None and self.expires_on >= on

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_on < timezone.localdate():
            return "Expired"
        return "Active"


class IdempotentEntry(models.Model):
    """The entry logged for one ``Idempotency-Key`` of one token: a retry gets this entry back.

    The unique constraint, not a read before the write, is what keeps two concurrent retries
    from making two entries: the second insert fails and its transaction (its entry with it) is
    rolled back.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="idempotent_entries")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the request body first sent.")
    disclosure = models.OneToOneField("sharing_log.Disclosure", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_key_unique_per_token"),
        ]

    def __str__(self) -> str:
        return f"{self.token.prefix}: entry {self.disclosure_id}"


class ApiUse(models.Model):
    """One request made with a token: no personal data — the operation's name, never its path,
    query or body (a case reference may be in them), and never the token itself."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    operation = models.CharField(max_length=100)
    status_code = models.PositiveSmallIntegerField()
    object_id = models.BigIntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.operation} {self.status_code}"
