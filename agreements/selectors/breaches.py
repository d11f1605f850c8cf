"""Reads of breaches and near misses (002 §6): who sees which, and their deadlines.

The deadlines are computed from the dates recorded, each time they are read, by
``agreements.clocks``: a bank holiday proclaimed after a breach was recorded still counts.
"""

import dataclasses
import datetime

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from partners.models import Organisation, Role, UndeliveredNotice
from partners.permissions import user_organisation_ids

from .. import clocks
from ..models import Agreement, Breach, BreachNotification, ContactRole, Party
from ..permissions import BREACH_ACTORS, BREACH_READERS, PARTNER_STATUSES
from .drafting import agreements_acted_for, agreements_managed_by

BREACH_OPEN = "open"
BREACH_CLOSED = "closed"
BREACH_OVERDUE = "overdue"
BREACH_FILTERS = ((BREACH_OPEN, "Open"), (BREACH_OVERDUE, "Overdue"), (BREACH_CLOSED, "Closed"))


def breaches_visible_to(user) -> QuerySet[Breach]:
    """Every breach ``user`` may see (rules in ``agreements.permissions``)."""
    own = user_organisation_ids(user, roles=BREACH_READERS)
    if not own:
        return Breach.objects.none()
    partnered = Party.objects.filter(organisation_id__in=own, status__in=PARTNER_STATUSES).values("agreement_id")
    return Breach.objects.filter(
        Q(agreement__owner_id__in=own) | Q(agreement_id__in=partnered) | Q(reporting_organisation_id__in=own)
    ).select_related("agreement__owner", "reporting_organisation")


def breach_notifications(breach: Breach) -> QuerySet[BreachNotification]:
    """The parties told of ``breach``, by name, each with who acknowledged it."""
    return breach.notifications.select_related("party__organisation", "acknowledged_by")


def breach_party_event_key(breach: Breach, party: Party) -> str:
    """The event of telling ``party`` of ``breach`` (``partners.services.notice_send``)."""
    return f"breach-{breach.pk}-party-{party.pk}"


def breach_undelivered(breach: Breach) -> QuerySet[UndeliveredNotice]:
    """The parties that should have been told of ``breach`` but have nobody to tell."""
    return UndeliveredNotice.objects.open().filter(
        event_key__startswith=f"breach-{breach.pk}-party-",
    ).select_related("organisation")


def with_undelivered(breaches: QuerySet[Breach]) -> QuerySet[Breach]:
    """``breaches`` each with ``has_undelivered`` (``breach_undelivered`` has a row) and their
    notifications, read for all of them at once: a list's deadlines then ask nothing a breach."""
    key = Concat(Value("breach-"), Cast(OuterRef("pk"), CharField()), Value("-party-"))
    return breaches.annotate(
        has_undelivered=Exists(UndeliveredNotice.objects.open().filter(event_key__startswith=key)),
    ).prefetch_related("notifications")


def _partners_told_on(breach: Breach) -> datetime.date | None:
    """When the last party was told; every party is told as the breach is recorded. Not done
    (``None``) while a party that should have been told has nobody on record to tell."""
    undelivered = getattr(breach, "has_undelivered", None)
    if undelivered is None:
        undelivered = breach_undelivered(breach).exists()
    if undelivered:
        return None
    told = [notification.notified_at for notification in breach.notifications.all()]
    return timezone.localdate(max(told) if told else breach.created_at)


def _in_working_days(count: int) -> str:
    """"1 working day", "5 working days" (the Safe and Well trial, P16: "within 1 working days")."""
    return f"{count} working day{'' if count == 1 else 's'}"


def breach_deadlines(breach: Breach, *, now: datetime.datetime | None = None) -> list[clocks.Deadline]:
    """The deadlines of ``breach`` at ``now`` (by default, now), in order, as
    ``agreements.clocks.Deadline`` (key, label, due, done, overdue; ``late`` when done after due).

    Working days from the day of discovery, in the agreement's jurisdiction, with the agreement's
    own numbers of days (002 §6 sets 5, 10, 20 and 5): other partners told ("partners_told"), the
    report of the partner in breach ("report"), the partners' meeting ("meeting") and its minutes
    ("minutes", after the meeting, unknown until it is held). A clock the agreement does not set
    has no step, except "partners_told", which is always there: with no due date where the
    agreement says "without undue delay" (004 App. B 1.3) or sets no limit. A near miss has only
    the first. A personal data breach adds the ICO's 72 hours ("ico", an aware
    datetime), done when it was reported or the decision not to report it was recorded.
    Nothing of a closed breach is overdue.
    """
    now = now or timezone.now()
    on = timezone.localdate(now)
    agreement = breach.agreement
    discovered_on = timezone.localdate(breach.discovered_at)

    def working_days(days: int, start: datetime.date = discovered_on) -> datetime.date:
        return clocks.add_working_days(start, days, jurisdiction=agreement.jurisdiction)

    def step(**fields) -> clocks.Deadline:
        return clocks.deadline(on=on, now=now, **fields)

    told = agreement.breach_notify_working_days
    if agreement.breach_notify_without_undue_delay:
        told_label, told_due = "Other partners told (without undue delay)", None
    elif told is None:
        told_label, told_due = "Other partners told (no time limit set by this agreement)", None
    else:
        told_label, told_due = f"Other partners told (within {_in_working_days(told)})", working_days(told)
    steps = [step(key="partners_told", label=told_label, due=told_due, done=_partners_told_on(breach))]
    if not breach.is_near_miss:
        report, meeting = agreement.breach_report_working_days, agreement.breach_meeting_working_days
        minutes = agreement.breach_minutes_working_days
        # Only the steps the agreement sets a clock for (002 §6 sets all three).
        if report is not None:
            steps.append(step(
                key="report", label=f"Report from the partner in breach (within {_in_working_days(report)})",
                due=working_days(report), done=breach.report_received_on,
            ))
        if meeting is not None:
            steps.append(step(
                key="meeting", label=f"Partners' meeting (within {_in_working_days(meeting)})",
                due=working_days(meeting), done=breach.meeting_held_on,
            ))
        if minutes is not None:
            steps.append(step(
                key="minutes", label=f"Minutes circulated (within {_in_working_days(minutes)} of the meeting)",
                due=working_days(minutes, breach.meeting_held_on) if breach.meeting_held_on else None,
                done=breach.minutes_circulated_on,
            ))
    if breach.personal_data_breach:
        steps.append(step(
            key="ico", label=f"Reported to the ICO, or the decision not to report it recorded (within "
                             f"{clocks.ICO_HOURS} hours)",
            due=clocks.ico_due(breach.discovered_at), done=breach.ico_reported_at or breach.ico_decided_at,
        ))
    if breach.closed_on is not None:
        steps = [dataclasses.replace(item, overdue=False) for item in steps]
    return steps


