"""Reviews: when an agreement is next due for review, and what in its audit trail makes one due now.

Policy
------
Each agreement carries its own review policy (002 §5.1; 004 §6.2; 001's front page): the first
review ``review_first_after_months`` after it comes into force, then one every
``review_every_months`` after the last completed review (``next_review_date``). Months are
calendar months (``dateutil.relativedelta``), so a date that does not exist in the month it
lands in becomes that month's last day: 29 February 2024 plus twelve months is 28 February
2025. The findings of a review are reported within one calendar month of it (002 §5.3).

Triggers
--------
Besides the schedule, five things make a review due at once (001 §6.4):

- **a breach** recorded against the agreement, when its policy says it is reviewed after any
  breach (``review_after_breach``). Near misses do not; a near miss later recorded as a breach
  does, from the moment it was so recorded;
- **a substantive change** to the agreement while it is in force: a new substantive
  ``AgreementVersion`` made while the agreement was in force or under review;
- **a change in legislation**: a legal gateway the agreement cites marked repealed or
  superseded in the catalogue;
- **a DPIA due for review**: the agreement's DPIA has reached its review date
  (``agreements.selectors.dpias``);
- **a chair's request**, which a governance manager records with its reason
  (``agreements.services.reviews.review_start``): it is a review from the moment it is recorded.

The first three are read from the audit trail, the django-simple-history rows of breaches,
versions, legal gateways and agreements, never from signals or ``save()`` side effects, so they
are found however the change was made (a page, the admin, an import) and even if the daily
scheduler did not run that day.

Answered
--------
A trigger is answered, and opens no further review, when a review was opened for it (its
``Review.trigger_key``), or a review of the agreement was completed after it (completed on or
after the day it happened, and recorded as completed after it happened). A new version is also
answered by a review it resulted from, or that was under way when the version was made: the
change is that review's own work. Only agreements in force on the day asked about are
considered: nothing is reviewed before it comes into force or after it ends.
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation

from ..history import excerpt
from ..models import (
    NOT_TAKING_PART,
    Agreement,
    AgreementQuerySet,
    AgreementVersion,
    Breach,
    BreachKind,
    GatewayStatus,
    LegalGateway,
    Review,
    ReviewTrigger,
)
from .dpias import dpia_review_events

# A scheduled review is opened (and so listed, and reminded of) this many days before it is due.
SCHEDULED_OPENS_DAYS_BEFORE = 30
# The findings of a review are reported within one calendar month of it (002 §5.3).
FINDINGS_REPORT_MONTHS = 1


# Policy ------------------------------------------------------------------------------------


def next_review_date(agreement: Agreement) -> datetime.date | None:
    """When ``agreement`` is next due for its scheduled review, by its policy; ``None`` before
    it has come into force, or where the agreement sets no review policy."""
    if not agreement.review_policy_set:
        return None
    if agreement.last_review_on is not None:
        return agreement.last_review_on + relativedelta(months=agreement.review_every_months)
    if agreement.effective_date is not None:
        return agreement.effective_date + relativedelta(months=agreement.review_first_after_months)
    return None


def scheduled_review_due_on(agreement: Agreement) -> datetime.date | None:
    """The date the scheduled review is due: the one on record, or else the policy's."""
    return agreement.next_review_due or next_review_date(agreement)


def findings_report_due(completed_on: datetime.date) -> datetime.date:
    return completed_on + relativedelta(months=FINDINGS_REPORT_MONTHS)


def policy_text(agreement: Agreement) -> str:
    """The policy in words, as the reviews page and a scheduled review's reason give it."""
    if not agreement.review_policy_set:
        return "Review policy not set: the agreement does not say when it is reviewed."
    return (
        f"First review {agreement.review_first_after_months} months after the agreement comes into "
        f"force, then every {agreement.review_every_months} months after the last completed review."
    )


# Triggers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriggerEvent:
    """Something in the audit trail that makes a review of ``agreement`` due now."""

    agreement: Agreement
    trigger: str  # a ReviewTrigger value
    key: str  # stored as Review.trigger_key once a review is opened for it
    occurred_at: datetime.datetime
    reason: str

    @property
    def occurred_on(self) -> datetime.date:
        return timezone.localdate(self.occurred_at)

    @property
    def label(self) -> str:
        return ReviewTrigger(self.trigger).label


