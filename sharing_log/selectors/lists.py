"""The log's lists: filters, and pages by keyset."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3

from agreements.models import Agreement, GatewayCategory, LegalGateway, Party, Status
from agreements.selectors import agreements_visible_to
from partners.models import Organisation
from partners.permissions import user_organisation_ids

from ..models.amendments import Amendment, AmendmentKind
from ..models.disclosures import Decision, Disclosure, SpecialCategory
from ..permissions import READERS
from .amendments import with_case_reference
from .common import _or_audited

PAGE_SIZE = 50


@dataclass(frozen=True)
class LogFilters:
    agreement: Agreement | None = None
    partner: Organisation | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    decision: str = ""
    lawful_basis: LegalGateway | None = None
    data_category: str = ""
    case_reference: str = ""


def disclosures_filtered(entries: QuerySet[Disclosure], filters: LogFilters) -> QuerySet[Disclosure]:
    """``entries`` narrowed by ``filters``; an empty filter narrows nothing."""
    if filters.agreement is not None:
        entries = entries.filter(agreement=filters.agreement)
    if filters.partner is not None:
        entries = entries.filter(
            Q(disclosing_organisation=filters.partner) | Q(recipient_organisation=filters.partner)
        )
    if filters.date_from is not None:
        entries = entries.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(occurred_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    if filters.decision:
        entries = entries.filter(decision=filters.decision)
    if filters.lawful_basis is not None:
        entries = entries.filter(art6_basis=filters.lawful_basis)
    if filters.data_category:
        # Lists of choice values held as JSON. PostgreSQL asks for containment, which its GIN
        # index serves (migration 0012); SQLite has no containment, so it matches the quoted
        # value in the JSON text (the values are fixed choices: no value is inside another).
        field = "special_categories" if filters.data_category in SpecialCategory.values else "data_categories"
        if connection.vendor == "postgresql":
            entries = entries.filter(**{f"{field}__contains": [filters.data_category]})
        else:
            entries = entries.filter(**{f"{field}__icontains": f'"{filters.data_category}"'})
    if filters.case_reference:
        # As logged, or as corrected since.
        entries = with_case_reference(entries, filters.case_reference.strip())
    return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class FilterOptions:
    """What the list filters offer, each as ``(pk, label)`` in the order its drop-down shows
    them, the label the model's ``__str__`` gives: read as plain values, no model instance made
    for a choice."""

    agreements: list[tuple[int, str]]
    partners: list[tuple[int, str]]
    lawful_bases: list[tuple[int, str]]


def filter_options(user) -> FilterOptions:
    """What the list filters offer: the agreements the user may see whose parties include the
    user's organisations (or that the user audits), the other organisations party to them, and
    the Article 6 bases.

    Read from the parties, never from the log: an entry is only ever between two parties of its
    agreement, so these cover every entry the user may see, and the queries do not grow with the
    log (at a million entries, scanning what a user may see took seconds; issue 15). The
    partners are read by the agreements' keys, once read, rather than with the agreements' query
    as a subquery: building and compiling that twice was most of the page's own work."""
    own = user_organisation_ids(user, roles=READERS)
    # Nothing is ever logged under a draft.
    agreements = list(
        agreements_visible_to(user).exclude(status=Status.DRAFT).filter(
            pk__in=Party.objects.filter(
                Q(organisation_id__in=own) | _or_audited(user)
            ).values("agreement_id")
        ).order_by("title").values_list("pk", "title", "reference")
    )
    partners = Organisation.objects.filter(
        pk__in=Party.objects.filter(agreement_id__in=[pk for pk, _, _ in agreements]).values("organisation_id")
    ).exclude(pk__in=user_organisation_ids(user)).order_by("name")
    lawful_bases = LegalGateway.objects.filter(category=GatewayCategory.ART6).order_by("provision")
    return FilterOptions(
        agreements=[(pk, f"{title} ({reference})" if reference else title) for pk, title, reference in agreements],
        partners=list(partners.values_list("pk", "name")),
        lawful_bases=[(pk, f"{instrument} {provision}".strip())
                      for pk, instrument, provision in lawful_bases.values_list("pk", "instrument", "provision")],
    )


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _cursor(entry) -> str:
    """The keyset cursor of an entry, or of a row of ``log_page`` (a dict from ``values()``)."""
    occurred_at, pk = (entry["occurred_at"], entry["pk"]) if isinstance(entry, dict) else (entry.occurred_at, entry.pk)
    micro = (occurred_at - _EPOCH) // datetime.timedelta(microseconds=1)
    return f"{micro}.{pk}"


