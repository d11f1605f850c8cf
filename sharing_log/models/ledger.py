"""The log's hash chain (docs/decisions/0023): every event of the sharing log — an entry logged,
amended, acknowledged, passed on, escalated, its retention date set, destroyed … — is a
``LogEvent`` carrying a SHA-256 digest of the record's content and a hash chained to the event
before it. The chain holds digests only, never content: nothing personal is in it, and an
entry's destruction under the retention rule leaves its links intact.

``GuardedWrite`` is written by the database functions alone (PostgreSQL): the record each of the
updates the log allows (a retention date, a purge, a workflow record's decision) leaves of itself,
whoever called the function.
"""

from django.db import models


class LogEventKind(models.TextChoices):
    LOGGED = "logged", "Entry logged"
    AMENDED = "amended", "Entry corrected, voided or marked inaccurate"
    ACKNOWLEDGED = "acknowledged", "Receipt acknowledged"
    ONWARD_REQUESTED = "onward_requested", "Onward disclosure requested"
    ONWARD_DECIDED = "onward_decided", "Onward disclosure decided"
    ESCALATED = "escalated", "Refusal escalated"
    ESCALATION_RESOLVED = "escalation_resolved", "Escalation resolved"
    COPY_REQUESTED = "copy_requested", "Recipient asked about its copy"
    COPY_CONFIRMED = "copy_confirmed", "Recipient confirmed its copy"
    RETENTION_SET = "retention_set", "Retention due date set"
    DESTROYED = "destroyed", "Entry destroyed under the retention rule"


class LogEvent(models.Model):
    """One link of the chain. ``hash`` = SHA-256 of the canonical JSON of ``seq``, ``kind``,
    ``disclosure_id``, ``record_id``, ``at``, ``content_digest`` and ``previous_hash``."""

    seq = models.PositiveBigIntegerField(unique=True)
    kind = models.CharField(max_length=24, choices=LogEventKind.choices)
    # Plain integers, not foreign keys: the chain outlives nothing and protects nothing; it
    # names what it covers.
    disclosure_id = models.PositiveBigIntegerField()
    record_id = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    content_digest = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["kind", "record_id"], name="logevent_by_record"),
            # The chain check reads the events of a range of entries at a time (decision 0055).
            models.Index(fields=["disclosure_id", "seq"], name="logevent_by_entry"),
        ]

    def __str__(self) -> str:
        return f"Event {self.seq}: {self.get_kind_display()} (entry {self.disclosure_id})"


class GuardedWrite(models.Model):
    """A write made by one of the database functions (``sharing_log_set_retention``,
    ``sharing_log_purge``, ``sharing_log_decide``): inserted by the function itself, never by the
    application."""

    kind = models.CharField(max_length=16)
    disclosure_id = models.PositiveBigIntegerField()
    detail = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField()
    database_user = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["disclosure_id"], name="guardedwrite_by_entry")]

    def __str__(self) -> str:
        return f"{self.kind} of entry {self.disclosure_id}"


class LogCheckpoint(models.Model):
    """A head of the chain the daily check found intact (docs/decisions/0055): the event ``seq``
    (0 for an empty chain) with its ``hash``, and the highest key of every table of the log then
    (``high_water``, by ``app_label.model``), so the next day's check starts from here and still
    sees every row added since. Append-only, like the chain: written by the scheduler alone, and
    checked to lie on the chain by every full check."""

    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    # The whole chain was checked (weekly, and whenever no checkpoint is recent enough), or only
    # what was added or touched since the checkpoint before.
    full = models.BooleanField()
    checked_at = models.DateTimeField()
    high_water = models.JSONField(default=dict)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Checkpoint at event {self.seq} ({'full' if self.full else 'daily'} check)"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            from .disclosures import AppendOnlyError

            raise AppendOnlyError("A chain checkpoint is written once and never changed.")
        super().save(*args, **kwargs)
