"""docs/PERFORMANCE.md as ``make bench`` writes it (bench/report.py): its own section, replaced
run after run, the rest of the file kept; targets marked met or not met from the run's figures."""

from bench.report import END, START, write_report

MACHINE = {"date": "2026-12-07 09:00 UTC", "cpus": 2, "cpu": "AMD EPYC", "memory_gib": 23.5,
           "load": (1.0, 1.0, 1.0), "python": "3.11.7", "postgresql": "psql (PostgreSQL) 15.20"}
ARGS = {"requests": 30, "budget": 90, "seconds": 20}


def run(*, log_p95: float, keyset_p95: float, logged: float, inserted: float, scheduler: float) -> dict:
    page = {"p50": log_p95 / 2, "p95": log_p95, "n": 30, "bytes": 48_000}
    return {
        "size": 1_000_000, "generated_seconds": None,
        "subjects": {"entries": 1_000_000, "entries_of_organisation": 40_000},
        "pages": {"/log/ (SPOC)": page,
                  "reference: bare keyset view": {"p50": keyset_p95 / 2, "p95": keyset_p95, "n": 30, "bytes": 7_000},
                  "reference: bare keyset view, deep": {"p50": 0.01, "p95": keyset_p95, "n": 30, "bytes": 7_000}},
        "logging": {"log form (real POST)": {"per_second": logged, "logged": 100, "error": ""},
                    "reference: bare insert view": {"per_second": inserted, "logged": 200}},
        "scheduler": {"seconds": scheduler, "ok": True, "destroyed": 1000,
                      "steps": ["Entries destroyed under the retention rule: 1000"]},
    }


def test_the_targets_are_marked_from_the_figures(tmp_path):
    path = tmp_path / "PERFORMANCE.md"

    write_report(path, machine=MACHINE, args=ARGS,
                 runs=[run(log_p95=0.090, keyset_p95=0.032, logged=60, inserted=100, scheduler=59)])

    text = path.read_text()
    assert "worst 2.8× (/log/ (SPOC)); 1 of 1 pages within: **met**" in text
    assert "60.0 against 100.0 entries/s, 60%: **met**" in text
    assert "under 60 s: 59.0 s (1000 entries destroyed): **met**" in text


def test_a_target_missed_says_so(tmp_path):
    path = tmp_path / "PERFORMANCE.md"

    write_report(path, machine=MACHINE, args=ARGS,
                 runs=[run(log_p95=2.9, keyset_p95=0.032, logged=10, inserted=100, scheduler=86.5)])

    text = path.read_text()
    assert "worst 90.6× (/log/ (SPOC)); 0 of 1 pages within: **not met**" in text
    assert "10%: **not met**" in text
    assert "86.5 s (1000 entries destroyed): **not met**" in text


def test_a_page_is_judged_against_the_reference_taken_in_turn_with_it(tmp_path):
    """``bench.measure.timed_side_by_side``: the ratio is to the reference's p95 of the same pass,
    not to the reference's row measured alone; the PDF likewise to its WeasyPrint beside it."""
    path = tmp_path / "PERFORMANCE.md"
    figures = run(log_p95=0.090, keyset_p95=0.020, logged=60, inserted=100, scheduler=59)
    figures["pages"]["/log/ (SPOC)"]["reference"] = {"p50": 0.02, "p95": 0.032, "n": 30, "bytes": 7_000}
    figures["pages"]["agreement PDF (6 parties)"] = {"p50": 0.5, "p95": 0.6, "n": 6, "bytes": 50_000,
                                                     "reference": {"p50": 0.45, "p95": 0.5, "n": 6, "bytes": 50_000}}
    figures["pages"]["reference: bare WeasyPrint"] = {"p50": 0.25, "p95": 0.3, "n": 6, "bytes": 50_000}

    write_report(path, machine=MACHINE, args=ARGS, runs=[figures])

    text = path.read_text()
    assert "worst 2.8× (/log/ (SPOC)); 1 of 1 pages within: **met**" in text  # 90 ÷ 32, not 90 ÷ 20
    assert "| /log/ (SPOC) | 45 ms | 90 ms | 30 | 47 KB | 32 ms | 2.8× |" in text
    assert "bare WeasyPrint (p50): 1.11×: **met**" in text  # 500 ÷ 450, not 500 ÷ 250