def _parse_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    try:
        micro, pk = (int(part) for part in cursor.split(".", 1))
    except (ValueError, AttributeError):
        return None
    try:
        return _EPOCH + datetime.timedelta(microseconds=micro), pk
    except OverflowError:
        return None


@dataclass
class LogPage:
    entries: list[Disclosure]
    newer: str | None
    older: str | None


def disclosure_page(entries: QuerySet[Disclosure], *, after: str = "", before: str = "",
                    size: int = PAGE_SIZE) -> LogPage:
    """One page of ``entries``, newest first, by keyset: ``after`` a cursor gives the next
    (older) page, ``before`` one the previous (newer) page. No COUNT query: a page asks for one
    row more than it shows to know whether there is another."""
    entries = entries.order_by("-occurred_at", "-pk")
    older_than, newer_than = _parse_cursor(after) if after else None, _parse_cursor(before) if before else None
    # Each cursor's condition also bounds the time alone (``occurred_at`` at or after, at or
    # before): the same rows, but a range the log's indexes can start from, where the OR alone
    # was tested row by row from the newest (7 ms half-way down an organisation's million-entry log).
    if newer_than is not None:
        at, pk = newer_than
        rows = list(
            entries.filter(occurred_at__gte=at).filter(Q(occurred_at__gt=at) | Q(occurred_at=at, pk__gt=pk))
            .order_by("occurred_at", "pk")[: size + 1]
        )
        more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        return LogPage(
            entries=rows,
            newer=_cursor(rows[0]) if more_newer and rows else None,
            older=_cursor(rows[-1]) if rows else None,
        )
    if older_than is not None:
        at, pk = older_than
        entries = entries.filter(occurred_at__lte=at).filter(Q(occurred_at__lt=at) | Q(occurred_at=at, pk__lt=pk))
    rows = list(entries[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return LogPage(
        entries=rows,
        newer=_cursor(rows[0]) if older_than is not None and rows else None,
        older=_cursor(rows[-1]) if more_older else None,
    )


@dataclass(frozen=True, slots=True)
class LogRow:
    """One row of the log's list, every cell a string ready to show: what ``log_page`` makes of
    an entry instead of a model instance with four related ones (issue 15)."""

    pk: int
    occurred_at: datetime.datetime
    url: str
    when: str
    case_reference: str
    disclosing_organisation: str
    recipient_organisation: str
    agreement: str
    decision: str
    decision_label: str
    voided: bool
    corrected: bool
    lawful_basis: str
    retention_due: str


# What the list shows of an entry, read with ``values()``: its own columns and the names of what
# it points at. Whether it was voided or amended is read afterwards for the page's entries alone.
_ROW_FIELDS = (
    "pk", "occurred_at", "case_reference", "decision", "retention_due_on",
    "disclosing_organisation__name", "recipient_organisation__name", "agreement__reference", "agreement__title",
    "art6_basis__instrument", "art6_basis__provision",
)
_FLAGGED = (AmendmentKind.VOID, AmendmentKind.CORRECTION)
# A pk no entry has, replaced by each entry's own in its page's address (one reverse() a page).
_SENTINEL = 987654321


def _short_date(day: datetime.date, months: dict[int, str]) -> str:
    """``{{ day|date:"j M Y" }}``, the month's name from ``months`` (``_short_months()``)."""
    return f"{day.day} {months[day.month]} {day.year}"


def _short_months() -> dict[int, str]:
    """Each month's short name in the active language, as ``_short_date`` writes it: translated
    once for a page of rows rather than twice a row."""
    return {number: str(name).title() for number, name in MONTHS_3.items()}


def log_page(entries: QuerySet[Disclosure], *, after: str = "", before: str = "", size: int = PAGE_SIZE) -> LogPage:
    """``disclosure_page`` of ``entries`` (from ``disclosures_made`` or ``disclosures_received``)
    as ``LogRow`` s: one query of plain values, the labels made here."""
    page = disclosure_page(entries.values(*_ROW_FIELDS), after=after, before=before, size=size)
    # Voided and amended for the page's entries only, by their keys: asked on the list's query
    # (``_with_state``), PostgreSQL read every correction ever made to answer it for fifty rows
    # (2 ms at a million entries, and growing with the log).
    flagged = set(
        Amendment.objects.filter(disclosure_id__in=[row["pk"] for row in page.entries], kind__in=_FLAGGED)
        .order_by().values_list("disclosure_id", "kind")
    ) if page.entries else set()
    detail = reverse("sharing_log:detail", args=[_SENTINEL])
    decisions, months = dict(Decision.choices), _short_months()
    rows = []
    for row in page.entries:
        moment = timezone.localtime(row["occurred_at"])
        basis = f"{row['art6_basis__instrument'] or ''} {row['art6_basis__provision'] or ''}".strip()
        rows.append(LogRow(
            pk=row["pk"], occurred_at=row["occurred_at"], url=detail.replace(str(_SENTINEL), str(row["pk"])),
            when=f"{_short_date(moment, months)}, {moment:%H:%M}", case_reference=row["case_reference"],
            disclosing_organisation=row["disclosing_organisation__name"],
            recipient_organisation=row["recipient_organisation__name"],
            agreement=row["agreement__reference"] or row["agreement__title"],
            decision=row["decision"], decision_label=str(decisions.get(row["decision"], row["decision"])),
            voided=(row["pk"], AmendmentKind.VOID) in flagged,
            corrected=(row["pk"], AmendmentKind.CORRECTION) in flagged, lawful_basis=basis or "–",
            retention_due=_short_date(row["retention_due_on"], months) if row["retention_due_on"] else "Not set",
        ))
    page.entries = rows
    return page


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One row of the inbox (``/log/inbox/``), every cell a string ready to show: what
    ``inbox_rows`` makes of an entry instead of a model instance with three related ones."""

    pk: int
    url: str
    acknowledge_url: str
    when: str
    disclosing_organisation: str
    recipient_organisation: str
    case_reference: str
    agreement: str


# What the inbox shows of an entry, read with ``values()``.
_INBOX_FIELDS = (
    "pk", "occurred_at", "case_reference", "disclosing_organisation__name", "recipient_organisation__name",
    "agreement__reference", "agreement__title",
)


def inbox_rows(entries: QuerySet[Disclosure]) -> QuerySet:
    """``entries`` (a page of ``disclosures_awaiting_acknowledgement``) as the plain values the
    inbox shows; ``inbox_page_rows`` makes them ``InboxRow`` s."""
    return entries.values(*_INBOX_FIELDS)


def inbox_page_rows(values) -> list[InboxRow]:
    """A page of ``inbox_rows`` as ``InboxRow`` s: the time in the portal's zone as
    ``{{ occurred_at|date:"j M Y, H:i" }}`` shows it, two addresses from two ``reverse()`` a page."""
    detail = reverse("sharing_log:detail", args=[_SENTINEL])
    acknowledge = reverse("sharing_log:acknowledge", args=[_SENTINEL])
    months = _short_months()
    rows = []
    for row in values:
        pk, moment = str(row["pk"]), timezone.localtime(row["occurred_at"])
        rows.append(InboxRow(
            pk=row["pk"], url=detail.replace(str(_SENTINEL), pk),
            acknowledge_url=acknowledge.replace(str(_SENTINEL), pk),
            when=f"{_short_date(moment, months)}, {moment:%H:%M}",
            disclosing_organisation=row["disclosing_organisation__name"],
            recipient_organisation=row["recipient_organisation__name"], case_reference=row["case_reference"],
            agreement=row["agreement__reference"] or row["agreement__title"],
        ))
    return rows
