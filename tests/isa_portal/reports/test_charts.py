"""The charts' layout (isa_portal/reports/charts.py): a bar's length is its value on the scale, a
"fewer than 5" is the 0–5 range hatched, a withheld figure has no bar, and each chart comes in a
wide and a narrow layout."""

import pytest

from isa_portal.reports.charts import LEFT, NARROW, WIDTH, bar_chart, stacked_chart
from isa_portal.reports.suppression import FEWER, SHOWN, WITHHELD, Figure


def test_bars_are_as_long_as_their_values_on_a_round_scale():
    chart = bar_chart(chart_id="chart-x", title="T", description="D", rows=[
        ("Twenty", Figure(20, SHOWN)), ("Ten", Figure(10, SHOWN)), ("None", Figure(0, SHOWN)),
    ])

    twenty, ten, none = chart.rows
    assert [label for _, label in chart.ticks] == ["0", "5", "10", "15", "20"]
    assert twenty.segments[0].width == pytest.approx(2 * ten.segments[0].width)
    assert twenty.segments[0].x == LEFT and twenty.segments[0].width + LEFT == pytest.approx(chart.ticks[-1][0])
    assert none.segments == [] and none.text == "0"
    assert (chart.width, chart.narrow.width, chart.narrow.id) == (WIDTH, NARROW, "chart-x-narrow")


def test_a_suppressed_count_is_drawn_as_a_range_or_not_at_all_and_labelled():
    chart = bar_chart(chart_id="chart-x", title="T", description="D", rows=[
        ("Many", Figure(50, SHOWN)), ("Few", Figure(3, FEWER)), ("Hidden", Figure(40, WITHHELD)),
    ])

    many, few, hidden = chart.rows
    assert few.segments == [] and few.fewer.width == pytest.approx(many.segments[0].width * 5 / 50)
    assert few.fewer.fill == "url(#chart-x-suppressed)" and few.text == "fewer than 5"
    assert hidden.segments == [] and hidden.fewer is None and hidden.text == "withheld"
    assert "3" not in few.text and "40" not in hidden.text


def test_a_stacked_bar_has_a_segment_a_series_each_with_its_own_pattern():
    chart = stacked_chart(chart_id="chart-s", title="T", description="D", series=["Met", "Missed", "Open"],
                          rows=[("Report", [3, 1, 0], "3 met, 1 missed")])

    (row,) = chart.rows
    assert [segment.fill for segment in row.segments] == ["#1d70b8", "url(#chart-s-stripes)"]
    assert [series.pattern for series in chart.series] == ["solid", "stripes", "dots"]
    assert row.segments[1].x > row.segments[0].x + row.segments[0].width  # a white gap between them
    assert chart.stacked and chart.narrow.series[1].fill == "url(#chart-s-narrow-stripes)"