def _breach_events(agreements: dict[int, Agreement]) -> list[TriggerEvent]:
    """Each breach (not near miss) of an agreement reviewed after any breach: from the first
    audit row that shows it as a breach. A deleted breach is no longer a trigger."""
    ids = [pk for pk, agreement in agreements.items() if agreement.review_after_breach]
    rows = Breach.history.filter(agreement_id__in=ids).order_by("history_date", "history_id")
    deleted = set(Breach.history.filter(agreement_id__in=ids, history_type="-").values_list("id", flat=True))
    first: dict[int, object] = {}
    for row in rows.filter(kind=BreachKind.BREACH):
        if row.id not in deleted:
            first.setdefault(row.id, row)
    names = dict(
        Organisation.objects.filter(pk__in={row.reporting_organisation_id for row in first.values()})
        .values_list("pk", "name")
    )
    events = []
    for row in first.values():
        discovered = long_date(timezone.localdate(row.discovered_at))
        recorded = long_date(timezone.localdate(row.history_date))
        events.append(TriggerEvent(
            agreement=agreements[row.agreement_id], trigger=ReviewTrigger.BREACH, key=f"breach:{row.id}",
            occurred_at=row.history_date,
            reason=f"A breach reported by {names.get(row.reporting_organisation_id, 'a partner')}, "
                   f"discovered on {discovered}, was recorded on {recorded}. The agreement is "
                   "reviewed after any breach.",
        ))
    return events


def _status_at(agreement_rows: list, when: datetime.datetime) -> str | None:
    """The agreement's status at ``when``, from its audit rows (sorted by date)."""
    index = bisect.bisect_right([row.history_date for row in agreement_rows], when)
    return agreement_rows[index - 1].status if index else None


def _version_events(agreements: dict[int, Agreement]) -> list[TriggerEvent]:
    """Each substantive version made while its agreement was in force or under review."""
    statuses: dict[int, list] = defaultdict(list)
    for row in Agreement.history.filter(id__in=agreements).only("id", "history_date", "status").order_by(
        "history_date", "history_id",
    ):
        statuses[row.id].append(row)
    events = []
    rows = AgreementVersion.history.filter(agreement_id__in=agreements, history_type="+", substantive=True)
    for row in rows.order_by("history_date", "history_id"):
        if _status_at(statuses[row.agreement_id], row.history_date) not in AgreementQuerySet.BINDING:
            continue
        if row.number == 1:
            # The first version of an agreement already in force (one signed on paper before the
            # portal, or loaded) records the text as published: there is no earlier one it changes.
            continue
        summary = excerpt(row.change_summary, limit=200) if row.change_summary.strip() else ""
        events.append(TriggerEvent(
            agreement=agreements[row.agreement_id], trigger=ReviewTrigger.SUBSTANTIVE_CHANGE,
            key=f"version:{row.id}", occurred_at=row.history_date,
            reason=f"Version {row.label} was made on {long_date(timezone.localdate(row.history_date))}, "
                   f"a substantive change to the agreement while it was in force."
                   + (f" What changed: {summary}" if summary else ""),
        ))
    return events


def _gateway_events(agreements: dict[int, Agreement]) -> list[TriggerEvent]:
    """Each time a legal gateway an agreement cites was marked repealed or superseded: an audit
    row no longer current whose row before it was. A gateway entered in the catalogue as already
    repealed was never marked so."""
    citing: dict[int, list[int]] = defaultdict(list)
    for agreement_id, gateway_id in Agreement.gateways.through.objects.filter(
        agreement_id__in=agreements,
    ).values_list("agreement_id", "legalgateway_id"):
        citing[gateway_id].append(agreement_id)
    gateways = LegalGateway.objects.select_related("replaced_by").in_bulk(list(citing))
    events = []
    previous: dict[int, str] = {}
    rows = LegalGateway.history.filter(id__in=citing).order_by("history_date", "history_id")
    for row in rows.only("id", "history_id", "history_date", "status"):
        was = previous.get(row.id)
        previous[row.id] = row.status
        if row.status == GatewayStatus.CURRENT or was != GatewayStatus.CURRENT:
            continue
        gateway = gateways[row.id]
        replacement = f" It is replaced by {gateway.replaced_by}." if gateway.replaced_by_id else ""
        for agreement_id in citing[row.id]:
            events.append(TriggerEvent(
                agreement=agreements[agreement_id], trigger=ReviewTrigger.LEGISLATION_CHANGE,
                key=f"gateway:{row.id}:{row.history_id}", occurred_at=row.history_date,
                reason=f"{gateway} ({gateway.title}), which the agreement cites, was marked "
                       f"{GatewayStatus(row.status).label.lower()} on "
                       f"{long_date(timezone.localdate(row.history_date))}.{replacement}",
            ))
    return events


