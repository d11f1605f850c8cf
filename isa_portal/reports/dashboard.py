"""The reports page's content: each section the viewer may see, read (``selectors``) and drawn
(``charts``)."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from govuk_blocks.dates import long_date

from . import charts
from .flow_diagram import flow_diagram
from .selectors import (
    BreachReport,
    DisclosureReport,
    ReportFilters,
    ReviewOverdue,
    SignatureCompletion,
    breach_deadline_report,
    disclosure_report,
    reviews_overdue,
    signature_completion,
)
from .suppression import FEWER_TEXT, WITHHELD, fewer_text


def month_label(month: datetime.date) -> str:
    return f"{month:%b %Y}"


def period_label(filters: ReportFilters) -> str:
    return _("%(start)s to %(end)s") % {"start": long_date(filters.date_from), "end": long_date(filters.date_to)}


@dataclass
class Dashboard:
    filters: ReportFilters
    log: DisclosureReport | None = None
    log_charts: list = field(default_factory=list)  # (breakdown or None, chart)
    signatures: list[SignatureCompletion] | None = None
    signatures_chart: charts.Chart | None = None
    reviews: list[ReviewOverdue] | None = None
    reviews_chart: charts.Chart | None = None
    breaches: BreachReport | None = None
    breaches_chart: charts.Chart | None = None

    @property
    def period(self) -> str:
        return period_label(self.filters)

    @property
    def month_labels(self) -> list[str]:
        return [month_label(month) for month in self.filters.months]

    @property
    def month_total_rows(self) -> list[tuple[str, object]]:
        return list(zip(self.month_labels, self.log.month_totals, strict=True)) if self.log else []


def _suppressed_note(figures) -> str:
    return (f" Counts from 1 to 4 are shown as “{FEWER_TEXT}”, and some others withheld so that they cannot be "
            "worked out." if any(figure.suppressed for figure in figures) else "")


def _in_all(total) -> str:
    if total.state == WITHHELD:
        return "The number of entries in all is withheld."
    return f"{total.text.capitalize()} entries in all."


def dashboard_for(user, filters: ReportFilters, sections: dict[str, bool]) -> Dashboard:
    board = Dashboard(filters=filters)
    period = period_label(filters)
    if sections["log"]:
        log = board.log = disclosure_report(user, filters)
    if sections["log"] and log.broken_down:
        board.log_charts.append((None, charts.bar_chart(
            chart_id="chart-months", title=f"Entries per month, {period}",
            description=_in_all(log.total) + _suppressed_note([*log.month_totals, log.total])
            + " The figures are in the table that follows the chart.",
            rows=[(f"{month:%B %Y}", figure) for month, figure in zip(log.months, log.month_totals, strict=True)],
        )))
        for breakdown in log.breakdowns:
            board.log_charts.append((breakdown, charts.bar_chart(
                chart_id=f"chart-{breakdown.key}", title=f"{breakdown.title}, {period}",
                description=f"Entries in the period for each {breakdown.noun.lower()}."
                + _suppressed_note([row.total for row in breakdown.rows])
                + " The figures, month by month, are in the table that follows the chart.",
                rows=[(row.label, row.total) for row in breakdown.rows],
            )))
    if sections["signatures"]:
        rows = board.signatures = signature_completion(user, filters)
        if rows:
            board.signatures_chart = charts.stacked_chart(
                chart_id="chart-signatures", title="Signatures of each agreement's latest version",
                description="For each agreement out for signature or in force, the parties that have signed its "
                            "latest version, those that signed an older one and must sign again, and those still "
                            "to sign. The figures are in the table that follows the chart.",
                series=["Signed", "Needs re-signing", "Still to sign"],
                rows=[(str(row.agreement), [row.signed, row.resigning, row.to_sign],
                       f"{row.signed} of {row.expected} ({row.percent}%)") for row in rows],
            )
    if sections["reviews"]:
        rows = board.reviews = reviews_overdue(user, filters)
        if rows:
            board.reviews_chart = charts.stacked_chart(
                chart_id="chart-reviews", title="Reviews overdue, by days overdue",
                description="Each review overdue today and how many days overdue it is. The figures are in the "
                            "table that follows the chart.",
                series=["Days overdue"],
                rows=[(f"{row.what}: {row.about}", [row.days], f"{row.days} days") for row in rows],
            )
    if sections["breaches"]:
        report = board.breaches = breach_deadline_report(user, filters)
        if report.breaches:
            board.breaches_chart = charts.stacked_chart(
                chart_id="chart-breaches", title=f"Breach deadlines met and missed, {period}",
                description=f"For the {report.breaches} breaches and near misses discovered in the period, each "
                            "deadline met, missed (done late or overdue) or still open. The figures are in the "
                            "table that follows the chart.",
                series=["Met", "Missed", "Still open"],
                rows=[(step.label, [step.met, step.missed, step.open],
                       f"{step.met} met, {step.missed} missed") for step in report.steps if step.total],
            )
    return board


def flow_diagrams(flows, period: str) -> list:
    """A diagram for each agreement of a flow map (``flows.FlowMap``), as (agreement, rows,
    diagram)."""
    diagrams = []
    for index, (agreement, rows) in enumerate(flows.by_agreement(), start=1):
        undeclared = sum(row.state == "undeclared" for row in rows)
        unused = sum(row.state == "unused" for row in rows)
        counted = sum(row.counted for row in rows)
        if flows.log_shown:
            summary = _("%(counted)s flows in the sharing log, %(undeclared)s of them not declared by the "
                        "agreement; %(unused)s declared flows not used in the period.") % {
                "counted": counted, "undeclared": undeclared, "unused": unused}
            summary += " " + _("Counts from 1 to 4 read “%(fewer)s”.") % {"fewer": fewer_text()}
        else:
            summary = _("%(count)s declared flows; the sharing log's flows are not shown to you.") % {
                "count": len(rows)}
        diagrams.append((agreement, rows, flow_diagram(
            diagram_id=f"flows-{index}",
            title=_("Flows under %(agreement)s, %(period)s") % {"agreement": agreement, "period": period},
            description=_("Each arrow runs from the organisation that shared or decided to the one it shared "
                          "with. %(summary)s The figures are in the table that follows the diagram.") % {
                "summary": summary},
            rows=rows,
        )))
    return diagrams
