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
