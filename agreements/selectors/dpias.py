"""DPIAs: what an agreement's DPIA still lacks before it may come into force, its history, and
the DPIA reviews that fall due (a trigger of ``agreements.selectors.reviews``).

Rules
-----
- Every agreement records, before it comes into force, whether it needs a DPIA: the screening
  against the ICO's criteria (``ScreeningCriterion``), and why not when it does not.
- An agreement that needs a DPIA comes into force only with the DPIA on record (its reference
  or its document), its outcome, and the DPO's advice with whether it was followed; never when
  the DPIA found a high risk that cannot be reduced.
- A DPIA whose review date has come makes a review of the agreement due
  (``ReviewTrigger.DPIA_REVIEW``), once for each review date recorded.
"""

import datetime

from django.utils import timezone

from govuk_blocks.dates import long_date

from ..models import Agreement, Dpia, DpiaOutcome, ReviewTrigger

NO_SCREENING = "record whether it needs a DPIA (the DPIA screening)"
DPIA_MISSING = "it needs a DPIA and none is on record (record the DPIA's reference or upload it)"
NO_OUTCOME = "record the outcome of its DPIA"
NOT_ACCEPTABLE = "its DPIA found a high risk that cannot be reduced, so the sharing must not go ahead"
NO_DPO_ADVICE = "record the DPO's advice on its DPIA and whether it was followed"


def dpia_of(agreement: Agreement) -> Dpia | None:
    return Dpia.objects.filter(agreement=agreement).first()


def dpia_problems(agreement: Agreement) -> list[str]:
    """What the agreement's DPIA lacks before it may come into force (the rules above), worded
    to follow "Cannot come into force: "."""
    dpia = dpia_of(agreement)
    if dpia is None or dpia.needed is None:
        return [NO_SCREENING]
    if not dpia.needed:
        return []
    problems = []
    if dpia.is_missing:
        problems.append(DPIA_MISSING)
    if not dpia.outcome:
        problems.append(NO_OUTCOME)
    elif dpia.outcome == DpiaOutcome.NOT_ACCEPTABLE:
        problems.append(NOT_ACCEPTABLE)
    if not dpia.dpo_advice.strip() or dpia.dpo_advice_followed is None:
        problems.append(NO_DPO_ADVICE)
    return problems


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
