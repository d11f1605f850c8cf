"""The flow map's diagram, laid out here and drawn as inline SVG by
``isa_portal/reports/includes/flow_map_svg.html`` (docs/decisions/0061): no JavaScript, no library.

Two columns: the organisation that shared (or decided) on the left, the one it shared with on
the right, an arrow between them and the counts under it, one row a flow. A row a flow keeps the
map readable at forty parties, where a circle of forty names with arrows across it is not: the
map grows down the page, like its table, and never sideways. Each flow's kind is told apart by
its line *and* its words, never by colour alone: declared and used, a solid blue arrow; used but
undeclared, a thick red arrow and "Not declared" in bold; declared but unused, a dashed grey
arrow to "Any other party"; decisions not to share only, a dotted arrow.

Like the reports' charts (``charts.py``) it is laid out twice, 640 and 300 units wide; the
stylesheet shows the narrow one (the names above and below the arrow) below 641 px.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .charts import NARROW, WIDTH
from .flows import DECLARED_ONLY, DECLARED_USED, NOT_SHARED_ONLY, UNDECLARED, UNUSED, FlowRow

STYLES = {
    # state: (stroke colour, width, dash pattern, marker)
    DECLARED_USED: ("#1d70b8", 3, "", "arrow"),
    UNDECLARED: ("#d4351c", 6, "", "arrow-undeclared"),
    UNUSED: ("#505a5f", 3, "8 6", "arrow-unused"),
    NOT_SHARED_ONLY: ("#1d70b8", 3, "2 5", "arrow"),
    DECLARED_ONLY: ("#505a5f", 3, "", "arrow-unused"),
}
BADGES = {DECLARED_USED: gettext_lazy("Declared"), UNDECLARED: gettext_lazy("Not declared"),
          UNUSED: gettext_lazy("Declared, not used"), NOT_SHARED_ONLY: gettext_lazy("Not shared"),
          DECLARED_ONLY: gettext_lazy("Declared")}
CHARACTER = 8.6  # the width of a character at 16 px, as charts.py reckons it


@dataclass
class DiagramRow:
    row: FlowRow
    y: float
    source_x: float
    source_y: float
    target_x: float
    target_y: float
    target_anchor: str
    line: tuple[float, float, float, float]
    badge_y: float
    counts_y: float
    name_length: int
    badge_x: float
    badge_anchor: str
    narrow: bool

    @property
    def colour(self) -> str:
        return STYLES[self.row.state][0]

    @property
    def stroke_width(self) -> int:
        return STYLES[self.row.state][1]

    @property
    def dash(self) -> str:
        return STYLES[self.row.state][2]

    @property
    def marker(self) -> str:
        return STYLES[self.row.state][3]

    @property
    def badge(self) -> str:
        return str(BADGES[self.row.state])

    @property
    def emphasised(self) -> bool:
        return self.row.state == UNDECLARED

    @property
    def counts(self) -> list[tuple[float, str]]:
        """The lines of text under the arrow, with their baselines."""
        row = self.row
        if not row.counted:
            lines = row.level.split("; ")  # a level a line; the badge says "Declared, not used"
        elif self.narrow:
            lines = [row.level, _("Shared: %(count)s") % {"count": row.shared.text},
                     _("Not shared: %(count)s") % {"count": row.not_shared.text},
                     _("Refused: %(count)s") % {"count": row.refused.text}]
        else:
            lines = [row.level, _("Shared: %(shared)s; not shared: %(not_shared)s; refused: %(refused)s") % {
                "shared": row.shared.text, "not_shared": row.not_shared.text, "refused": row.refused.text}]
        return [(self.counts_y + 17 * index, line) for index, line in enumerate(lines)]


@dataclass
class Diagram:
    id: str
    title: str
    description: str
    width: int
    height: float
    rows: list[DiagramRow]
    narrow: "Diagram | None" = None


def _layout(*, diagram_id: str, title: str, description: str, rows: list[FlowRow], width: int) -> Diagram:
    laid = []
    y = 0.0
    if width >= WIDTH:
        column = 230
        for row in rows:
            laid.append(DiagramRow(
                row=row, y=y, source_x=2, source_y=y + 24, target_x=width - 2, target_y=y + 24,
                target_anchor="end", line=(column + 8, y + 20, width - column - 14, y + 20),
                badge_y=y + 44, counts_y=y + 68, name_length=int(column / CHARACTER),
                badge_x=width / 2, badge_anchor="middle", narrow=False,
            ))
            y = laid[-1].counts[-1][0] + 16
    else:
        for row in rows:
            laid.append(DiagramRow(
                row=row, y=y, source_x=2, source_y=y + 18, target_x=2, target_y=y + 70,
                target_anchor="start", line=(20, y + 26, 20, y + 52),
                badge_y=y + 44, counts_y=y + 92, name_length=int((width - 4) / CHARACTER),
                badge_x=36, badge_anchor="start", narrow=True,
            ))
            y = laid[-1].counts[-1][0] + 16
    return Diagram(id=diagram_id, title=title, description=description, width=width, height=max(y, 20),
                   rows=laid)


def flow_diagram(*, diagram_id: str, title: str, description: str, rows: list[FlowRow]) -> Diagram:
    """The rows as a two-column diagram, with its narrow layout."""
    diagram = _layout(diagram_id=diagram_id, title=title, description=description, rows=rows, width=WIDTH)
    diagram.narrow = _layout(diagram_id=f"{diagram_id}-narrow", title=title, description=description, rows=rows,
                             width=NARROW)
    return diagram