def _completions(agreement_ids) -> list[dict]:
    """Every review of these agreements with when it was opened and, once completed, the day it
    was held and when that was recorded (its first audit row with a completion date)."""
    recorded = dict(
        Review.history.filter(agreement_id__in=agreement_ids, completed_on__isnull=False)
        .values("id").annotate(first=Min("history_date")).values_list("id", "first")
    )
    return [
        {**review, "recorded_at": recorded.get(review["pk"])}
        for review in Review.objects.filter(agreement_id__in=agreement_ids).values(
            "pk", "agreement_id", "trigger_key", "created_at", "completed_on", "resulting_version_id",
        )
    ]


def _answered(event: TriggerEvent, reviews: list[dict]) -> bool:
    for review in reviews:
        if review["trigger_key"] == event.key:
            return True
        completed = review["completed_on"] is not None and review["recorded_at"] is not None
        if completed and review["completed_on"] >= event.occurred_on and review["recorded_at"] >= event.occurred_at:
            return True
        if event.trigger == ReviewTrigger.SUBSTANTIVE_CHANGE:
            if event.key == f"version:{review['resulting_version_id']}":
                return True
            still_open = review["recorded_at"] is None or review["recorded_at"] >= event.occurred_at
            if review["created_at"] <= event.occurred_at and still_open:
                return True
    return False


def _in_force_by_pk(agreements: QuerySet[Agreement] | None, on: datetime.date) -> dict[int, Agreement]:
    in_force = (agreements if agreements is not None else Agreement.objects.all()).in_force(on=on)
    return {agreement.pk: agreement for agreement in in_force.select_related("owner")}


def _open_of(by_pk: dict[int, Agreement], dpia_events: list[TriggerEvent]) -> list[TriggerEvent]:
    """The triggers of the agreements ``by_pk`` (in force) not yet answered by a review, oldest
    first: those of the audit trail and ``dpia_events`` (the DPIAs' reviews already reached)."""
    reviews: dict[int, list[dict]] = defaultdict(list)
    for review in _completions(list(by_pk)):
        reviews[review["agreement_id"]].append(review)
    events = _breach_events(by_pk) + _version_events(by_pk) + _gateway_events(by_pk) + dpia_events
    open_events = [event for event in events if not _answered(event, reviews[event.agreement.pk])]
    return sorted(open_events, key=lambda event: (event.occurred_at, event.key))


def review_triggers_open(
    *, on: datetime.date | None = None, agreements: QuerySet[Agreement] | None = None,
) -> list[TriggerEvent]:
    """Every trigger in the audit trail not yet answered by a review, oldest first, for the
    agreements in force on ``on`` (today by default) among ``agreements`` (every agreement by
    default). The rules are in this module's docstring."""
    on = on or timezone.localdate()
    by_pk = _in_force_by_pk(agreements, on)
    if not by_pk:
        return []
    return _open_of(by_pk, dpia_review_events(by_pk, on=on, event=TriggerEvent))


@dataclass(frozen=True)
class ReviewsAhead:
    """What "What's due" shows of the reviews of some agreements, read together: the agreements
    in force (for their scheduled reviews), the triggers open (``review_triggers_open``) and the
    DPIA reviews coming: due after ``on`` and within ``within_days``, the triggers
    ``review_triggers_open`` holds from their day, under the same keys (none can be answered yet:
    a review answers a trigger only on or after its day)."""

    in_force: list[Agreement]
    open: list[TriggerEvent]
    coming: list[TriggerEvent]


def reviews_ahead(*, on: datetime.date, within_days: int, agreements: QuerySet[Agreement]) -> ReviewsAhead:
    """The reviews ahead of ``agreements`` (``ReviewsAhead``) in one reading: the agreements in
    force and their DPIAs read once for the triggers open and the DPIA reviews coming (issue 15:
    "What's due" read them three and two times)."""
    by_pk = _in_force_by_pk(agreements, on)
    if not by_pk:
        return ReviewsAhead(in_force=[], open=[], coming=[])
    dpias = dpia_review_events(by_pk, on=on + datetime.timedelta(days=within_days), event=TriggerEvent)
    return ReviewsAhead(
        in_force=list(by_pk.values()),
        open=_open_of(by_pk, [event for event in dpias if event.occurred_on <= on]),
        coming=sorted((event for event in dpias if event.occurred_on > on),
                      key=lambda event: (event.occurred_at, event.key)),
    )


def review_trigger(agreement: Agreement, key: str, *, on: datetime.date | None = None) -> TriggerEvent | None:
    """The open trigger ``key`` of ``agreement``, or ``None`` if there is none (any more)."""
    events = review_triggers_open(on=on, agreements=Agreement.objects.filter(pk=agreement.pk))
    return next((event for event in events if event.key == key), None)


