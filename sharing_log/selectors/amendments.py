"""Amendments of an entry: its corrections (and the values they give), and its voiding."""

from django.db.models import Prefetch, QuerySet

from agreements.models import DataLevel, ProtectiveMarking, TransferMethod

from ..models.amendments import Amendment, AmendmentKind
from ..models.disclosures import Disclosure, FactOrOpinion, SubjectInformed, SubjectType

# The details of an entry a correction may change, with what the entry page calls them. The
# lawful basis, decision, organisations and data categories are not among them: an entry wrong
# in those was a different disclosure, so it is voided with a reason and logged again.
CORRECTABLE_FIELDS = {
    "case_reference": "Case reference",
    "subject_type": "Who it is about",
    "data_level": "Data level",
    "fact_or_opinion": "Fact or opinion",
    "transfer_method": "How it was sent",
    "protective_marking": "Protective marking",
    "recipient_name": "Recipient's name",
    "recipient_job_title": "Recipient's job title",
    "recipient_contact": "Recipient's work e-mail or phone",
    "summary": "Summary",
    "decision_reason": "Reason for the decision",
    # A person "not yet" told is recorded as told by correcting this (issue 13, item 6).
    "subject_informed": "Was the person told?",
}


# The correctable details that are choices, and their choices.
CORRECTABLE_CHOICES = {
    "subject_type": SubjectType.choices,
    "data_level": DataLevel.choices,
    "fact_or_opinion": FactOrOpinion.choices,
    "transfer_method": TransferMethod.choices,
    "protective_marking": ProtectiveMarking.choices,
    "subject_informed": SubjectInformed.choices,
}


def amendments_of(disclosure: Disclosure) -> QuerySet[Amendment]:
    """Corrections and voiding of ``disclosure``, in the order they were made."""
    return disclosure.amendments.select_related("made_by").order_by("made_at", "pk")


def corrections_in_order() -> QuerySet[Amendment]:
    return Amendment.objects.filter(kind=AmendmentKind.CORRECTION).order_by("made_at", "pk")


def amendments_keep(disclosure: Disclosure, amendments: list[Amendment]) -> None:
    """Keep ``amendments`` (every one of ``disclosure``'s, from ``amendments_of``) on it, so that
    ``corrected_values``, ``void_of`` and ``inaccuracy_of`` ask nothing more for one page."""
    disclosure.prefetched_corrections = [item for item in amendments if item.kind == AmendmentKind.CORRECTION]
    disclosure.prefetched_void = next((item for item in amendments if item.kind == AmendmentKind.VOID), None)
    disclosure.prefetched_inaccurate = next(
        (item for item in amendments if item.kind == AmendmentKind.INACCURATE), None,
    )


def with_corrections(entries: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    """``entries`` with their corrections read in one query for all of them (``corrected_values``
    then asks nothing more), not one query an entry."""
    return entries.prefetch_related(
        Prefetch("amendments", queryset=corrections_in_order(), to_attr="prefetched_corrections"),
    )


def corrected_values(disclosure: Disclosure) -> dict[str, str]:
    """Field name → its latest corrected value, for the fields corrections have changed."""
    corrections = getattr(disclosure, "prefetched_corrections", None)
    if corrections is None:
        corrections = corrections_in_order().filter(disclosure=disclosure)
    values: dict[str, str] = {}
    for amendment in corrections:
        values.update(amendment.changes)
    return values


def with_case_reference(entries: QuerySet[Disclosure], reference: str) -> QuerySet[Disclosure]:
    """``entries`` whose case reference is ``reference`` (any letter case) as logged, or as a
    correction has made it since. A match on a value a later correction changed again is still
    among them: a caller that needs the reference as it stands compares
    ``current_case_reference``.

    The two are read apart and joined as one set of keys: as an ``OR`` on the entries' own query
    PostgreSQL tested each of the organisation's entries against both (25 ms at a million), where
    the entries as logged are an index look-up (organisation and reference) and the corrections
    few."""
    corrected = Amendment.objects.filter(
        kind=AmendmentKind.CORRECTION, changes__case_reference__iexact=reference,
    ).order_by().values("disclosure_id")
    logged_as = entries.filter(case_reference__iexact=reference).order_by().values("pk")
    return entries.filter(pk__in=logged_as.union(corrected))


def current_case_reference(disclosure: Disclosure) -> str:
    return corrected_values(disclosure).get("case_reference", disclosure.case_reference)


def display_value(field: str, value) -> str:
    """A correctable detail's value as the entry page shows it."""
    if field in CORRECTABLE_CHOICES:
        return str(dict(CORRECTABLE_CHOICES[field]).get(value, value)) if value else "Not recorded"
    return value or "Not recorded"


def void_of(disclosure: Disclosure) -> Amendment | None:
    if "prefetched_void" in disclosure.__dict__:
        return disclosure.prefetched_void
    return disclosure.amendments.filter(kind=AmendmentKind.VOID).select_related("made_by").first()
