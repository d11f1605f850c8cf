"""``make bench`` (bench/run.py, bench/measure.py): what it reads from the daily scheduler's
output, and how it takes a page and its reference."""

from bench.measure import WARM_UP, timed_side_by_side
from bench.run import SCHEDULER_DESTROYED


class _Served:
    """Stands in for the served portal: answers every GET at once, and records the order."""

    def __init__(self, seen: list[str], name: str, status: int = 200):
        self.seen, self.name, self.status = seen, name, status

    def get(self, path: str):
        self.seen.append(f"{self.name}{path}")
        return self.status, b"<html>" + path.encode(), 0.001, {}


def test_a_page_and_its_reference_are_warmed_then_taken_in_turn():
    seen = []
    page, reference = _Served(seen, "portal"), _Served(seen, "reference")

    figures = timed_side_by_side([(page, "/log/"), (reference, "/bench/keyset/")], requests=3, budget_seconds=60)

    assert seen == (["portal/log/"] * WARM_UP + ["reference/bench/keyset/"] * WARM_UP
                    + ["portal/log/", "reference/bench/keyset/"] * 3)
    assert [each["n"] for each in figures] == [3, 3]
    assert [each["bytes"] for each in figures] == [len(b"<html>/log/"), len(b"<html>/bench/keyset/")]


def test_a_page_that_fails_is_reported_not_timed():
    seen = []

    figures = timed_side_by_side([(_Served(seen, "portal", status=500), "/log/"), (_Served(seen, "reference"), "/k/")],
                                 requests=3, budget_seconds=60)

    assert figures == [{"error": "HTTP 500"}, {"error": "HTTP 500"}]
    assert seen == ["portal/log/"]


def test_the_entries_destroyed_are_read_from_the_schedulers_own_line():
    # Issue 15: the report said "? entries destroyed": it looked for words the scheduler never prints.
    output = ("Reviews opened: 0\nEntries destroyed under the retention rule: 128\n"
              "Access events past their retention period deleted: 0\n")
    assert SCHEDULER_DESTROYED.search(output).group(1) == "128"


def test_the_entries_destroyed_are_read_from_a_profiled_line():
    # ``make bench`` runs the scheduler with ``--profile``: each line ends with what the step cost.
    output = "Entries destroyed under the retention rule: 1000 [3.21 s, 123 queries]\n"
    assert SCHEDULER_DESTROYED.search(output).group(1) == "1000"


def test_a_run_recorded_with_the_template_is_read_back_and_one_not_recorded_is_none():
    from bench.run import _recorded_run

    template = {"weekly_seconds": 141.0, "weekly_ok": True, "weekly_steps": ["Sharing log chain problems: 0"],
                "yesterday_seconds": 38.4, "yesterday_ok": False}

    assert _recorded_run(template, "weekly") == {"seconds": 141.0, "ok": True,
                                                 "steps": ["Sharing log chain problems: 0"]}
    assert _recorded_run(template, "yesterday") == {"seconds": 38.4, "ok": False, "steps": []}
    assert _recorded_run({}, "yesterday") is None
