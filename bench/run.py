"""``make bench``: the portal served by gunicorn on 127.0.0.1 with DEBUG off, measured at 10k,
100k and 1M entries against its references in the same run; writes docs/PERFORMANCE.md.

    .venv/bin/python -m bench.run                       # 10k, 100k, 1M (generates what is missing)
    .venv/bin/python -m bench.run --sizes 10000 --requests 10

For each size: a template database ``isa_bench_<size>_template``, migrated and filled by
``bench.volume`` the first time and kept (made again when the code's migrations, the generator or
its arguments change, or with ``--fresh``: ``bench.databases``), and for the measurement a fresh
copy of it, ``isa_bench_<size>``, dropped afterwards: every run measures the same data, with its
entries due for destruction still due. ``--generate-ahead`` makes the larger templates while the
smaller sizes are measured. On the copy,
``bench.subjects`` picks who to measure as; gunicorn serves ``bench.site`` (the portal plus the
reference views) with two workers; then each page is read ``--requests`` times in a row (one
warm-up first; at most ``--budget`` seconds a page), logging is driven by two clients for
``--seconds`` seconds, the daily scheduler is run once, and the PDF is rendered. Load is bounded:
everything stops by itself.
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2

from .databases import Server as Databases
from .databases import fill_with_generator, generator_arguments
from .measure import Client, error_summary, form_fields, timed_gets, timed_side_by_side
from .report import WHOLE_ENTRY, judged_against_keyset, keyset_reference, write_report

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", 5432
DATABASES = Databases(host=HOST, port=PORT)


def database_url(name: str) -> str:
    return DATABASES.url(name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving ``bench.site`` on a free port, two workers, until the block ends."""

    def __init__(self, env: dict):
        self.env, self.port = env, free_port()

    def __enter__(self):
        self.process = subprocess.Popen([
            str(Path(PYTHON).with_name("gunicorn")), "isa_portal.wsgi:application", "--workers", "2",
            "--bind", f"{HOST}:{self.port}", "--timeout", "600", "--log-level", "warning",
        ], cwd=ROOT, env=self.env)
        for _ in range(120):
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def log_form_data(client: Client, subjects: dict, number: int) -> list[tuple[str, str]]:
    """The log form as a SPOC fills it for a routine share: its defaults, and the answers a
    routine share needs that have none."""
    path = f"/log/new/?agreement={subjects['log_agreement']}"
    status, page, _, _ = client.get(path)
    fields = dict(form_fields(page))
    answers = {
        "recipient_organisation": str(subjects["log_partner"]), "decision": "shared",
        "case_reference": f"BENCH-{number:07d}", "subject_type": "adult", "data_level": "minimum",
        "data_categories": "asb", "consent_status": "explicit", "subject_informed": "yes",
        "purpose": str(subjects["log_purpose"]), "art6_basis": str(subjects["log_art6"] or ""),
        "fact_or_opinion": "fact", "summary": "Routine share for a multi-agency meeting.",
        "necessity_reason": "Needed for the meeting to plan support.",
    }
    fields.update(answers)
    return list(fields.items())


def logging_throughput(port: int, subjects: dict, *, seconds: float, clients: int = 2,
                       posts_only: bool = False, batch: int = 10) -> dict:
    """Entries logged a second through the real form by ``clients`` SPOC clients at once.

    By default each entry is what a person does: a GET of the form, then its POST. With
    ``posts_only`` the POSTs alone are timed, as the issue measured "logging a disclosure (real
    POST)" against the bare insert view (a POST): the clients fetch ``batch`` forms each (the
    session keeps up to ``govuk_blocks.once.KEEP`` tokens a form, as for tabs open at once),
    wait for each other, then send them, all clients together; only the sending is timed."""
    logged, failures, lock = [0], [], threading.Lock()
    count = min(clients, 2)
    deadline = time.perf_counter() + seconds
    # posts_only: the clients send their forms together, between two barriers, each of whose
    # actions runs once when every client has come: the first starts the clock, the second
    # stops it and decides, for every client at once, whether to go round again.
    clock = {"timed": 0.0, "started": 0.0, "stop": False}

    def start():
        clock["started"] = time.perf_counter()

    def stop():
        now = time.perf_counter()
        clock["timed"] += now - clock["started"]
        clock["stop"] = now >= deadline

    ready = threading.Barrier(count, action=start, timeout=600)
    done = threading.Barrier(count, action=stop, timeout=600)

    def send(client, data) -> bool:
        status, page, _, _ = client.post(f"/log/new/?agreement={subjects['log_agreement']}", data)
        with lock:
            if status in (302, 303):
                logged[0] += 1
                return True
            failures.append(f"HTTP {status}: {error_summary(page)[:300]}")
            return False

    def work(index: int):
        client = Client(port, subjects["sessions"]["spoc_2" if index else "spoc"])
        number = index * 1_000_000
        if not posts_only:
            while time.perf_counter() < deadline:
                number += 1
                if not send(client, log_form_data(client, subjects, number)):
                    return
            return
        try:
            while not clock["stop"]:
                forms = [log_form_data(client, subjects, number + n + 1) for n in range(batch)]
                number += batch
                ready.wait()
                sent = all(send(client, data) for data in forms)
                if not sent:
                    ready.abort()
                    done.abort()
                    return
                done.wait()
        except threading.BrokenBarrierError:
            return

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = clock["timed"] if posts_only else time.perf_counter() - started
    return {"per_second": logged[0] / took if took else 0.0, "logged": logged[0],
            "error": failures[0] if failures else ""}


