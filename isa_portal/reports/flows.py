"""The flow map's reads (docs/decisions/0061): the flows an agreement declares and the flows the
sharing log shows, side by side, with small numbers suppressed as the reports suppress them.

**Declared flows** are the agreement's data to be shared (``DataItem``, 001 §5.5): each item
names the parties that provide it and its level. An agreement declares what a party provides,
not to whom (a protocol's partners share with one another as a case needs), so a declared flow
runs from a provider to any other party of the agreement.

**Actual flows** are the log's entries the viewer may read (``disclosures_reported``: scoped by
``sharing_log.selectors.disclosures_visible_to``, voided entries left out), counted by agreement,
disclosing and receiving organisation and level, each split by decision (shared, decided not to
share, request refused), with the data categories of what was shared.

**Compared**: a row of the log is *used but undeclared* when something was shared and the
disclosing organisation provides no data item at that level or above (any item, when the entry
records no level), or shared special-category or criminal offence data that none of its items
declares, or the recipient is not a party to the agreement. A provider's declared level is
*declared but unused* when nothing was shared by it at that level in the period (one row a
provider, naming each such level) (an entry with
no level recorded counts as using each of its levels: it cannot be shown not to).

The reads take a fixed number of queries whatever the log's size: one ``GROUP BY`` for the
log (with a ``COUNT(…) FILTER`` for each data category), one for the parties, two for the data
items and their providers.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement, DataItem, DataLevel, Party
from partners.models import Organisation
from sharing_log.forms.log_form_choices import DATA_LEVEL_LABELS
from sharing_log.models import DataCategory, Decision, SpecialCategory

from .selectors import ReportFilters, _category_condition, disclosures_reported
from .suppression import Figure, Line, primary, protect

LEVEL_ORDER = {value: index for index, value in enumerate(
    [DataLevel.AGGREGATE, DataLevel.MINIMUM, DataLevel.DETAILED, DataLevel.SENSITIVE],
)}
# The levels in the reader's language: the model keeps English labels for the agreement's own text
# (decision 0058), as the log form does.
LEVEL_LABELS = DATA_LEVEL_LABELS
NO_LEVEL = gettext_lazy("Level not recorded")
CATEGORIES = [*DataCategory.choices, *SpecialCategory.choices]
DECISIONS = [Decision.SHARED, Decision.NOT_SHARED, Decision.REQUEST_REFUSED]

DECLARED_USED = "declared"
UNDECLARED = "undeclared"
UNUSED = "unused"
NOT_SHARED_ONLY = "not_shared"
DECLARED_ONLY = "declared_only"  # the viewer may not read the log: nothing to compare


@dataclass
class FlowRow:
    """One row of the map and its table: a flow from one organisation to another (or, declared
    but unused, to any other party) at one level, under one agreement."""

    agreement: Agreement
    source: str
    target: str
    level: str  # the level's label, or NO_LEVEL
    state: str  # DECLARED_USED, UNDECLARED, UNUSED or NOT_SHARED_ONLY
    reasons: list[str] = field(default_factory=list)  # why undeclared
    shared: Figure | None = None
    not_shared: Figure | None = None
    refused: Figure | None = None
    total: Figure | None = None
    categories: list[tuple[str, Figure]] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.total is not None

    @property
    def status_text(self) -> str:
        if self.state == UNUSED:
            return _("Declared, not used in the period")
        if self.state == UNDECLARED:
            return _("Not declared: %(reasons)s") % {"reasons": "; ".join(self.reasons)}
        if self.state == DECLARED_ONLY:
            return _("Declared")
        if self.state == NOT_SHARED_ONLY:
            return _("Nothing shared: decisions not to share only")
        return _("Declared, and used")

    @property
    def counts_text(self) -> str:
        if not self.counted:
            return _("No entries")
        return _("Shared: %(shared)s. Not shared: %(not_shared)s. Refused: %(refused)s.") % {
            "shared": self.shared.text, "not_shared": self.not_shared.text, "refused": self.refused.text}


@dataclass
class FlowMap:
    filters: ReportFilters
    rows: list[FlowRow]
    total: Figure
    log_shown: bool  # whether the viewer may read the log (else declared flows only)
    broken_down: bool = True  # False: too few entries to break down; only ``total`` is published

    @property
    def undeclared(self) -> list[FlowRow]:
        return [row for row in self.rows if row.state == UNDECLARED]

    @property
    def unused(self) -> list[FlowRow]:
        return [row for row in self.rows if row.state == UNUSED]

    @property
    def any_suppressed(self) -> bool:
        return any(figure.suppressed for row in self.rows if row.counted
                   for figure in (row.shared, row.not_shared, row.refused, row.total))

    def by_agreement(self) -> list[tuple[Agreement, list[FlowRow]]]:
        groups: dict[int, tuple[Agreement, list[FlowRow]]] = {}
        for row in self.rows:
            groups.setdefault(row.agreement.pk, (row.agreement, []))[1].append(row)
        return list(groups.values())


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.get(level, -1)


def _declared(agreements: QuerySet[Agreement]) -> tuple[dict, dict]:
    """(parties: agreement pk -> {organisation pk: name}, provides: (agreement pk, organisation
    pk) -> list of that organisation's data items)."""
    parties: dict[int, dict[int, str]] = defaultdict(dict)
    for party in Party.objects.filter(agreement__in=agreements).select_related("organisation").order_by():
        parties[party.agreement_id][party.organisation_id] = party.organisation.name
    provides: dict[tuple, list[DataItem]] = defaultdict(list)
    items = DataItem.objects.filter(agreement__in=agreements).order_by("position", "pk").prefetch_related(
        Prefetch("providers", queryset=Party.objects.order_by()),
    )
    for item in items:
        for party in item.providers.all():
            provides[(item.agreement_id, party.organisation_id)].append(item)
    return parties, provides


def _undeclared_reasons(row: dict, items: list[DataItem], recipient_is_party: bool) -> list[str]:
    reasons = []
    level = row["data_level"]
    if not items:
        reasons.append(_("the organisation provides no data under the agreement"))
    elif level and not any(_level_rank(item.level) >= _level_rank(level) for item in items):
        reasons.append(_("no data declared at the level “%(level)s”") % {"level": LEVEL_LABELS.get(level, level)})
    if items and row["special"] and not any(item.special_category for item in items):
        reasons.append(_("special-category data shared, none declared"))
    if items and row["criminal"] and not any(item.criminal_offence for item in items):
        reasons.append(_("criminal offence data shared, none declared"))
    if not recipient_is_party:
        reasons.append(_("the recipient is not a party"))
    return reasons


def flow_map(user, agreements: QuerySet[Agreement], filters: ReportFilters, *, log_shown: bool,
             organisation: Organisation | None = None) -> FlowMap:
    """The declared and actual flows of ``agreements`` (those ``user`` may see: the caller
    scopes them) in the period of ``filters``; with ``organisation``, only the flows from or to
    it. Without ``log_shown`` the log is not read: declared flows only."""
    parties, provides = _declared(agreements)
    agreement_by_pk = {agreement.pk: agreement for agreement in agreements}

    grouped: dict[tuple, dict] = {}
    names: dict[int, str] = {}
    if log_shown:
        entries = disclosures_reported(user, filters).filter(agreement__in=agreements)
        if organisation is not None:
            entries = entries.filter(Q(disclosing_organisation=organisation) | Q(recipient_organisation=organisation))
        shared = Q(decision=Decision.SHARED)
        counts = {f"category_{value}": Count("pk", filter=shared & _category_condition(value))
                  for value, _ in CATEGORIES}
        for row in entries.values(
            "agreement_id", "disclosing_organisation_id", "disclosing_organisation__name",
            "recipient_organisation_id", "recipient_organisation__name", "data_level", "decision",
        ).annotate(
            n=Count("pk"),
            special=Count("pk", filter=shared & ~Q(special_categories=[])),
            criminal=Count("pk", filter=shared & Q(criminal_offence_data=True)),
            **counts,
        ):
            key = (row["agreement_id"], row["disclosing_organisation_id"], row["recipient_organisation_id"],
                   row["data_level"] or "")
            names[row["disclosing_organisation_id"]] = row["disclosing_organisation__name"]
            names[row["recipient_organisation_id"]] = row["recipient_organisation__name"]
            flow = grouped.setdefault(key, {"data_level": key[3], "special": 0, "criminal": 0, "decisions": {},
                                            "categories": defaultdict(int)})
            flow["decisions"][row["decision"]] = flow["decisions"].get(row["decision"], 0) + row["n"]
            flow["special"] += row["special"]
            flow["criminal"] += row["criminal"]
            for value, _label in CATEGORIES:
                flow["categories"][value] += row[f"category_{value}"]

    # Which declared levels were used: (agreement, provider, level); "" (no level) uses them all.
    used_levels: set[tuple] = set()
    for (agreement_pk, source, _target, level), flow in grouped.items():
        if flow["decisions"].get(Decision.SHARED):
            used_levels.add((agreement_pk, source, level))

    rows: list[FlowRow] = []
    keys = sorted(grouped, key=lambda key: (agreement_by_pk[key[0]].title, names[key[1]], names[key[2]],
                                            _level_rank(key[3])))
    for key in keys:
        agreement_pk, source, target, level = key
        flow = grouped[key]
        items = provides.get((agreement_pk, source), [])
        if not flow["decisions"].get(Decision.SHARED):
            state, reasons = NOT_SHARED_ONLY, []
        else:
            reasons = _undeclared_reasons(flow, items, target in parties.get(agreement_pk, {}))
            state = UNDECLARED if reasons else DECLARED_USED
        rows.append(FlowRow(
            agreement=agreement_by_pk[agreement_pk], source=names[source], target=names[target],
            level=str(LEVEL_LABELS.get(level, NO_LEVEL) if level else NO_LEVEL), state=state, reasons=reasons,
        ))

    for (agreement_pk, source), items in sorted(
        provides.items(), key=lambda pair: (agreement_by_pk[pair[0][0]].title, parties[pair[0][0]].get(pair[0][1], "")),
    ):
        if organisation is not None and source != organisation.pk:
            continue
        if (agreement_pk, source, "") in used_levels:
            continue
        # One row an organisation, naming each level it declared and did not use: a row a level
        # would make forty parties' map three times as long for no more to read.
        levels = [str(LEVEL_LABELS.get(level, level))
                  for level in sorted({item.level for item in items}, key=_level_rank)
                  if (agreement_pk, source, level) not in used_levels]
        if levels:
            rows.append(FlowRow(
                agreement=agreement_by_pk[agreement_pk], source=parties[agreement_pk].get(source, ""),
                target=_("Any other party"), level="; ".join(levels), state=UNUSED if log_shown else DECLARED_ONLY,
            ))

    return _suppressed(FlowMap(filters=filters, rows=rows, total=Figure(0), log_shown=log_shown),
                       [grouped[key] for key in keys])


def _suppressed(flows: FlowMap, counted: list[dict]) -> FlowMap:
    """Every count as published (``isa_portal.reports.suppression``): a flow's shared, not shared
    and refused add up to its total; the flows' totals, and each decision's column, add up to the
    period's total. Category counts are not additive (an entry may have several), so they are
    only suppressed when small."""
    values: dict = {("G",): 0}
    lines = []
    totals = {("G",)}
    for index, flow in enumerate(counted):
        cells = []
        for decision in DECISIONS:
            values[(index, decision)] = flow["decisions"].get(decision, 0)
            cells.append((index, decision))
        values[(index, "T")] = sum(values[cell] for cell in cells)
        values[("G",)] += values[(index, "T")]
        totals.add((index, "T"))
        lines.append(Line((index, "T"), tuple(cells)))
    lines.append(Line(("G",), tuple((index, "T") for index in range(len(counted)))))
    for decision in DECISIONS:
        values[("C", decision)] = sum(values[(index, decision)] for index in range(len(counted)))
        totals.add(("C", decision))
        lines.append(Line(("C", decision), tuple((index, decision) for index in range(len(counted)))))
    lines.append(Line(("G",), tuple(("C", decision) for decision in DECISIONS)))
    protection = protect(values, lines, totals=totals)
    figures = protection.figures
    flows.broken_down = protection.safe
    flows.total = figures[("G",)] if protection.safe else Figure(values[("G",)], primary(values[("G",)]))
    if not protection.safe:
        flows.rows = [row for row in flows.rows if row.state in (UNUSED, DECLARED_ONLY)]
        return flows
    counted_rows = [row for row in flows.rows if row.state not in (UNUSED, DECLARED_ONLY)]
    for index, (row, flow) in enumerate(zip(counted_rows, counted, strict=True)):
        row.shared, row.not_shared, row.refused = (figures[(index, decision)] for decision in DECISIONS)
        row.total = figures[(index, "T")]
        row.categories = [
            (str(label), Figure(flow["categories"][value], primary(flow["categories"][value])))
            for value, label in CATEGORIES if flow["categories"][value]
        ]
    return flows
