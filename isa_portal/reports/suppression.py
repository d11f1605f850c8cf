"""Small-number suppression of the reports' disclosure counts (docs/decisions/0057).

A count of entries from 1 to 4 is shown as "fewer than 5" (primary suppression): in a month, for
one partner, one lawful basis or one data category, a number that small may let someone who
knows the area work out whose case it was (the ICO's anonymisation guidance: the risk of
re-identification by a "motivated intruder" with local knowledge).

Totals could undo that by subtraction: a month's total less the other partners' published
counts leaves the one suppressed. So every figure is a member of one or more **lines**, the sums
the reports publish: ``total = cell + cell + …``. A line holds its cells and its total; the
same total (a month's, the period's) belongs to every table that breaks it down. A suppressed
figure is then audited as an intruder would attack it: each line is an equation, each published
figure a known number, each "fewer than 5" somewhere from 1 to 4 and each "withheld" figure (a
second figure suppressed to protect the first) 5 or more. Bounds are propagated across all the
lines until they settle; a suppressed figure whose bounds close to a single number is
**exposed**, and the smallest published, non-zero figure of one of its lines is withheld too
(secondary suppression), cells before totals. The audit runs again until nothing is exposed.

It proves that no suppressed figure can be worked out exactly from the lines, alone or
propagated together; it does not promise that no combination of lines narrows a "fewer than 5"
(from "1 to 4" to "1 to 3", say), which only a linear-programming audit could.
"""

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

# Counts from 1 to THRESHOLD - 1 are suppressed.
THRESHOLD = 5

SHOWN = "shown"
FEWER = "fewer"
WITHHELD = "withheld"

FEWER_TEXT = f"fewer than {THRESHOLD}"
WITHHELD_TEXT = "withheld"


def fewer_text() -> str:
    """``FEWER_TEXT`` in the reader's language (decision 0058)."""
    return gettext("fewer than %(threshold)s") % {"threshold": THRESHOLD}

# Rounds of bound propagation: each round tightens what the lines imply, and these tables settle
# in a handful; the cap only keeps a pathological table from running long.
MAX_ROUNDS = 50


@dataclass(frozen=True)
class Figure:
    """A published count: its value, and whether it is shown, "fewer than 5" or withheld.
    ``value`` is never shown for a suppressed figure; templates and charts read ``text``."""

    value: int
    state: str = SHOWN

    @property
    def suppressed(self) -> bool:
        return self.state != SHOWN

    @property
    def text(self) -> str:
        if self.state == FEWER:
            return fewer_text()
        if self.state == WITHHELD:
            return gettext("withheld")
        return f"{self.value:,}"

    @property
    def shown_value(self) -> int | None:
        """The value a chart may draw: ``None`` when it is suppressed."""
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class Line:
    """A published sum: ``total`` is the sum of ``cells`` (figure keys)."""

    total: Hashable
    cells: tuple


def primary(value: int) -> str:
    return FEWER if 1 <= value < THRESHOLD else SHOWN


def _known_bounds(values: dict, states: dict) -> dict:
    bounds = {}
    for key, value in values.items():
        state = states[key]
        if state == FEWER:
            bounds[key] = (1.0, float(THRESHOLD - 1))
        elif state == WITHHELD:
            bounds[key] = (float(THRESHOLD), math.inf)
        else:
            bounds[key] = (float(value), float(value))
    return bounds


def audit(values: dict, states: dict, lines: list[Line]) -> dict:
    """What an intruder can infer of every figure: (lowest, highest), by propagating each line's
    equation (``total - sum(cells) = 0``) over the bounds of the figures in it until they settle."""
    bounds = _known_bounds(values, states)
    signed = [[(line.total, -1), *((cell, 1) for cell in line.cells)] for line in lines]
    for _ in range(MAX_ROUNDS):
        changed = False
        for members in signed:
            if not any(states[key] != SHOWN for key, _ in members):
                continue
            # sign * x = -(sum of the others' sign * bounds): the sum of every member's signed
            # bounds, less the member's own. Infinite bounds are counted apart, so that taking a
            # member's own infinity back out never meets inf - inf.
            low_sum = high_sum = 0.0
            low_inf = high_inf = 0
            for key, sign in members:
                low, high = bounds[key]
                signed_low, signed_high = (low, high) if sign > 0 else (-high, -low)
                if math.isinf(signed_low):
                    low_inf += 1
                else:
                    low_sum += signed_low
                if math.isinf(signed_high):
                    high_inf += 1
                else:
                    high_sum += signed_high
            for key, sign in members:
                if states[key] == SHOWN:
                    continue
                low, high = bounds[key]
                own_low, own_high = (low, high) if sign > 0 else (-high, -low)
                others_low = -math.inf if low_inf - math.isinf(own_low) else low_sum - (
                    0.0 if math.isinf(own_low) else own_low)
                others_high = math.inf if high_inf - math.isinf(own_high) else high_sum - (
                    0.0 if math.isinf(own_high) else own_high)
                new_low, new_high = (-others_high, -others_low) if sign > 0 else (others_low, others_high)
                tightened = (max(low, new_low), min(high, new_high))
                if tightened != (low, high) and tightened[0] <= tightened[1]:
                    bounds[key] = tightened
                    changed = True
        if not changed:
            break
    return bounds


def exposed(values: dict, states: dict, lines: list[Line]) -> list:
    """The suppressed figures an intruder could work out exactly from the lines."""
    bounds = audit(values, states, lines)
    return [key for key, state in states.items() if state != SHOWN and bounds[key][0] == bounds[key][1]]


@dataclass(frozen=True)
class Protection:
    """The figures as published. ``safe`` is false when withholding could not keep every
    suppressed figure from being worked out (a handful of entries spread over several cells:
    four cells of "fewer than 5" whose total is "fewer than 5" are each 1); then only the
    grand total may be published."""

    figures: dict[Hashable, Figure]
    safe: bool


def protect(values: dict, lines: Iterable[Line], *, totals: Iterable = ()) -> Protection:
    """Every figure of ``values`` (key -> count) as a ``Figure``: counts from 1 to 4 "fewer than
    5", and as few others withheld as keep each of them from being worked out through
    ``lines``. ``totals``: keys withheld only when no cell of the line will do."""
    lines = list(lines)
    totals = set(totals)
    states = {key: primary(value) for key, value in values.items()}
    order = {key: index for index, key in enumerate(values)}
    by_member: dict = {}
    for line in lines:
        for key in (line.total, *line.cells):
            by_member.setdefault(key, []).append(line)
    while True:
        # Exposed figures that share no line are each given a second figure in one of their
        # lines, then the audit runs again: a figure whose line was just changed waits for it,
        # since that may have covered it already.
        fixed, touched = False, set()
        left = exposed(values, states, lines)
        for key in left:
            own_lines = by_member.get(key, ())
            if any(id(line) in touched for line in own_lines):
                continue
            candidates = [
                (member, line) for line in own_lines for member in (line.total, *line.cells)
                if states[member] == SHOWN and values[member] > 0
            ]
            if candidates:
                pick, line = min(candidates, key=lambda pair: (pair[0] in totals, values[pair[0]], order[pair[0]]))
                states[pick] = WITHHELD
                touched.update(id(line) for line in own_lines)
                fixed = True
        if not fixed:
            break
    return Protection(figures={key: Figure(value=values[key], state=states[key]) for key in values}, safe=not left)
