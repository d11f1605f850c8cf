"""The reports' reads: the sharing log's counts, aggregated in the database, and signatures,
reviews and breach deadlines read through each app's own scoped selectors.

The log's counts take a fixed number of queries whatever its size: one ``GROUP BY`` a month and
partner, a month and lawful basis, a month and decision, and one month by month with a count for
each data category (``COUNT(…) FILTER``), plus one for the names of the lawful bases.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agreements.models import Agreement, LegalGateway, PartyStatus, Status
from agreements.selectors import (
    SignatureStatus,
    agreements_managed_by,
    agreements_visible_to,
    breaches_listed,
    breaches_visible_to,
    signature_overview,
)
from sharing_log.models import Amendment, AmendmentKind, DataCategory, Decision, Disclosure, SpecialCategory
from sharing_log.selectors import LogFilters, disclosures_filtered, disclosures_visible_to

from ..due.agreements import reviews
from .suppression import Figure, Line, primary, protect

# The longest period the reports chart, in months: three years of boards.
MAX_MONTHS = 36


@dataclass(frozen=True)
class ReportFilters:
    agreement: Agreement | None
    date_from: datetime.date
    date_to: datetime.date

    @property
    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, in order."""
        months, month = [], self.date_from.replace(day=1)
        while month <= self.date_to:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def default_period(*, on: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, this one included."""
    on = on or timezone.localdate()
    start = on.replace(day=1)
    for _ in range(11):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start, on


def report_agreements(user) -> QuerySet[Agreement]:
    """The agreements the reports can be narrowed to: those ``user`` may see, drafts aside."""
    return agreements_visible_to(user).exclude(status=Status.DRAFT).order_by("title")


# The sharing log ---------------------------------------------------------------------------


@dataclass
class BreakdownRow:
    label: str
    months: list[Figure]
    total: Figure


@dataclass
class Breakdown:
    """One way of dividing the entries: by partner, lawful basis, decision or data category."""

    key: str
    title: str
    noun: str  # the rows' heading in the table
    rows: list[BreakdownRow]
    additive: bool  # every entry in exactly one row, so the rows add up to the month's total
    note: str = ""


@dataclass
class DisclosureReport:
    months: list[datetime.date]
    month_totals: list[Figure]
    total: Figure
    breakdowns: list[Breakdown] = field(default_factory=list)
    # False when so few entries are spread so thin that no suppression could keep a small count
    # from being worked out: then only ``total`` is published.
    broken_down: bool = True

    @property
    def any_suppressed(self) -> bool:
        figures = [*self.month_totals, self.total]
        for breakdown in self.breakdowns:
            for row in breakdown.rows:
                figures += [*row.months, row.total]
        return any(figure.suppressed for figure in figures)


def disclosures_reported(user, filters: ReportFilters) -> QuerySet[Disclosure]:
    """The entries ``user`` may read in the period and agreement of ``filters``, voided ones left
    out: an entry voided was logged in error, and nothing was shared or decided."""
    voided = Amendment.objects.filter(disclosure=OuterRef("pk"), kind=AmendmentKind.VOID)
    entries = disclosures_filtered(disclosures_visible_to(user), LogFilters(
        agreement=filters.agreement, date_from=filters.date_from, date_to=filters.date_to,
    ))
    return entries.filter(~Exists(voided)).order_by()


def _month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return value.replace(day=1)


def _category_condition(value: str) -> Q:
    """Entries whose categories include ``value``: as ``sharing_log.selectors.disclosures_filtered``
    asks it (containment on PostgreSQL, the quoted value in the JSON text on SQLite)."""
    name = "special_categories" if value in SpecialCategory.values else "data_categories"
    if connection.vendor == "postgresql":
        return Q(**{f"{name}__contains": [value]})
    return Q(**{f"{name}__icontains": f'"{value}"'})


def _gateway_label(gateway: LegalGateway | None) -> str:
    return gateway.plain_name if gateway is not None else ""


def disclosure_report(user, filters: ReportFilters) -> DisclosureReport:
    """The counts of the entries ``user`` may read, month by month, each way of dividing them,
    with small numbers suppressed (``isa_portal.reports.suppression``)."""
    months = filters.months
    entries = disclosures_reported(user, filters).annotate(month=TruncMonth("occurred_at"))

    by_partner: dict[tuple, int] = {}
    partner_names: dict[int, str] = {}
    for row in entries.values("month", "disclosing_organisation_id", "disclosing_organisation__name").annotate(
        n=Count("pk"),
    ):
        key = row["disclosing_organisation_id"]
        partner_names[key] = row["disclosing_organisation__name"]
        by_partner[(key, _month(row["month"]))] = row["n"]

    by_basis: dict[tuple, int] = {}
    for row in entries.values("month", "art6_basis_id", "law_enforcement_basis_id").annotate(n=Count("pk")):
        key = (row["art6_basis_id"], row["law_enforcement_basis_id"])
        cell = (key, _month(row["month"]))
        by_basis[cell] = by_basis.get(cell, 0) + row["n"]
    gateway_ids = {pk for (art6, part3), _ in by_basis for pk in (art6, part3) if pk is not None}
    gateways = {gateway.pk: gateway for gateway in LegalGateway.objects.filter(pk__in=gateway_ids)}

    by_decision: dict[tuple, int] = {}
    for row in entries.values("month", "decision").annotate(n=Count("pk")):
        by_decision[(row["decision"], _month(row["month"]))] = row["n"]

    categories = [*DataCategory.choices, *SpecialCategory.choices]
    by_category: dict[tuple, int] = {}
    counts = {f"category_{value}": Count("pk", filter=_category_condition(value)) for value, _ in categories}
    for row in entries.values("month").annotate(**counts):
        for value, _ in categories:
            by_category[(value, _month(row["month"]))] = row[f"category_{value}"]

    month_total = {month: sum(n for (decision, m), n in by_decision.items() if m == month) for month in months}

    def basis_label(key) -> str:
        art6, part3 = key
        if art6 is None and part3 is None:
            return "None recorded (decisions not to share)"
        if part3 is not None:
            return f"DPA 2018 Part 3: {_gateway_label(gateways.get(part3))}"
        return _gateway_label(gateways.get(art6))

    dimensions = [
        ("partner", "Entries by the partner that shared or decided", "Partner",
         sorted(partner_names, key=lambda pk: partner_names[pk]), lambda pk: partner_names[pk], by_partner, True,
         ""),
        ("basis", "Entries by lawful basis", "Lawful basis",
         sorted({key for key, _ in by_basis}, key=lambda key: basis_label(key)), basis_label, by_basis, True, ""),
        ("decision", "Entries by decision", "Decision",
         [value for value in Decision.values if any(d == value for d, _ in by_decision)] or list(Decision.values),
         lambda value: Decision(value).label, by_decision, True, ""),
        ("category", "Entries by data category", "Data category",
         [value for value, _ in categories], lambda value: str(dict(categories)[value]), by_category, False,
         "An entry may include several categories, or none (a decision not to share), so these do not add "
         "up to the entries."),
    ]

    values: dict = {("T", month): month_total[month] for month in months}
    values[("G",)] = sum(month_total.values())
    lines = [Line(("G",), tuple(("T", month) for month in months))]
    totals = set(values)
    for key, _, _, row_keys, _, counted, additive, _ in dimensions:
        for row_key in row_keys:
            for month in months:
                values[(key, row_key, month)] = counted.get((row_key, month), 0)
            values[(key, row_key, "R")] = sum(counted.get((row_key, month), 0) for month in months)
            totals.add((key, row_key, "R"))
            lines.append(Line((key, row_key, "R"), tuple((key, row_key, month) for month in months)))
        if additive:
            lines += [Line(("T", month), tuple((key, row_key, month) for row_key in row_keys)) for month in months]
            lines.append(Line(("G",), tuple((key, row_key, "R") for row_key in row_keys)))
    protection = protect(values, lines, totals=totals)
    figures = protection.figures
    if not protection.safe:
        # Only the period's total is published: nothing else to work it against.
        figures[("G",)] = Figure(value=values[("G",)], state=primary(values[("G",)]))

    return DisclosureReport(
        months=months, broken_down=protection.safe,
        month_totals=[figures[("T", month)] for month in months],
        total=figures[("G",)],
        breakdowns=[
            Breakdown(key=key, title=title, noun=noun, additive=additive, note=note, rows=[
                BreakdownRow(label=label(row_key), months=[figures[(key, row_key, month)] for month in months],
                             total=figures[(key, row_key, "R")])
                for row_key in row_keys
            ])
            for key, title, noun, row_keys, label, _, additive, note in dimensions
        ],
    )


# Signatures --------------------------------------------------------------------------------

NOT_TAKING_PART = (PartyStatus.DECLINED, PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN)
STILL_TO_SIGN = (SignatureStatus.INVITED, SignatureStatus.AWAITING_DETAILS, SignatureStatus.AWAIT_CASE)


@dataclass(frozen=True)
class SignatureCompletion:
    agreement: Agreement
    signed: int
    resigning: int  # signed an older version, not the latest
    to_sign: int
    not_taking_part: int

    @property
    def expected(self) -> int:
        return self.signed + self.resigning + self.to_sign

    @property
    def percent(self) -> int:
        return round(100 * self.signed / self.expected) if self.expected else 0


def signature_completion(user, filters: ReportFilters) -> list[SignatureCompletion]:
    """For each agreement ``user`` manages that is out for signature or in force (one, with
    ``filters.agreement``), how many parties have signed its latest version."""
    rows = []
    for matrix in signature_overview(user):
        if not matrix.is_signable or (filters.agreement is not None and matrix.agreement.pk != filters.agreement.pk):
            continue
        counts = matrix.counts
        rows.append(SignatureCompletion(
            agreement=matrix.agreement, signed=counts[SignatureStatus.SIGNED],
            resigning=counts[SignatureStatus.NEEDS_RESIGNING],
            to_sign=sum(counts[status] for status in STILL_TO_SIGN),
            not_taking_part=sum(counts[status] for status in NOT_TAKING_PART),
        ))
    return rows


# Reviews -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewOverdue:
    what: str
    about: str
    due: datetime.date
    days: int
    url: str


def reviews_overdue(user, filters: ReportFilters, *, on: datetime.date | None = None) -> list[ReviewOverdue]:
    """The reviews overdue today of the agreements ``user`` manages, as "What's due" lists them
    (``isa_portal.due``), longest overdue first. Today's, whatever the period: an overdue review
    is overdue now."""
    on = on or timezone.localdate()
    managed = agreements_managed_by(user)
    if filters.agreement is not None:
        managed = managed.filter(pk=filters.agreement.pk)
    items = {}
    for item in reviews(user, on=on, now=timezone.now(), agreements=managed):
        if item.key.startswith("review-") and item.overdue:
            items.setdefault(item.key, item)
    rows = [ReviewOverdue(what=item.what, about=item.about, due=item.due, days=(on - item.due).days, url=item.url)
            for item in items.values()]
    return sorted(rows, key=lambda row: (-row.days, row.what))


# Breaches ----------------------------------------------------------------------------------

DEADLINE_STEPS = (
    ("partners_told", "Other partners told"),
    ("report", "Report from the partner in breach"),
    ("meeting", "Partners' meeting"),
    ("minutes", "Minutes circulated"),
    ("ico", "ICO told, or the decision not to tell recorded (72 hours)"),
)


@dataclass(frozen=True)
class DeadlineTally:
    key: str
    label: str
    met: int
    missed: int
    open: int

    @property
    def total(self) -> int:
        return self.met + self.missed + self.open


@dataclass
class BreachReport:
    breaches: int
    steps: list[DeadlineTally]


def breach_deadline_report(user, filters: ReportFilters) -> BreachReport:
    """The deadlines of the breaches and near misses ``user`` may see, discovered in the period:
    for each step (002 §6; the ICO's 72 hours), how many were met, missed (done late, or overdue)
    and are still open (not yet due, or with no time limit)."""
    breaches = breaches_visible_to(user).filter(
        discovered_at__gte=_start_of(filters.date_from),
        discovered_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)),
    )
    if filters.agreement is not None:
        breaches = breaches.filter(agreement=filters.agreement)
    listed = breaches_listed(breaches)
    tally = {key: {"met": 0, "missed": 0, "open": 0} for key, _ in DEADLINE_STEPS}
    for breach in listed:
        for deadline in breach.deadlines:
            if deadline.key not in tally:
                continue
            if deadline.overdue or deadline.late:
                tally[deadline.key]["missed"] += 1
            elif deadline.done is not None:
                tally[deadline.key]["met"] += 1
            else:
                tally[deadline.key]["open"] += 1
    return BreachReport(breaches=len(listed), steps=[
        DeadlineTally(key=key, label=label, **tally[key]) for key, label in DEADLINE_STEPS
    ])


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
