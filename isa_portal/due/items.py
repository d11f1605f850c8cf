"""One thing due on "What's due" (``DueItem``), a person's list of them (``DueList``), and the
numbers of days they are read with."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from agreements.models import Agreement

# How far ahead "What's due" shows a confirmation or renewal coming up.
COMING_UP_DAYS = 30
# Coming up within this many days is "due soon".
SOON_DAYS = 7
# Receipts and breach notices are acknowledged by the next working day.
ACKNOWLEDGE_WORKING_DAYS = 1


def named(agreement: Agreement) -> str:
    return agreement.reference or agreement.title


@dataclass(frozen=True)
class DueItem:
    """One thing due: what, for which agreement or organisation, by when, and where it is done.

    ``due`` is a date, an aware datetime (the ICO's 72 hours) or ``None`` when nothing sets a
    date (a request to pass information on waits for a decision as soon as may be).
    """

    key: str
    kind: str
    what: str
    about: str
    due: datetime.date | datetime.datetime | None
    overdue: bool
    url: str
    # "overdue", "soon" (within ``SOON_DAYS``), "due" or "undated"; set by ``due_for``.
    status: str = ""
    # Decided "at pace" (an escalated refusal to share, 004 §6.4): listed before everything else.
    urgent: bool = False
    # Orders items of one kind due at the same moment: the order their rows are read in from
    # the database (``Counted``), so that the first rows read are the first items listed.
    rank: tuple = ()

    @property
    def in_hours(self) -> bool:
        return isinstance(self.due, datetime.datetime)

    def sort_key(self) -> tuple:
        if self.due is None:
            moment = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        elif self.in_hours:
            moment = self.due
        else:
            moment = timezone.make_aware(datetime.datetime.combine(self.due, datetime.time.max))
        return (not self.urgent, moment, self.kind, self.rank, self.key)


@dataclass
class DueList:
    overdue: list[DueItem] = field(default_factory=list)
    coming_up: list[DueItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.coming_up


@dataclass(frozen=True)
class Counted:
    """A reader whose rows grow with the log (receipts, people to tell, copies …): counted in the
    database and read a page at a time instead of built whole.

    ``rows`` are in the order ``DueItem.sort_key`` lists their items; ``overdue`` says which rows
    are overdue (a condition, or ``True``/``False`` for all or none); ``item`` makes a row's
    ``DueItem``."""

    rows: QuerySet
    overdue: Q | bool
    item: Callable[..., DueItem]

    def counts(self) -> tuple[int, int]:
        """(overdue, coming up), in one query."""
        if isinstance(self.overdue, bool):
            total = self.rows.count()
            return (total, 0) if self.overdue else (0, total)
        counts = self.rows.aggregate(overdue=Count("pk", filter=self.overdue), total=Count("pk"))
        return counts["overdue"], counts["total"] - counts["overdue"]

    def first(self, *, overdue: bool, limit: int) -> list[DueItem]:
        """The first ``limit`` items overdue (or not)."""
        if limit <= 0:
            return []
        if isinstance(self.overdue, bool):
            rows = self.rows if self.overdue == overdue else self.rows.none()
        else:
            rows = self.rows.filter(self.overdue) if overdue else self.rows.exclude(self.overdue)
        return [self.item(row) for row in rows[:limit]]