def insert_throughput(port: int, session: str, *, seconds: float, clients: int = 2) -> dict:
    logged, deadline, lock = [0], time.perf_counter() + seconds, threading.Lock()

    def work():
        client = Client(port, session)
        while time.perf_counter() < deadline:
            status, _, _, _ = client.post("/bench/insert/", [])
            if status == 204:
                with lock:
                    logged[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"per_second": logged[0] / (time.perf_counter() - started), "logged": logged[0]}


def raw_insert_throughput(name: str, *, seconds: float) -> dict:
    """Single-row INSERTs of a copy of the newest entry, one transaction each."""
    columns_sql = ("SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns "
                   "WHERE table_name = 'sharing_log_disclosure' AND column_name <> 'id'")
    with psycopg2.connect(database_url(name)) as connection:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(columns_sql)
            columns = cursor.fetchone()[0]
            cursor.execute("SELECT max(id) FROM sharing_log_disclosure")
            newest = cursor.fetchone()[0]
            insert = (f"INSERT INTO sharing_log_disclosure ({columns}) "  # noqa: S608 – names from the catalogue
                      f"SELECT {columns} FROM sharing_log_disclosure WHERE id = %s")
            count, started = 0, time.perf_counter()
            while time.perf_counter() - started < seconds:
                cursor.execute(insert, [newest])
                count += 1
            return {"per_second": count / (time.perf_counter() - started), "logged": count}


