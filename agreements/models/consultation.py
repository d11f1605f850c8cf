"""Comments on a draft out for consultation (001 §3: partners read the draft and comment before it
goes for signature): each partner's comment, and the owner's answer to it. Kept after the
consultation, as the record of what was raised and what was done about it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from partners.models import Organisation

from .drafting import Agreement


class ConsultationComment(models.Model):
    """One comment on ``agreement`` while it was out for consultation, for ``organisation``."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="consultation_comments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     help_text="The organisation the comment was made for.")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    text = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "written_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="consultation_comment_has_text"),
            models.CheckConstraint(
                condition=Q(answer="", answered_by__isnull=True, answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_by__isnull=False, answered_at__isnull=False)),
                name="consultation_comment_answered_with_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.organisation} on {self.agreement}"
