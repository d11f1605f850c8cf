"""Horizontal bar charts, laid out here and drawn as inline SVG by
``isa_portal/reports/includes/chart.html`` (docs/decisions/0057): no JavaScript, no library.

Each bar's label sits above it, so long names (a partner, a lawful basis) need no room beside
it and the chart scales down to a phone's width. Colours are GOV.UK's, each at least 3:1 against
white, and never the only difference: each series after the first has its own pattern, segments
are parted by a white gap, the legend shows the patterns, and every chart has its data table.

A suppressed count (``isa_portal.reports.suppression``) has no length to draw: "fewer than 5" is
a hatched grey range from 0 to 5 with a dashed outline, labelled; a withheld count has no bar,
only its label.

Each chart is laid out twice, 640 and 300 units wide, each drawn at most at its own size: the
stylesheet shows the narrow one below 641 px, so the text of a chart on a phone stays near 16
pixels instead of shrinking with a wide drawing. Without styles both show.
"""

import math
from dataclasses import dataclass, field

from .suppression import FEWER, THRESHOLD, WITHHELD, Figure

WIDTH = 640
NARROW = 300
LEFT = 2
# The figure after a bar, at 16 px, takes about this much a character (and a gap before it).
CHARACTER = 8.6
ROW = 56
LABEL_BASELINE = 18
BAR_TOP = 26
BAR_HEIGHT = 22
AXIS = 30

TEXT = "#0b0c0c"
GRID = "#b1b4b6"
SUPPRESSED = "#505a5f"

# (name, colour, pattern): GOV.UK colours (blue, green, red, purple), each >= 3:1 against white.
SERIES_STYLES = (
    ("solid", "#1d70b8"),
    ("stripes", "#00703c"),
    ("dots", "#d4351c"),
    ("checks", "#4c2c92"),
)


@dataclass(frozen=True)
class Series:
    name: str
    pattern: str
    colour: str
    fill: str  # a colour, or url(#…) of the chart's pattern


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    fill: str


@dataclass
class BarRow:
    label: str
    text: str
    y: float
    segments: list[Segment] = field(default_factory=list)
    fewer: Segment | None = None  # the hatched 0–5 range of a "fewer than 5"
    text_x: float = LEFT

    @property
    def label_y(self) -> float:
        return self.y + LABEL_BASELINE

    @property
    def bar_y(self) -> float:
        return self.y + BAR_TOP

    @property
    def text_y(self) -> float:
        return self.y + BAR_TOP + BAR_HEIGHT - 6


@dataclass
class Chart:
    id: str
    title: str
    description: str
    series: list[Series]
    rows: list[BarRow]
    ticks: list[tuple[float, str]]
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT
    narrow: "Chart | None" = None  # the same chart laid out for a phone

    @property
    def label_length(self) -> int:
        """Characters of a bar's label that fit the width (bold, 16 px): the rest is in the table."""
        return self.width // 9

    @property
    def plot_bottom(self) -> float:
        return len(self.rows) * ROW + 4

    @property
    def height(self) -> float:
        return self.plot_bottom + AXIS

    @property
    def tick_label_y(self) -> float:
        return self.plot_bottom + 20

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1


def _scale_top(largest: float) -> tuple[float, float]:
    """(top of the scale, tick step): a round number at or above ``largest``, in 1, 2 or 5 steps."""
    largest = max(largest, 1)
    magnitude = 10 ** math.floor(math.log10(largest))
    for step in (magnitude / 10, magnitude / 5, magnitude / 2, magnitude, magnitude * 2, magnitude * 5):
        if step >= 1 and largest / step <= 5:
            return math.ceil(largest / step) * step, step
    return math.ceil(largest / magnitude) * magnitude, magnitude


def _plot(width: int, texts) -> float:
    """The length of the longest bar: the width, less room for the longest figure after it."""
    return width - LEFT - 12 - CHARACTER * max((len(text) for text in texts), default=0)


def _ticks(top: float, step: float, plot: float) -> list[tuple[float, str]]:
    count = round(top / step)
    return [(LEFT + plot * index / count, f"{int(step * index):,}") for index in range(count + 1)]


def _series(chart_id: str, names: list[str]) -> list[Series]:
    series = []
    for index, name in enumerate(names):
        pattern, colour = SERIES_STYLES[index % len(SERIES_STYLES)]
        fill = colour if pattern == "solid" else f"url(#{chart_id}-{pattern})"
        series.append(Series(name=name, pattern=pattern, colour=colour, fill=fill))
    return series


def bar_chart(*, chart_id: str, title: str, description: str, rows: list[tuple[str, Figure]],
              width: int = WIDTH) -> Chart:
    """One bar a row, its length the figure's value; a suppressed figure is drawn as such."""
    if width == WIDTH:
        chart = bar_chart(chart_id=chart_id, title=title, description=description, rows=rows, width=0)
        chart.narrow = bar_chart(chart_id=f"{chart_id}-narrow", title=title, description=description, rows=rows,
                                 width=NARROW)
        return chart
    width = width or WIDTH
    plot = _plot(width, [figure.text for _, figure in rows])
    shown = [figure.value for _, figure in rows if not figure.suppressed]
    top, step = _scale_top(max([*shown, THRESHOLD]))
    series = _series(chart_id, ["Entries"])
    bars = []
    for index, (label, figure) in enumerate(rows):
        bar = BarRow(label=label, text=figure.text, y=index * ROW)
        if figure.state == FEWER:
            length = plot * THRESHOLD / top
            bar.fewer = Segment(x=LEFT, width=length, fill=f"url(#{chart_id}-suppressed)")
            bar.text_x = LEFT + length + 8
        elif figure.state == WITHHELD:
            bar.text_x = LEFT
        else:
            length = plot * figure.value / top
            if length:
                bar.segments.append(Segment(x=LEFT, width=length, fill=series[0].fill))
            bar.text_x = LEFT + length + 8
        bars.append(bar)
    return Chart(id=chart_id, title=title, description=description, series=series, rows=bars,
                 ticks=_ticks(top, step, plot), width=width)


def stacked_chart(*, chart_id: str, title: str, description: str, series: list[str],
                  rows: list[tuple[str, list[int], str]], width: int = WIDTH) -> Chart:
    """One bar a row made of a segment a series (counts never suppressed: signatures,
    deadlines), with ``text`` after it."""
    if width == WIDTH:
        arguments = {"title": title, "description": description, "series": series, "rows": rows}
        chart = stacked_chart(chart_id=chart_id, width=0, **arguments)
        chart.narrow = stacked_chart(chart_id=f"{chart_id}-narrow", width=NARROW, **arguments)
        return chart
    width = width or WIDTH
    plot = _plot(width, [text for _, _, text in rows])
    top, step = _scale_top(max([sum(values) for _, values, _ in rows] or [1]))
    styles = _series(chart_id, series)
    bars = []
    for index, (label, values, text) in enumerate(rows):
        bar = BarRow(label=label, text=text, y=index * ROW)
        x = LEFT
        for style, value in zip(styles, values, strict=True):
            length = plot * value / top
            if length:
                # A white gap parts each segment from the next.
                bar.segments.append(Segment(x=x, width=max(length - 2, 1), fill=style.fill))
            x += length
        bar.text_x = x + 8
        bars.append(bar)
    return Chart(id=chart_id, title=title, description=description, series=styles, rows=bars,
                 ticks=_ticks(top, step, plot), width=width)