def newest_entry(name: str) -> int:
    with psycopg2.connect(database_url(name)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM sharing_log_disclosure")
        return cursor.fetchone()[0]


def reference_rows_remove(cursor, *, after_id: int) -> int:
    """Take out the entries after ``after_id`` that the insert references wrote around the
    portal's services (no history, no hash chain); entries logged through the form are chained
    and stay. Left, they fail the daily scheduler's chain check, in this run and every later one
    on the kept database (issue 15). The log's append-only triggers refuse a DELETE, so they are
    skipped for this transaction (replica mode: the database owner, as ``bench.volume`` runs)."""
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute(
        "DELETE FROM sharing_log_disclosure AS entry WHERE entry.id > %s AND NOT EXISTS ("
        "SELECT 1 FROM sharing_log_logevent AS event WHERE event.kind = 'logged' AND event.record_id = entry.id)",
        [after_id],
    )
    removed = cursor.rowcount
    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    return removed


def reference_rows_remove_from(name: str, *, after_id: int) -> int:
    with psycopg2.connect(database_url(name)) as connection, connection.cursor() as cursor:
        return reference_rows_remove(cursor, after_id=after_id)


# The step's line, with or without what it cost (``--profile``: `` [1.23 s, 45 queries]``).
SCHEDULER_DESTROYED = re.compile(r"^Entries destroyed under the retention rule: (\d+)(?: \[.*\])?$", re.MULTILINE)


def time_scheduler(env: dict, *, weekly: bool = False) -> dict:
    """One run of ``manage.py run_scheduler --profile`` (each step's time and queries on its
    line), the daily one or, with ``weekly``, the weekly one (the whole chain checked)."""
    started = time.perf_counter()
    result = subprocess.run([PYTHON, "manage.py", "run_scheduler", "--profile", *(["--weekly"] if weekly else [])],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    destroyed = SCHEDULER_DESTROYED.search(result.stdout)
    return {"seconds": took, "ok": result.returncode == 0, "steps": result.stdout.strip().splitlines(),
            "destroyed": int(destroyed.group(1)) if destroyed else None}


def code_state(size: int, env: dict) -> dict:
    """The state a template for ``size`` must record to be used (``bench.databases.code_state``)."""
    return json.loads(subprocess.run([PYTHON, "-m", "bench.databases", "state", "--size", str(size)], cwd=ROOT,
                                     env={**env, "DATABASE_URL": "sqlite:///:memory:"}, check=True,
                                     capture_output=True, text=True).stdout)


def due_for_destruction(name: str) -> int:
    """Entries whose retention date has come and that are not destroyed yet (what the daily
    scheduler should destroy; more than the generator made if its template is days old)."""
    with psycopg2.connect(database_url(name)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sharing_log_disclosure WHERE retention_due_on <= current_date "
                       "AND purged_at IS NULL")
        return cursor.fetchone()[0]


def template_prepare(size: int, args, base_env: dict) -> dict:
    """The template for ``size``: kept, or made (if there is none, or it was made from other
    migrations, another generator or other arguments)."""
    arguments = generator_arguments(size)
    generated = DATABASES.template_ensure(
        size, state=code_state(size, base_env), fresh=args.fresh,
        fill=lambda name: fill_with_generator(name, server=DATABASES, arguments=arguments, env=base_env, python=PYTHON))
    template = DATABASES.recorded_state(DATABASES.template_name(size)) or {}
    weekly = _recorded_run(template, "weekly")
    return {"generated_seconds": generated, "template_made": template.get("made", ""),
            "weekly": {**weekly, "with_template": True} if weekly else None,
            "yesterday": _recorded_run(template, "yesterday")}


def _recorded_run(template: dict, name: str) -> dict | None:
    """A scheduler run made with the template (``bench.databases.fill_with_generator``), as the
    template records it (``<name>_seconds``, ``_ok``, ``_steps``), or None if it records none."""
    if f"{name}_seconds" not in template:
        return None
    return {"seconds": template[f"{name}_seconds"], "ok": template.get(f"{name}_ok", True),
            "steps": template.get(f"{name}_steps", [])}


def measure(size: int, args, base_env: dict, template: dict) -> dict:
    """Measure a fresh copy of the template for ``size``, dropped afterwards."""
    with DATABASES.fresh_copy(size) as name:
        figures = measure_copy(name, size, args, base_env, weekly_done=template.get("weekly") is not None)
    return {**figures, **{key: value for key, value in template.items() if value is not None or key != "weekly"}}


def measure_copy(name: str, size: int, args, base_env: dict, *, weekly_done: bool = False) -> dict:
    env = {**base_env, "DATABASE_URL": database_url(name)}
    subjects = json.loads(subprocess.run([PYTHON, "-m", "bench.subjects"], cwd=ROOT, env=env, check=True,
                                         capture_output=True, text=True).stdout)
    pages, logging = {}, {}
    before_references = newest_entry(name)
    with Server(env) as server:
        spoc = Client(server.port, subjects["sessions"]["spoc"])
        manager = Client(server.port, subjects["sessions"]["governance_manager"])
        admin = Client(server.port, subjects["sessions"]["admin"])
        f = subjects["filters"]
        plan = [
            ("/log/ (SPOC)", spoc, "/log/"),
            ("/log/ (governance manager)", manager, "/log/"),
            ("/log/ deep page (SPOC)", spoc, f"/log/?after={subjects['deep_cursor']}"),
            ("/log/ by agreement", spoc, f"/log/?agreement={f['agreement']}"),
            ("/log/ by partner", spoc, f"/log/?partner={f['partner']}"),
            ("/log/ by data category", spoc, f"/log/?data_category={f['data_category']}"),
            ("/log/ by decision", spoc, f"/log/?decision={f['decision']}"),
            ("/log/ by case reference", spoc, f"/log/?case_reference={f['case_reference']}"),
            ("/log/ by decision (governance manager)", manager, f"/log/?decision={f['decision']}"),
            ("/log/received/ (SPOC)", spoc, "/log/received/"),
            ("/log/received/ by case reference", spoc, f"/log/received/?case_reference={f['received_case_reference']}"),
            ("/log/inbox/ (SPOC)", spoc, "/log/inbox/"),
            ("/due/ (SPOC)", spoc, "/due/"),
            ("reference: bare keyset view", spoc, "/bench/keyset/"),
            ("reference: bare keyset view, deep", spoc, f"/bench/keyset/?after={subjects['deep_keyset']}"),
            ("reference: Django admin changelist", admin, "/admin/sharing_log/disclosure/"),
        ]
        # The keyset views, by label, as the plan holds them: each list page is taken in turn with one.
        references = {label: (client, path) for label, client, path in plan
                      if label.startswith("reference: bare keyset")}
        for label, client, path in plan:
            print(f"  {size:>9,}  {label}", flush=True)
            if judged_against_keyset(label):
                # Taken in turn with its reference, whose figures of the same pass the ratio uses.
                page, reference = timed_side_by_side(
                    [(client, path), references[keyset_reference(label)]],
                    requests=args.requests, budget_seconds=args.budget)
                pages[label] = {**page, "path": path, "reference": reference}
            else:
                pages[label] = {**timed_gets(client, path, requests=args.requests, budget_seconds=args.budget),
                                "path": path}
        pdf = subjects["pdf_agreement"]
        print(f"  {size:>9,}  agreement PDF and bare WeasyPrint, in turn", flush=True)
        document, weasyprint = timed_side_by_side(
            [(manager, f"/agreements/{pdf}/pdf/"), (manager, f"/bench/weasyprint/{pdf}/")],
            requests=max(3, args.requests // 5), budget_seconds=args.budget)
        pages[f"agreement PDF ({subjects['pdf_parties']} parties)"] = {
            **document, "path": f"/agreements/{pdf}/pdf/", "reference": weasyprint}
        pages["reference: bare WeasyPrint"] = {**weasyprint, "path": f"/bench/weasyprint/{pdf}/"}
        print(f"  {size:>9,}  logging", flush=True)
        logging["log form (real POST)"] = logging_throughput(server.port, subjects, seconds=args.seconds,
                                                             posts_only=True)
        logging[WHOLE_ENTRY] = logging_throughput(server.port, subjects, seconds=args.seconds)
        logging["reference: bare insert view"] = insert_throughput(server.port, subjects["sessions"]["spoc"],
                                                                  seconds=args.seconds)
    logging["reference: raw single-row INSERT"] = raw_insert_throughput(name, seconds=args.seconds)
    reference_rows_remove_from(name, after_id=before_references)
    # The weekly run (the whole chain checked, decision 0066) comes with the template, as it
    # would have run within the week before any day's run; a template made before it did is given
    # it here, on the copy.
    weekly = None
    if not weekly_done:
        print(f"  {size:>9,}  weekly run", flush=True)
        weekly = time_scheduler(env, weekly=True)
    print(f"  {size:>9,}  scheduler", flush=True)
    due = due_for_destruction(name)
    scheduler = {**time_scheduler(env), "due": due}
    return {"size": size, "subjects": {k: v for k, v in subjects.items()
                                                                        if k != "sessions"},
            "pages": pages, "logging": logging, "scheduler": scheduler,
            **({"weekly": weekly} if weekly is not None else {})}


def machine() -> dict:
    def read(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(int(memory) / 1024 / 1024, 1),
            "python": platform.python_version(), "postgresql": read(["psql", "--version"]),
            "load": os.getloadavg(), "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    # A p95 of thirty requests is the second slowest of them: one slow request moved a page's ratio
    # by a whole step. A hundred give the 95th percentile something to be a percentile of.
    parser.add_argument("--requests", type=int, default=100, help="Requests a page (default 100).")
    parser.add_argument("--budget", type=float, default=90, help="Seconds a page at most (default 90).")
    parser.add_argument("--seconds", type=float, default=20, help="Seconds of logging load (default 20).")
    parser.add_argument("--fresh", action="store_true", help="Generate every template again.")
    parser.add_argument("--generate-ahead", action="store_true",
                        help="Make the larger sizes' templates while the smaller are measured (quicker on a first "
                             "run; the generator then competes with the measurements for the cores).")
    parser.add_argument("--output", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    args = parser.parse_args(argv)
    static_root = tempfile.mkdtemp(prefix="isa-bench-static-")
    base_env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "bench.site.settings", "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://isa-bench.example", "SECURE_SSL_REDIRECT": "false", "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING", "ISA_VAR_DIR": tempfile.mkdtemp(prefix="isa-bench-var-"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "PYTHONWARNINGS": "ignore",
    }
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT,
                   env={**base_env, "DATABASE_URL": "sqlite:///:memory:"}, check=True)
    sizes = [int(value) for value in args.sizes.split(",")]
    if args.generate_ahead:
        # One thread makes the templates in turn while the smaller sizes are measured.
        ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="templates")
        templates = {size: ahead.submit(template_prepare, size, args, base_env) for size in sizes}
    runs = []
    for size in sizes:
        template = templates[size].result() if args.generate_ahead else template_prepare(size, args, base_env)
        print(f"Measuring at {size:,} entries", flush=True)
        runs.append(measure(size, args, base_env, template))
        # Written after each size: a run stopped before the largest keeps the figures it has.
        write_report(Path(args.output), machine=machine(), runs=runs, args=vars(args))
        print(f"Written: {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