def _due_moment(item: clocks.Deadline) -> datetime.datetime:
    """When ``item`` falls due, as a time: a date-clock step at the end of its day."""
    if item.in_hours:
        return item.due
    return timezone.make_aware(datetime.datetime.combine(item.due, datetime.time.max))


def breaches_listed(
    breaches: QuerySet[Breach], *, status: str = "", now: datetime.datetime | None = None,
) -> list[Breach]:
    """``breaches`` (from ``breaches_visible_to``), newest discovery first, narrowed by ``status``
    (``BREACH_OPEN``, ``BREACH_CLOSED`` or ``BREACH_OVERDUE``: open with a step overdue). Each
    carries ``deadlines``, ``overdue`` and ``next_deadline`` (the earliest step not yet done).
    """
    now = now or timezone.now()
    if status in (BREACH_OPEN, BREACH_OVERDUE):
        breaches = breaches.filter(closed_on__isnull=True)
    elif status == BREACH_CLOSED:
        breaches = breaches.filter(closed_on__isnull=False)
    rows = []
    for breach in with_undelivered(breaches).order_by("-discovered_at", "-pk"):
        breach.deadlines = breach_deadlines(breach, now=now)
        breach.overdue = any(item.overdue for item in breach.deadlines)
        pending = [item for item in breach.deadlines if item.done is None and item.due is not None]
        breach.next_deadline = min(pending, key=_due_moment) if pending else None
        if status != BREACH_OVERDUE or breach.overdue:
            rows.append(breach)
    return rows


def breach_deadlines_pending(
    breaches: QuerySet[Breach] | None = None, *, now: datetime.datetime | None = None,
) -> list[tuple[Breach, clocks.Deadline]]:
    """Every step not yet done of the open ``breaches`` (by default all of them; pass
    ``breaches_visible_to(user)`` for one person's), earliest due first, as (breach, deadline).

    For the daily scheduler (reminders before and after each ``due``, keyed by ``breach.pk``
    and ``deadline.key``) and the "what's due" page. Steps whose due date cannot be known yet
    (the minutes before the meeting) are left out.
    """
    now = now or timezone.now()
    breaches = Breach.objects.all() if breaches is None else breaches
    pending = [
        (breach, item)
        for breach in with_undelivered(breaches.filter(closed_on__isnull=True))
        .select_related("agreement", "reporting_organisation")
        for item in breach_deadlines(breach, now=now)
        if item.done is None and item.due is not None
    ]
    return sorted(pending, key=lambda pair: (_due_moment(pair[1]), pair[0].pk))


def affected_decisions_awaited(breaches: QuerySet[Breach] | None = None) -> QuerySet[Breach]:
    """Open personal data breaches whose Article 34 decision on telling the people affected is
    still to be made, though they were reported to the ICO or assessed as high risk
    (``Breach.affected_decision_awaited``), oldest first."""
    breaches = Breach.objects.all() if breaches is None else breaches
    return (
        breaches.filter(closed_on__isnull=True, personal_data_breach=True, affected_decision="")
        .filter(Q(ico_reported_at__isnull=False, affected_high_risk__isnull=True) | Q(affected_high_risk=True))
        .select_related("agreement", "reporting_organisation").order_by("discovered_at", "pk")
    )


def breach_notifications_to_acknowledge(user) -> QuerySet[BreachNotification]:
    """Notices of breaches not yet acknowledged by a party ``user`` is a SPOC for: by the SPOC
    role in its organisation, or named as the party's SPOC (``can_acknowledge_breach``)."""
    if not user.is_authenticated:
        return BreachNotification.objects.none()
    spoc_of = user_organisation_ids(user, roles=[Role.SPOC])
    return (
        BreachNotification.objects.filter(acknowledged_at__isnull=True)
        .filter(
            Q(party__organisation_id__in=spoc_of)
            | Q(party__contacts__role=ContactRole.SPOC, party__contacts__contact__user=user)
        )
        .select_related("breach__agreement", "breach__reporting_organisation", "party__organisation")
        .distinct()
        .order_by("notified_at", "pk")
    )


def agreements_for_breach_reports(user) -> QuerySet[Agreement]:
    """The agreements ``user`` may record a breach under (``can_record_breach_for``)."""
    return agreements_acted_for(user, BREACH_ACTORS)


def organisations_reporting_for(user) -> QuerySet[Organisation]:
    """Organisations ``user`` may report a breach for: their own, as SPOC or governance manager,
    and every partner of the agreements they manage."""
    own = user_organisation_ids(user, roles=BREACH_ACTORS)
    managed = Party.objects.filter(agreement__in=agreements_managed_by(user)).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=managed)).order_by("name")
