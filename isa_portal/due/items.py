"""One thing due on "What's due" (``DueItem``), a person's list of them (``DueList``), and the
numbers of days they are read with."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Value
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


_NEVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


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

    def make(self) -> "DueItem":
        """Itself: a ``Deferred`` item's ``make`` makes it; a made one is made."""
        return self

    @property
    def in_hours(self) -> bool:
        return isinstance(self.due, datetime.datetime)

    def sort_key(self) -> tuple:
        return self.place(due=self.due, urgent=self.urgent, kind=self.kind, rank=self.rank, key=self.key)

    @staticmethod
    def place(*, due, urgent: bool, kind: str, rank: tuple, key: str) -> tuple:
        """The ``sort_key`` of an item with these values, before the item is made: a
        ``Counted`` reader places its rows from a few columns and makes items only of the rows
        a page shows."""
        if due is None:
            moment = _NEVER
        elif isinstance(due, datetime.datetime):
            moment = due
        else:
            moment = timezone.make_aware(datetime.datetime.combine(due, datetime.time.max))
        return (not urgent, moment, kind, rank, key)


@dataclass(frozen=True)
class Deferred:
    """An item placed before it is made, for a reader read whole whose items are many and dear to
    make (the cases open too long: hundreds for one organisation at a million entries, each with
    its dates and address written out). ``place`` is the ``sort_key`` its item will have
    (``DueItem.place``); ``make`` makes the item, only for a page that shows it (issue 15)."""

    key: str
    overdue: bool
    place: tuple
    make: Callable[[], DueItem]

    def sort_key(self) -> tuple:
        return self.place


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
    ``DueItem``; ``place`` gives, from a row's ``fields`` (and its ``pk``) read with ``values()``,
    the ``sort_key`` its item will have (``DueItem.place``), so that a page is placed from a few
    columns of each row and only the rows it shows are read whole and made items."""

    rows: QuerySet
    overdue: Q | bool
    item: Callable[..., DueItem]
    fields: tuple[str, ...]
    place: Callable[[dict], tuple]

    def counts(self) -> tuple[int, int]:
        """(overdue, coming up), in one query."""
        if isinstance(self.overdue, bool):
            total = self.rows.count()
            return (total, 0) if self.overdue else (0, total)
        counts = self.rows.aggregate(overdue=Count("pk", filter=self.overdue), total=Count("pk"))
        return counts["overdue"], counts["total"] - counts["overdue"]

    def _counting(self, index: int) -> QuerySet:
        """One row: this reader's ``index``, and its number of rows overdue and in all."""
        if isinstance(self.overdue, bool):
            # Every row or none: a condition no row meets counts none.
            overdue = Count("pk") if self.overdue else Count("pk", filter=Q(pk__isnull=True))
        else:
            overdue = Count("pk", filter=self.overdue)
        # A constant is not grouped by: one row, whatever the number of rows counted.
        return (self.rows.order_by().annotate(source=Value(index)).values("source")
                .annotate(overdue=overdue, total=Count("pk")))

    @staticmethod
    def counts_of(sources: "list[Counted]") -> list[tuple[int, int]]:
        """``counts()`` of each of ``sources``, in one query for them all (a ``UNION ALL`` of one
        row a reader), not one a reader."""
        parts = [source._counting(index) for index, source in enumerate(sources)]
        if not parts:
            return []
        found = {row["source"]: (row["overdue"], row["total"] - row["overdue"])
                 for row in parts[0].union(*parts[1:], all=True)}
        # A reader that can read nothing (``none()``, signed out) is left out of the union.
        return [found.get(index, (0, 0)) for index in range(len(sources))]

    def _part(self, overdue: bool) -> QuerySet:
        if isinstance(self.overdue, bool):
            return self.rows if self.overdue == overdue else self.rows.none()
        return self.rows.filter(self.overdue) if overdue else self.rows.exclude(self.overdue)

    def places(self, *, overdue: bool, limit: int) -> list[tuple[tuple, int]]:
        """(place, pk) of the first ``limit`` rows overdue (or not), in one query of a few
        columns: no model instance, no item."""
        if limit <= 0:
            return []
        rows = self._part(overdue).values("pk", *self.fields)[:limit]
        return [(self.place(row), row["pk"]) for row in rows]

    def items(self, pks) -> dict[int, DueItem]:
        """The items of the rows ``pks``, by pk, in one query."""
        return {row.pk: self.item(row) for row in self.rows.filter(pk__in=pks)} if pks else {}
