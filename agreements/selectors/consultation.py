"""Reads of a draft's consultation: the comments made on it and the owner's answers."""

from django.db.models import QuerySet

from ..models import Agreement, ConsultationComment


def consultation_comments(agreement: Agreement) -> QuerySet[ConsultationComment]:
    """Every comment on ``agreement``, oldest first, with who made and answered it."""
    return (
        ConsultationComment.objects.filter(agreement=agreement)
        .select_related("organisation", "written_by", "answered_by").order_by("written_at", "pk")
    )
