"""Recording an agreement's DPIA screening and its DPIA (rules in ``agreements.selectors.dpias``).

Who may call this is the view's business: the owner's governance managers
(``agreements.permissions.can_manage``). Every change is kept in the DPIA's history.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govuk_blocks.dates import long_date

from ..models import Agreement, Dpia, DpiaOutcome, ScreeningCriterion
from ..selectors.dpias import screening_data_message
from .signing import scan_checked

# Article 35(3)(b): a DPIA is always needed for large-scale special-category or criminal-offence data.
ALWAYS_NEEDED = (
    "A DPIA is required when special-category or criminal-offence data are processed on a large scale "
    "(UK GDPR Article 35(3)(b)). Choose ‘Yes’"
)
REASON_NEEDED = "Explain why the agreement does not need a DPIA"
REASON_NEEDED_TWO_SIGNS = (
    "Two or more of the ICO's screening criteria apply, which usually means a DPIA is needed. "
    "Explain why the agreement does not need one"
)


def _always_needed(screening: list[str]) -> bool:
    sensitive = {ScreeningCriterion.SPECIAL_CATEGORY, ScreeningCriterion.CRIMINAL_OFFENCE}
    return ScreeningCriterion.LARGE_SCALE in screening and bool(sensitive & set(screening))


@transaction.atomic
def dpia_record(
    *, agreement: Agreement, by_user, screening: list[str], needed: bool | None, not_needed_reason: str = "",
    reference: str = "", document=None, completed_on: datetime.date | None = None, outcome: str = "",
    dpo_advice: str = "", dpo_advice_followed: bool | None = None, dpo_advice_not_followed_reason: str = "",
    review_on: datetime.date | None = None, on: datetime.date | None = None,
) -> Dpia:
    """Record (or change) whether ``agreement`` needs a DPIA and, when it does, the DPIA.

    Refused, with messages keyed by form field and nothing saved: a screening that leaves out
    special-category or criminal-offence data the agreement's data items are marked as; no
    answer to whether one is needed; "no" for large-scale special-category or criminal-offence data; "no" without a
    reason; a completion date in the future; a review date not after completion; the DPO's
    advice said not followed without why, or whether it was followed without the advice; an
    outcome not in the list; a document that is not a PDF, PNG or JPEG by its content.
    A new document replaces the one on record; without one the old one is kept.
    """
    on = on or timezone.localdate()
    screening = list(dict.fromkeys(screening))
    problems: dict[str, str] = {}
    if set(screening) - set(ScreeningCriterion.values):
        problems["screening"] = "Choose screening criteria from the list"
    elif message := screening_data_message(agreement, screening):
        problems["screening"] = message
    if needed is None:
        problems["needed"] = "Choose whether the agreement needs a DPIA"
    elif not needed and _always_needed(screening):
        problems["needed"] = ALWAYS_NEEDED
    elif not needed and not not_needed_reason.strip():
        problems["not_needed_reason"] = REASON_NEEDED_TWO_SIGNS if len(screening) >= 2 else REASON_NEEDED
    if outcome and outcome not in DpiaOutcome.values:
        problems["outcome"] = "Choose the outcome of the DPIA"
    if completed_on is not None and completed_on > on:
        problems["completed_on"] = "The date the DPIA was completed must be today or in the past"
    if review_on is not None and completed_on is not None and review_on <= completed_on:
        problems["review_on"] = (
            f"The date the DPIA is next reviewed must be after the date it was completed, {long_date(completed_on)}"
        )
    if dpo_advice_followed is False and not dpo_advice_not_followed_reason.strip():
        problems["dpo_advice_not_followed_reason"] = "Explain why the DPO's advice was not followed"
    if dpo_advice_followed is not None and not dpo_advice.strip():
        problems["dpo_advice"] = "Enter the DPO's advice"
    if document:
        try:
            document = scan_checked(document, field="document")
        except ValidationError as error:
            problems.update({field: messages[0] for field, messages in error.message_dict.items()})
    if problems:
        raise ValidationError(problems)

    dpia = Dpia.objects.select_for_update().filter(agreement=agreement).first() or Dpia(agreement=agreement)
    dpia.screening = screening
    dpia.needed = needed
    dpia.not_needed_reason = "" if needed else not_needed_reason.strip()
    dpia.reference = reference.strip()
    dpia.completed_on = completed_on
    dpia.outcome = outcome
    dpia.dpo_advice = dpo_advice.strip()
    dpia.dpo_advice_followed = dpo_advice_followed
    not_followed = dpo_advice_followed is False
    dpia.dpo_advice_not_followed_reason = dpo_advice_not_followed_reason.strip() if not_followed else ""
    dpia.review_on = review_on
    if document:
        dpia.document = document
    dpia._history_user = by_user
    dpia.full_clean()
    dpia.save()
    return dpia
