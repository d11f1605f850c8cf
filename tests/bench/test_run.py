"""``make bench`` (bench/run.py): what it reads from the daily scheduler's output."""

from bench.run import SCHEDULER_DESTROYED


def test_the_entries_destroyed_are_read_from_the_schedulers_own_line():
    # Issue 15: the report said "? entries destroyed": it looked for words the scheduler never prints.
    output = ("Reviews opened: 0\nEntries destroyed under the retention rule: 128\n"
              "Access events past their retention period deleted: 0\n")
    assert SCHEDULER_DESTROYED.search(output).group(1) == "128"
