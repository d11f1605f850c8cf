"""``python -m bench.volume.generate``: fill a database with a realistic, fictional volume.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_x .venv/bin/python -m bench.volume.generate \\
        --entries 1000000 --agreements 1000 --organisations 2000 --people 20000 --seed 1

Uses the project's settings (``DATABASE_URL``); the database must be migrated. It refuses a
database that already holds organisations, people or log entries (anything but the catalogue a
fresh migrate leaves) unless ``--force``, and SQLite above ``SQLITE_LIMIT`` entries. The same
``--seed`` and ``--today`` give the same rows. Run it as the owner role (the migrations' one), not
the application's: the application may not write the database functions' own records.
"""

import argparse
import datetime
import os
import random
import sys
import time
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQLITE_LIMIT = 20_000


class Refused(Exception):
    """The database is not one to fill."""


def existing_data() -> list[str]:
    """What the database holds that a fresh, migrated one does not."""
    from django.contrib.auth import get_user_model

    from agreements.models import Agreement
    from partners.models import Organisation
    from sharing_log.models import Disclosure, LogEvent

    found = []
    for label, model in (("organisations", Organisation), ("people", get_user_model()),
                         ("agreements", Agreement), ("log entries", Disclosure), ("chain events", LogEvent)):
        count = model._default_manager.count()
        if count:
            found.append(f"{count} {label}")
    return found


def generate(*, entries: int, agreements: int, organisations: int, people: int, seed: int,
             due_for_destruction: int = 0, today: datetime.date | None = None, force: bool = False,
             batch: int = 20_000, pipeline: bool = True, set_indexes_aside: bool = True, log=print) -> dict:
    """Generate the volume into the default database; the counts written, and seconds taken."""
    from django.db import connection, transaction
    from django.utils import timezone

    from .indexes import backend_cpu_seconds, without_indexes
    from .log import LogWriter
    from .parents import parents_make

    if connection.vendor != "postgresql" and entries > SQLITE_LIMIT:
        raise Refused(f"{entries} entries on {connection.vendor} would take hours: use PostgreSQL "
                      f"(DATABASE_URL), or at most {SQLITE_LIMIT} entries.")
    found = existing_data()
    if found and not force:
        raise Refused(f"The database already holds {', '.join(found)}: it may be real. Use an empty, "
                      "migrated database, or --force.")
    if organisations < 2 or agreements < 1 or people < organisations:
        raise Refused("Give at least two organisations, one agreement and one person per organisation.")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    started = time.perf_counter()
    log(f"Parents ({organisations} organisations, {people} people, {agreements} agreements)")
    with transaction.atomic():
        parents = parents_make(rng, organisations=organisations, people=people, agreements=agreements,
                               today=today, log=log)
    parents_seconds = time.perf_counter() - started
    log(f"The log ({entries} entries)")
    writer = LogWriter(rng, parents, today=today, due_for_destruction=due_for_destruction, batch=batch,
                       pipeline=pipeline, log=log)
    tables = [sink.model._meta.db_table for sink in writer.sinks]
    with without_indexes(connection, tables, log=log) if set_indexes_aside else nullcontext() as aside:
        counts = writer.write(entries)
        log(f"  writing: {writer.timings()}")
        indexes_started = time.perf_counter()
    indexes_seconds = time.perf_counter() - indexes_started if aside else 0.0
    database_cpu = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            database_cpu = backend_cpu_seconds(cursor)
        if database_cpu is not None and writer.writer_cpu is not None:
            database_cpu += writer.writer_cpu
    total = time.perf_counter() - started
    return {**asdict(counts), "organisations": len(parents.organisations), "people": parents.users,
            "agreements": len(parents.agreements), "parents_seconds": round(parents_seconds, 1),
            "log_seconds": round(total - parents_seconds, 1), "indexes_seconds": round(indexes_seconds, 1),
            "seconds": round(total, 1), "cpu_seconds": round(time.process_time(), 1),
            "database_cpu_seconds": None if database_cpu is None else round(database_cpu, 1)}


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.volume.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--agreements", type=int, default=1_000)
    parser.add_argument("--organisations", type=int, default=2_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--due-for-destruction", type=int, default=1_000,
                        help="How many entries have a retention date that has come (default 1000).")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                        help="The day the data ends (YYYY-MM-DD; default today): with --seed, the same rows.")
    parser.add_argument("--batch", type=int, default=20_000, help="Entries per transaction (default 20000).")
    parser.add_argument("--no-pipeline", dest="pipeline", action="store_false",
                        help="Write each batch before making the next (by default a writer thread overlaps them).")
    parser.add_argument("--keep-indexes", dest="set_indexes_aside", action="store_false",
                        help="Keep the log's secondary indexes and foreign keys in place while writing (by default, "
                             "on PostgreSQL, they are dropped first and made again at the end).")
    parser.add_argument("--force", action="store_true", help="Fill a database that already holds data.")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    options = parse(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isa_portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    try:
        summary = generate(entries=options.entries, agreements=options.agreements,
                           organisations=options.organisations, people=options.people, seed=options.seed,
                           due_for_destruction=options.due_for_destruction, today=options.today,
                           force=options.force, batch=options.batch, pipeline=options.pipeline,
                           set_indexes_aside=options.set_indexes_aside)
    except Refused as refusal:
        print(f"Refused: {refusal}", file=sys.stderr)
        return 2
    print("Done: " + ", ".join(f"{key} {value}" for key, value in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
