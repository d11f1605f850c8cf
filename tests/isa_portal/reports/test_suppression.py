"""Small-number suppression (docs/decisions/0057): counts from 1 to 4 read "fewer than 5", and no
suppressed figure can be worked out from the totals published with it."""

import itertools

import pytest

from isa_portal.reports.suppression import FEWER, SHOWN, WITHHELD, Figure, Line, audit, exposed, protect


def test_counts_from_1_to_4_read_fewer_than_5_and_others_are_shown():
    figures = protect({"none": 0, "one": 1, "four": 4, "five": 5, "many": 1234}, []).figures

    assert [figures[key].text for key in ("none", "one", "four", "five", "many")] == [
        "0", "fewer than 5", "fewer than 5", "5", "1,234",
    ]
    assert figures["four"].shown_value is None
    assert figures["five"].shown_value == 5


def test_a_total_cannot_give_away_the_one_small_count_of_its_line():
    # 10 = 3 + 7: with 7 published, 3 would be 10 - 7.
    line = Line("total", ("small", "other"))
    figures = protect({"small": 3, "other": 7, "total": 10}, [line], totals={"total"}).figures

    assert figures["small"].state == FEWER
    assert figures["other"].state == WITHHELD
    assert figures["total"].state == SHOWN


def test_a_second_cell_too_small_to_hide_the_first_is_not_enough():
    # 15 = 1 + 5 + 9: withholding the 5 leaves 1 + (at least 5) = 6, so the 1 would show: the 9 goes too.
    figures = protect({"a": 1, "b": 5, "c": 9, "t": 15}, [Line("t", ("a", "b", "c"))], totals={"t"}).figures

    assert [figures[key].state for key in "abct"] == [FEWER, WITHHELD, WITHHELD, SHOWN]


def test_two_small_counts_that_only_their_total_could_pin_withhold_the_total():
    # 8 = 4 + 4: each "fewer than 5" would be 8 minus at most 4, so 4.
    figures = protect({"a": 4, "b": 4, "t": 8}, [Line("t", ("a", "b"))], totals={"t"}).figures

    assert figures["t"].state == WITHHELD


def test_cells_are_withheld_before_totals():
    figures = protect({"a": 2, "b": 9, "t": 11}, [Line("t", ("a", "b"))], totals={"t"}).figures

    assert (figures["b"].state, figures["t"].state) == (WITHHELD, SHOWN)


def test_a_month_total_shared_by_two_breakdowns_protects_both():
    # The same month's 12 entries by partner (2 + 10) and by decision (12 shared): the decision
    # table publishes the month's total, so the partner table must not leave its 2 alone.
    values = {"T": 12, "p1": 2, "p2": 10, "shared": 12}
    lines = [Line("T", ("p1", "p2")), Line("T", ("shared",))]
    figures = protect(values, lines, totals={"T"}).figures

    states = {key: figure.state for key, figure in figures.items()}
    assert states["p1"] == FEWER
    assert states["p2"] == WITHHELD or states["T"] == WITHHELD
    assert not exposed(values, states, lines)


def test_the_audit_works_a_lone_small_count_out_exactly():
    values = {"small": 3, "other": 7, "total": 10}
    states = {"small": FEWER, "other": SHOWN, "total": SHOWN}

    assert audit(values, states, [Line("total", ("small", "other"))])["small"] == (3.0, 3.0)
    assert exposed(values, states, [Line("total", ("small", "other"))]) == ["small"]


def _grid_lines(rows: int, columns: int) -> list[Line]:
    lines = [Line(("col", c), tuple(("cell", r, c) for r in range(rows))) for c in range(columns)]
    lines += [Line(("row", r), tuple(("cell", r, c) for c in range(columns))) for r in range(rows)]
    lines.append(Line("grand", tuple(("col", c) for c in range(columns))))
    lines.append(Line("grand", tuple(("row", r) for r in range(rows))))
    return lines


def _grid_values(cells: list[list[int]]) -> dict:
    values = {("cell", r, c): value for r, row in enumerate(cells) for c, value in enumerate(row)}
    for c in range(len(cells[0])):
        values[("col", c)] = sum(row[c] for row in cells)
    for r, row in enumerate(cells):
        values[("row", r)] = sum(row)
    values["grand"] = sum(map(sum, cells))
    return values


@pytest.mark.parametrize("cells", [
    [[1, 0, 6], [7, 9, 0], [0, 3, 12]],
    [[4, 4, 0], [0, 0, 20], [1, 2, 3]],
    [[0, 0, 1], [0, 0, 0], [30, 8, 0]],
    [[2, 2, 2], [2, 2, 2], [2, 2, 2]],
    [[5, 1, 5], [1, 5, 1], [5, 1, 5]],
])
def test_no_suppressed_figure_of_a_table_with_margins_can_be_worked_out(cells):
    values = _grid_values(cells)
    lines = _grid_lines(len(cells), len(cells[0]))
    totals = {key for key in values if key == "grand" or key[0] in ("row", "col")}

    figures = protect(values, lines, totals=totals).figures

    states = {key: figure.state for key, figure in figures.items()}
    assert not exposed(values, states, lines)
    for key, value in values.items():
        assert (states[key] == FEWER) == (1 <= value <= 4), key


def test_every_small_grid_is_protected_or_said_to_be_too_small_to_break_down():
    """Every 2 x 2 table of counts from 0 to 6 with its margins: protected, or (a handful of
    entries spread over every cell) not safe, and then only its grand total is published."""
    lines = _grid_lines(2, 2)
    unsafe = []
    for flat in itertools.product(range(7), repeat=4):
        values = _grid_values([list(flat[:2]), list(flat[2:])])
        totals = {key for key in values if key == "grand" or key[0] in ("row", "col")}
        protection = protect(values, lines, totals=totals)
        states = {key: figure.state for key, figure in protection.figures.items()}
        assert protection.safe == (not exposed(values, states, lines)), flat
        if not protection.safe:
            unsafe.append(flat)
    assert (1, 1, 1, 1) in unsafe
    assert all(sum(flat) < 5 * 2 for flat in unsafe), unsafe


def test_a_suppressed_figure_never_shows_its_value():
    assert Figure(3, FEWER).text == "fewer than 5"
    assert Figure(40, WITHHELD).text == "withheld"


def test_three_years_of_thirty_partners_of_mostly_small_counts_are_protected():
    """The largest report (36 months) of a large partnership, its counts mostly small: every
    small count suppressed, none exposed, through its rows, columns and the period's total."""
    counts = [0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 8]
    cells = [[counts[(row * 7 + column * 13 + row * column) % len(counts)] for column in range(36)]
             for row in range(30)]
    values = _grid_values(cells)
    lines = _grid_lines(30, 36)
    totals = {key for key in values if key == "grand" or key[0] in ("row", "col")}

    protection = protect(values, lines, totals=totals)

    states = {key: figure.state for key, figure in protection.figures.items()}
    assert protection.safe and not exposed(values, states, lines)
    assert all((states[key] == FEWER) == (1 <= value <= 4) for key, value in values.items())
