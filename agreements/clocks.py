"""The clocks of breaches and requests: UK working days, a calendar month and 72 hours.

Every deadline the portal computes for a breach (002 §6; DOMAIN.md rule 7) or for a subject
access or freedom of information request is worked out here, and nowhere else.

- **Working days** are Monday to Friday less the bank holidays of the jurisdiction the agreement
  is made under: England and Wales, Scotland or Northern Ireland. The bank holidays come from the
  maintained ``holidays`` library (docs/decisions/0012), which follows each year's proclamations
  and substitute days: Christmas on a Saturday moves to the Monday, Boxing Day on a Sunday to
  the Tuesday, Scotland's 2 January, St Andrew's Day and Northern Ireland's 17 March and 12 July.
- "Within N working days of" a day means by the N-th working day *after* it: the day itself is
  not counted, whatever time it was.
- **Subject access** (UK GDPR Art 12(3)): one calendar month from receipt — the same date next
  month, or that month's last day when it is shorter (31 January gives 28 or 29 February) — and,
  as the ICO's guidance allows, the next working day when that date is not one.
- **The other rights** of UK GDPR Articles 16 to 18 and 21 (rectification, erasure,
  restriction, objection) run on subject access's clock. **Extended** under Art 12(3) where
  requests are complex or numerous, the answer is due by two further months: three calendar
  months from receipt, moved the same way.
- **Freedom of information** (FOIA s10(1)): the twentieth working day following receipt, where a
  working day is any day but a Saturday, a Sunday, Christmas Day, Good Friday or a bank holiday
  *in any part of the United Kingdom* (FOIA s10(6)). Scottish public authorities answer under
  FOISA instead, whose working days skip Scotland's bank holidays alone (FOISA s73).
- **The ICO** (UK GDPR Art 33(1)): 72 hours from discovery, counted in hours, nights, weekends
  and bank holidays included; shown in UK time, so across a change of the clocks the hour
  shown moves.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

ENGLAND_AND_WALES = "england_wales"
SCOTLAND = "scotland"
NORTHERN_IRELAND = "northern_ireland"

# ``holidays.UnitedKingdom`` subdivision of each jurisdiction. Wales shares England's bank holidays.
SUBDIVISIONS = {ENGLAND_AND_WALES: "ENG", SCOTLAND: "SCT", NORTHERN_IRELAND: "NIR"}

ICO_HOURS = 72
FOI_WORKING_DAYS = 20
SATURDAY = 5


@lru_cache(maxsize=256)
def _bank_holidays(subdivision: str, year: int) -> frozenset[datetime.date]:
    # Frozen per year, so the live server's threads share the set without mutating it.
    return frozenset(holidays.UnitedKingdom(subdiv=subdivision, years=year))


def bank_holidays(jurisdiction: str, year: int) -> frozenset[datetime.date]:
    """The bank holidays (substitute days included) of ``jurisdiction`` in ``year``."""
    try:
        subdivision = SUBDIVISIONS[jurisdiction]
    except KeyError:
        raise ValueError(f"{jurisdiction!r} is not a UK jurisdiction the portal knows.") from None
    return _bank_holidays(subdivision, year)


def _uk_bank_holidays(year: int) -> frozenset[datetime.date]:
    """A bank holiday in any part of the United Kingdom (FOIA s10(6))."""
    return frozenset().union(*(_bank_holidays(subdivision, year) for subdivision in SUBDIVISIONS.values()))


def is_working_day(day: datetime.date, *, jurisdiction: str) -> bool:
    return day.weekday() < SATURDAY and day not in bank_holidays(jurisdiction, day.year)


def _add_days(start: datetime.date, days: int, *, closed) -> datetime.date:
    if days < 0:
        raise ValueError("A clock counts forward: days must not be negative.")
    day = start
    while days:
        day += datetime.timedelta(days=1)
        if day.weekday() < SATURDAY and day not in closed(day.year):
            days -= 1
    return day


def add_working_days(start: datetime.date, days: int, *, jurisdiction: str) -> datetime.date:
    """The ``days``-th working day after ``start`` in ``jurisdiction`` (``start`` is not counted)."""
    return _add_days(start, days, closed=lambda year: bank_holidays(jurisdiction, year))


def next_working_day(day: datetime.date, *, jurisdiction: str) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, jurisdiction=jurisdiction):
        day += datetime.timedelta(days=1)
    return day


def subject_access_due(received_on: datetime.date, *, jurisdiction: str) -> datetime.date:
    """One calendar month from receipt, moved to the next working day if it is not one."""
    return next_working_day(received_on + relativedelta(months=1), jurisdiction=jurisdiction)


def rights_request_extended_due(received_on: datetime.date, *, jurisdiction: str) -> datetime.date:
    """One month and two further months from receipt (Art 12(3)), moved to the next working day
    if it is not one."""
    return next_working_day(received_on + relativedelta(months=3), jurisdiction=jurisdiction)


def foi_due(received_on: datetime.date, *, jurisdiction: str) -> datetime.date:
    """The twentieth working day following receipt: FOIA s10, or FOISA s10 in Scotland."""
    if jurisdiction == SCOTLAND:
        return add_working_days(received_on, FOI_WORKING_DAYS, jurisdiction=SCOTLAND)
    bank_holidays(jurisdiction, received_on.year)  # refuses an unknown jurisdiction
    return _add_days(received_on, FOI_WORKING_DAYS, closed=_uk_bank_holidays)


def ico_due(discovered_at: datetime.datetime) -> datetime.datetime:
    """72 hours after discovery (UK GDPR Art 33(1))."""
    if discovered_at.tzinfo is None:
        raise ValueError("The time of discovery must carry its time zone.")
    # In UTC: adding hours to a local time would keep the wall clock and lose or gain the hour
    # when the clocks change.
    return discovered_at.astimezone(datetime.UTC) + datetime.timedelta(hours=ICO_HOURS)


@dataclass(frozen=True)
class Deadline:
    """One step of a clock: what is due, by when, and when it was done.

    - ``key``: a stable name for the step ("partners_told", "report", "meeting", "minutes",
      "ico", "response"), for event keys such as ``f"breach-{pk}-{key}-overdue"``;
    - ``label``: what is due, in words;
    - ``due``: a ``date`` for working-day clocks, an aware ``datetime`` for the ICO's hours, or
      ``None`` when it cannot be known yet (the minutes before the meeting is held) or the
      agreement sets no number of days (partners told "without undue delay", 004 App. B 1.3);
    - ``done``: when it was done (``date`` or ``datetime``), or ``None``;
    - ``overdue``: not done, and the due date (or time) has passed.
    """

    key: str
    label: str
    due: datetime.date | datetime.datetime | None
    done: datetime.date | datetime.datetime | None
    overdue: bool

    @property
    def in_hours(self) -> bool:
        return isinstance(self.due, datetime.datetime)

    @property
    def late(self) -> bool:
        """Done, but after it was due."""
        if self.done is None or self.due is None:
            return False
        if self.in_hours:
            return self.done > self.due
        done = self.done.date() if isinstance(self.done, datetime.datetime) else self.done
        return done > self.due


def deadline(
    *, key: str, label: str, due, done, on: datetime.date, now: datetime.datetime,
) -> Deadline:
    """A ``Deadline``, overdue when not done and ``due`` is before ``on`` (a date) or ``now``
    (a time): a date-clock step is due by the end of its day."""
    if done is not None or due is None:
        overdue = False
    elif isinstance(due, datetime.datetime):
        overdue = now > due
    else:
        overdue = on > due
    return Deadline(key=key, label=label, due=due, done=done, overdue=overdue)