def scheduled_reviews_to_open(
    *, on: datetime.date, agreements: QuerySet[Agreement] | None = None,
) -> list[tuple[Agreement, datetime.date]]:
    """Each agreement among ``agreements`` (every agreement by default) whose scheduled review to
    open on ``on`` is due, with its due date: in force, its next review within
    ``SCHEDULED_OPENS_DAYS_BEFORE`` days (or passed), and no scheduled review open. One query,
    whatever the number of agreements (issue 15: it was one or two an agreement)."""
    open_scheduled = Review.objects.filter(agreement=OuterRef("pk"), trigger=ReviewTrigger.SCHEDULED,
                                           completed_on__isnull=True)
    candidates = (agreements if agreements is not None else Agreement.objects.all()).in_force(on=on)
    horizon = on + datetime.timedelta(days=SCHEDULED_OPENS_DAYS_BEFORE)
    due = []
    for agreement in candidates.exclude(Exists(open_scheduled)).select_related("owner").order_by("pk"):
        on_date = scheduled_review_due_on(agreement)
        if on_date is not None and on_date <= horizon:
            due.append((agreement, on_date))
    return due


def scheduled_review_to_open(agreement: Agreement, *, on: datetime.date) -> datetime.date | None:
    """The due date of the scheduled review to open for ``agreement`` on ``on`` (as
    ``scheduled_reviews_to_open``), or ``None``."""
    due = scheduled_reviews_to_open(on=on, agreements=Agreement.objects.filter(pk=agreement.pk))
    return due[0][1] if due else None


# The reviews page --------------------------------------------------------------------------

DUE = "due"
OVERDUE = "overdue"
COMPLETED = "completed"


def review_state(review: Review, *, on: datetime.date) -> str:
    if review.completed_on is not None:
        return COMPLETED
    return OVERDUE if review.due_on < on else DUE


def findings_report_overdue(review: Review, *, on: datetime.date) -> bool:
    return (
        review.completed_on is not None and review.findings_reported_on is None
        and review.findings_report_due_on is not None and review.findings_report_due_on < on
    )


@dataclass
class ReviewBoard:
    """One agreement's reviews as its reviews page shows them."""

    agreement: Agreement
    overdue: list[Review]
    due: list[Review]
    completed: list[Review]
    waiting: list[TriggerEvent]  # triggers no review has been opened for yet
    next_scheduled_on: datetime.date | None  # when no scheduled review is open
    next_scheduled_overdue: bool


def agreement_reviews(agreement: Agreement, *, on: datetime.date | None = None) -> ReviewBoard:
    """``agreement``'s reviews: overdue and due (open, soonest first), completed (latest first),
    the triggers still waiting for a review and, while no scheduled review is open, when the
    next one is due. Each review has ``state`` and ``findings_overdue``."""
    on = on or timezone.localdate()
    reviews = list(agreement.reviews.prefetch_related("reviewers").order_by("due_on", "pk"))
    for review in reviews:
        review.state = review_state(review, on=on)
        review.findings_overdue = findings_report_overdue(review, on=on)
    scheduled_open = any(r.trigger == ReviewTrigger.SCHEDULED and r.state != COMPLETED for r in reviews)
    in_force = Agreement.objects.in_force(on=on).filter(pk=agreement.pk).exists()
    next_on = scheduled_review_due_on(agreement) if in_force and not scheduled_open else None
    return ReviewBoard(
        agreement=agreement,
        overdue=[r for r in reviews if r.state == OVERDUE],
        due=[r for r in reviews if r.state == DUE],
        completed=sorted(
            (r for r in reviews if r.state == COMPLETED), key=lambda r: (r.completed_on, r.pk), reverse=True,
        ),
        waiting=review_triggers_open(on=on, agreements=Agreement.objects.filter(pk=agreement.pk)),
        next_scheduled_on=next_on,
        next_scheduled_overdue=next_on is not None and next_on < on,
    )


def review_people(agreement: Agreement) -> QuerySet[Contact]:
    """Who may be named as a reviewer or an action's owner: the directory entries of the owner
    and of every party still taking part in the agreement."""
    organisations = agreement.parties.exclude(status__in=NOT_TAKING_PART).values("organisation_id")
    return (
        Contact.objects.filter(Q(organisation_id__in=organisations) | Q(organisation_id=agreement.owner_id))
        .select_related("organisation").order_by("organisation__name", "name")
    )
