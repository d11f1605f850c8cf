"""The log's list pages rendered in-process, for figures that hold on a busy machine: queries,
model instances built, and CPU time over repeated renders (``time.process_time``, the process's
own CPU, which other processes' load barely moves), each beside a bare keyset view of the same
rows (``bench.site.references.keyset``) measured in the same run.

    DATABASE_URL=postgres://…/isa_bench_10000 python -m bench.list_pages [--renders 40]

Run against a database the volume generator filled (``bench.volume.generate``); it signs in as
``bench.subjects`` does (the busiest organisation's SPOC and governance manager) and prints a
Markdown table. DEBUG is off, as served; queries are captured in a separate pass so that
capturing them costs nothing in the timed one."""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time


def _pages(subjects: dict) -> list[tuple[str, str, str]]:
    """(label, session, path) for each page measured."""
    inbox_last = subjects.get("inbox_pages", 1)
    return [
        ("/log/ (SPOC)", "spoc", "/log/"),
        ("/log/ (governance manager)", "governance_manager", "/log/"),
        ("/log/ deep page (SPOC)", "spoc", f"/log/?after={subjects['deep_cursor']}"),
        ("/log/received/ (SPOC)", "spoc", "/log/received/"),
        ("/log/ by decision (SPOC)", "spoc", "/log/?decision=not_shared"),
        ("/log/inbox/ (SPOC)", "spoc", "/log/inbox/"),
        (f"/log/inbox/ last page ({inbox_last}) (SPOC)", "spoc", f"/log/inbox/?page={inbox_last}"),
        ("/due/ (SPOC)", "spoc", "/due/"),
        ("/due/ page 50 (SPOC)", "spoc", "/due/?page=50"),
        ("reference: bare keyset view", "spoc", "/bench/keyset/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=40, help="Timed renders of each page (default 40).")
    args = parser.parse_args()
    # Served as ``bench.run`` serves it: DEBUG off, static files collected, nothing logged.
    for name, value in {
        "DJANGO_SETTINGS_MODULE": "bench.site.settings", "DEBUG": "false", "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": "https://isa-bench.example", "ALLOWED_HOSTS": "testserver", "LOG_LEVEL": "WARNING",
        "SECRET_KEY": secrets.token_urlsafe(50), "STATIC_ROOT": tempfile.mkdtemp(prefix="isa-list-pages-static-"),
        "ISA_VAR_DIR": tempfile.mkdtemp(prefix="isa-list-pages-var-"), "PYTHONWARNINGS": "ignore",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.conf import settings
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.subjects import subjects as bench_subjects
    from partners.permissions import user_organisation_ids
    from sharing_log.permissions import ACKNOWLEDGERS
    from sharing_log.selectors import disclosures_awaiting_acknowledgement
    from sharing_log.views.disclosures import INBOX_PER_PAGE

    chosen = bench_subjects()
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY, get_user_model

    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=chosen["sessions"]["spoc"])
    spoc_user = get_user_model().objects.get(pk=session[SESSION_KEY])
    assert user_organisation_ids(spoc_user, roles=ACKNOWLEDGERS)
    waiting = disclosures_awaiting_acknowledgement(spoc_user).count()
    chosen["inbox_pages"] = max(1, -(-waiting // INBOX_PER_PAGE))

    clients = {}
    for name in ("spoc", "governance_manager"):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = chosen["sessions"][name]
        clients[name] = client

    instances = [0]

    def count(**kwargs):
        instances[0] += 1

    rows = []
    for label, who, path in _pages(chosen):
        client = clients[who]
        response = client.get(path)  # warm: the session's first request, caches, templates
        if response.status_code != 200:
            sys.exit(f"{path}: {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        # Read now: the next request empties the connection's log.
        queries = len(captured.captured_queries)
        sql_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
        post_init.connect(count)
        instances[0] = 0
        client.get(path)
        post_init.disconnect(count)
        built = instances[0]
        cpu, wall = [], []
        for _ in range(args.renders):
            started_cpu, started = time.process_time(), time.perf_counter()
            response = client.get(path)
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
        rows.append((label, queries, sql_ms, built, statistics.median(cpu) * 1000,
                     statistics.median(wall) * 1000, len(response.content)))
    reference = next(row for row in rows if row[0].startswith("reference"))
    print(f"{chosen['entries']:,} entries; the SPOC's organisation logged {chosen['entries_of_organisation']:,}; "
          f"{waiting:,} receipts await its SPOC; {args.renders} renders each.\n")
    print("| page | queries | their time (ms) | model instances | CPU per render (ms, median) "
          "| wall (ms, median) | CPU ÷ reference | HTML (KB) |")
    print("|---|---|---|---|---|---|---|---|")
    for label, queries, sql_ms, built, cpu_ms, wall_ms, size in rows:
        print(f"| {label} | {queries} | {sql_ms:.1f} | {built} | {cpu_ms:.1f} | {wall_ms:.1f} "
              f"| {cpu_ms / reference[4]:.1f} | {size / 1024:.0f} |")


if __name__ == "__main__":
    main()
