"""``make bench`` (bench/run.py): what it reads from the daily scheduler's output."""

from bench.run import SCHEDULER_DESTROYED


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
