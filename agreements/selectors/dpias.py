"""DPIAs: what an agreement's DPIA still lacks before it may come into force, its history, and
the DPIA reviews that fall due (a trigger of ``agreements.selectors.reviews``).

Rules
-----
- Every agreement records, before it comes into force, whether it needs a DPIA: the screening
  against the ICO's criteria (``ScreeningCriterion``), and why not when it does not.
- An agreement that needs a DPIA comes into force only with the DPIA on record (its reference
  or its document), its outcome, and the DPO's advice with whether it was followed; never when
  the DPIA found a high risk that cannot be reduced.
- The screening must tick the criteria the agreement's own data show: special-category data
  when a data item is marked special category, criminal-offence data when one is marked
  criminal offence (``DataItem``). Checked when the screening is recorded and again at the gate.
- A DPIA whose review date has come makes a review of the agreement due
  (``ReviewTrigger.DPIA_REVIEW``), once for each review date recorded.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govuk_blocks.dates import long_date

from ..models import Agreement, DataItem, Dpia, DpiaOutcome, ReviewTrigger, ScreeningCriterion, Status

NO_SCREENING = "record whether it needs a DPIA (the DPIA screening)"
DPIA_MISSING = "it needs a DPIA and none is on record (record the DPIA's reference or upload it)"
NO_OUTCOME = "record the outcome of its DPIA"
NOT_ACCEPTABLE = "its DPIA found a high risk that cannot be reduced, so the sharing must not go ahead"
NO_DPO_ADVICE = "record the DPO's advice on its DPIA and whether it was followed"


# What a data item's mark means for the screening: (DataItem field, what the data include, criterion).
DATA_CRITERIA = (
    ("special_category", "special-category data", ScreeningCriterion.SPECIAL_CATEGORY),
    ("criminal_offence", "criminal-offence data", ScreeningCriterion.CRIMINAL_OFFENCE),
)


def criteria_the_data_show(agreement: Agreement, screening) -> list[tuple[str, ScreeningCriterion]]:
    """(what the data include, criterion) for each criterion ``agreement``'s data items show
    that ``screening`` does not tick: one query."""
    counts = DataItem.objects.filter(agreement=agreement).aggregate(
        **{f"{field}_items": Count("pk", filter=Q(**{field: True})) for field, _, _ in DATA_CRITERIA},
    )
    marked = {field for field, _, _ in DATA_CRITERIA if counts[f"{field}_items"]}
    return [
        (what, criterion) for field, what, criterion in DATA_CRITERIA
        if field in marked and criterion not in screening
    ]


def _what_and_ticks(missing) -> tuple[str, str]:
    what = " and ".join(what for what, _ in missing)
    ticks = " and ".join(f"“{criterion.label}”" for _, criterion in missing)
    return what, ticks


def screening_data_message(agreement: Agreement, screening) -> str | None:
    """The screening form's message when ``screening`` leaves out a criterion the agreement's
    data show; ``None`` when it does not."""
    missing = criteria_the_data_show(agreement, screening)
    if not missing:
        return None
    what, ticks = _what_and_ticks(missing)
    return f"Its data include {what} (see Data to be shared): tick {ticks}"


def dpia_of(agreement: Agreement) -> Dpia | None:
    return Dpia.objects.filter(agreement=agreement).first()


def dpia_joined(agreement: Agreement) -> Dpia | None:
    """The DPIA of an agreement read with ``select_related("dpia")``: asks nothing more."""
    try:
        return agreement.dpia
    except Dpia.DoesNotExist:
        return None


_READ = object()


def dpia_problems(agreement: Agreement, *, dpia=_READ) -> list[str]:
    """What the agreement's DPIA lacks before it may come into force (the rules above), worded
    to follow "Cannot come into force: ". ``dpia``: the agreement's DPIA (or ``None``) when the
    caller has read it already."""
    if dpia is _READ:
        dpia = dpia_of(agreement)
    if dpia is None or dpia.needed is None:
        return [NO_SCREENING]
    problems = []
    missing = criteria_the_data_show(agreement, dpia.screening)
    if missing:
        what, ticks = _what_and_ticks(missing)
        problems.append(
            f"its data include {what} (see Data to be shared) but its DPIA screening does not tick {ticks}: "
            "record the screening again"
        )
    if not dpia.needed:
        return problems
    if dpia.is_missing:
        problems.append(DPIA_MISSING)
    if not dpia.outcome:
        problems.append(NO_OUTCOME)
    elif dpia.outcome == DpiaOutcome.NOT_ACCEPTABLE:
        problems.append(NOT_ACCEPTABLE)
    if not dpia.dpo_advice.strip() or dpia.dpo_advice_followed is None:
        problems.append(NO_DPO_ADVICE)
    return problems


def agreements_unscreened(agreements) -> QuerySet[Agreement]:
    """Those of ``agreements`` in force (or under review) with no DPIA screening on record:
    brought into force before the screening was asked for, or recorded as in force from the
    partnership's files. Oldest in force first."""
    return agreements.filter(status__in=[Status.IN_FORCE, Status.UNDER_REVIEW]).filter(
        Q(dpia__isnull=True) | Q(dpia__needed__isnull=True),
    ).order_by("effective_date", "title")


def dpia_history(dpia: Dpia | None):
    """The DPIA's audit rows, newest first, with who made each change."""
    if dpia is None:
        return Dpia.history.none()
    return dpia.history.select_related("history_user").order_by("-history_date", "-history_id")


def dpia_review_events(agreements: dict[int, Agreement], *, on: datetime.date, event):
    """A review trigger for each DPIA of ``agreements`` whose review date has come by ``on``;
    ``event`` is the ``TriggerEvent`` class (passed in: it lives with the other triggers)."""
    events = []
    for dpia in Dpia.objects.filter(agreement_id__in=agreements, review_on__lte=on, needed=True):
        at = timezone.make_aware(datetime.datetime.combine(dpia.review_on, datetime.time.min))
        reference = f" ({dpia.reference})" if dpia.reference else ""
        events.append(event(
            agreement=agreements[dpia.agreement_id], trigger=ReviewTrigger.DPIA_REVIEW,
            key=f"dpia:{dpia.pk}:{dpia.review_on.isoformat()}", occurred_at=at,
            reason=f"The agreement's DPIA{reference} was due for review on {long_date(dpia.review_on)}.",
        ))
    return events