def test_the_received_list_is_judged_with_the_log_and_the_inbox_is_not(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    figures = run(log_p95=0.060, keyset_p95=0.020, logged=60, inserted=100, scheduler=59)
    beside = {"p50": 0.01, "p95": 0.020, "n": 30, "bytes": 7_000}
    figures["pages"]["/log/received/ by case reference"] = {"p50": 0.05, "p95": 0.070, "n": 30, "bytes": 9_000,
                                                           "reference": beside}
    figures["pages"]["/log/inbox/ (SPOC)"] = {"p50": 0.2, "p95": 0.300, "n": 30, "bytes": 60_000}

    write_report(path, machine=MACHINE, args=ARGS, runs=[figures])

    assert "worst 3.5× (/log/received/ by case reference); 1 of 2 pages within: **not met**" in path.read_text()


def test_a_new_run_replaces_its_own_section_and_keeps_the_rest(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    path.write_text("# Performance\n\n## Volume generator\n\nTimes measured by hand.\n")

    for scheduler in (70.0, 50.0):
        write_report(path, machine=MACHINE, args=ARGS,
                     runs=[run(log_p95=0.09, keyset_p95=0.032, logged=60, inserted=100, scheduler=scheduler)])

    text = path.read_text()
    assert text.startswith("# Performance\n\n## Volume generator\n\nTimes measured by hand.\n")
    assert (text.count(START), text.count(END)) == (1, 1)
    assert "50.0 s" in text and "70.0 s" not in text


def test_each_size_says_which_template_it_copied_and_how_many_entries_were_due(tmp_path):
    # Issue 15: a run measures a fresh copy of a kept template; a template days old has more
    # entries due than it was made with, and the report must say how many the scheduler found.
    path = tmp_path / "PERFORMANCE.md"
    measured = run(log_p95=0.09, keyset_p95=0.032, logged=60, inserted=100, scheduler=50)
    measured["template_made"] = "2026-12-07 10:30 UTC"
    measured["scheduler"]["due"] = 1_004

    write_report(path, machine=MACHINE, args={**ARGS, "generate_ahead": True}, runs=[measured])

    text = path.read_text()
    assert "Measured on a fresh copy of the template generated 2026-12-07 10:30 UTC." in text
    assert "Daily scheduler: 50.0 s, with 1,004 entries due for destruction when it started." in text
    # Only one size, and its template not made in this run: nothing was measured beside the generator.
    assert "--generate-ahead" not in text

    smaller = {**run(log_p95=0.09, keyset_p95=0.032, logged=60, inserted=100, scheduler=5), "size": 10_000}
    write_report(path, machine=MACHINE, args={**ARGS, "generate_ahead": True},
                 runs=[smaller, {**measured, "generated_seconds": 1_500.0}])
    assert "shared the cores with the generator" in path.read_text()


def test_the_weekly_run_is_reported_apart_from_the_daily_one(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    measured = run(log_p95=0.09, keyset_p95=0.032, logged=60, inserted=100, scheduler=50)
    measured["weekly"] = {"seconds": 600.0, "ok": True,
                          "steps": ["Sharing log chain problems, the whole chain checked: 0 [599.90 s, 9000 queries]"]}

    write_report(path, machine=MACHINE, args=ARGS, runs=[measured])

    text = path.read_text()
    assert "under 60 s: 50.0 s (1000 entries destroyed): **met**" in text
    assert "Weekly run (`run_scheduler --weekly`, the whole chain checked), just before: 600.0 s. It said:" in text


def test_a_weekly_run_made_with_the_template_says_so(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    measured = run(log_p95=0.09, keyset_p95=0.032, logged=60, inserted=100, scheduler=50)
    measured["weekly"] = {"seconds": 61.5, "ok": True, "steps": [], "with_template": True}

    write_report(path, machine=MACHINE, args=ARGS, runs=[measured])

    assert "the whole chain checked), when the template was made: 61.5 s. It said:" in path.read_text()


def test_yesterdays_run_made_with_the_template_is_reported_apart_from_todays(tmp_path):
    path = tmp_path / "PERFORMANCE.md"
    measured = run(log_p95=0.09, keyset_p95=0.032, logged=60, inserted=100, scheduler=50)
    measured["yesterday"] = {"seconds": 75.2, "ok": True, "steps": [
        "Reminders to tell a person their information was shared: 0 [70.10 s, 12 queries]"]}

    write_report(path, machine=MACHINE, args=ARGS, runs=[measured])

    text = path.read_text()
    assert "under 60 s: 50.0 s (1000 entries destroyed): **met**" in text
    assert ("Yesterday's daily run (retention and chain check aside), when the template was made: 75.2 s. "
            "It said:\n\n- Reminders to tell a person their information was shared: 0 [70.10 s, 12 queries]") in text


def test_logging_is_judged_on_the_posts_and_a_whole_entry_is_reported_beside_them(tmp_path):
    from bench.report import WHOLE_ENTRY

    path = tmp_path / "PERFORMANCE.md"
    measured = run(log_p95=0.09, keyset_p95=0.032, logged=20, inserted=100, scheduler=50)
    measured["logging"][WHOLE_ENTRY] = {"per_second": 8.0, "logged": 80, "error": ""}

    write_report(path, machine=MACHINE, args=ARGS, runs=[measured])

    text = path.read_text()
    assert ("(the POSTs, as the issue measured): 20.0 against 100.0 entries/s, 20%; a whole entry, the form "
            "fetched and sent: 8.0 entries/s, 8%: **not met**") in text
    assert f"| {WHOLE_ENTRY} | 8.0 | 80 |" in text
