"""The databases ``make bench`` measures (issue 15): for each size a template, generated once and
kept, and for every measurement a fresh copy of it, dropped afterwards.

A measurement changes its database: the daily scheduler destroys the entries due for
destruction, logging adds entries, ``bench.subjects`` adds sessions. Measured again on the same
database, the scheduler would find nothing to destroy. So the generator fills
``<prefix>_<size>_template`` once (migrated, generated, vacuumed and analysed), and each run
measures ``<prefix>_<size>``, a ``CREATE DATABASE … TEMPLATE`` copy of it made just before and
dropped just after.

The template records, as its database comment, the state it was made from (``code_state``):
a digest of every migration the code has (name and file contents, the installed apps' too), a
digest of the generator's sources, and the generator's arguments. A template whose record
differs from the code's, or has none (a generation that stopped half-way), is generated again.
A template is built under another name (``…_template_building``) and renamed when complete.

    python -m bench.databases state --entries 10000 …   # the code's state, as JSON (inside Django)
"""

import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE, BUILDING = "_template", "_template_building"


def files_digest(files: Iterable[tuple[str, Path]]) -> str:
    """One digest of ``(name, path)`` pairs: the names, and each file's contents."""
    digest = hashlib.sha256()
    for name, path in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()


def migrations_digest() -> tuple[int, str]:
    """How many migrations the code has and their digest (Django set up; no database read)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    files = [(f"{app}.{name}", sys.modules[migration.__module__].__file__)
             for (app, name), migration in loader.disk_migrations.items()]
    return len(files), files_digest(files)


def generator_digest() -> str:
    return files_digest((str(path.relative_to(ROOT)), path) for path in (ROOT / "bench" / "volume").glob("*.py"))


def code_state(arguments: dict) -> dict:
    """What a template made now would be made from: compared with what a template records."""
    count, digest = migrations_digest()
    return {"migrations": count, "migrations_digest": digest, "generator_digest": generator_digest(),
            "arguments": arguments}


class Server:
    """A PostgreSQL server on which the bench makes, copies and drops its own databases."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 5432, user: str = "postgres", prefix: str = "isa_bench"):
        self.host, self.port, self.user, self.prefix = host, port, user, prefix

    def url(self, name: str) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/{name}"

    def template_name(self, size: int) -> str:
        return f"{self.prefix}_{size}{TEMPLATE}"

    def copy_name(self, size: int) -> str:
        return f"{self.prefix}_{size}"

    @contextmanager
    def _maintenance(self):
        connection = psycopg2.connect(host=self.host, port=self.port, user=self.user, dbname="postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            connection.close()

    def exists(self, name: str) -> bool:
        with self._maintenance() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def drop(self, name: str) -> None:
        with self._maintenance() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def recorded_state(self, name: str) -> dict | None:
        """The state a template records (its database comment), or None."""
        with self._maintenance() as cursor:
            cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
            row = cursor.fetchone()
        if row is None or not row[0]:
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def template_ensure(self, size: int, *, state: dict, fill: Callable[[str], dict | None], fresh: bool = False,
                        log=print) -> float | None:
        """The template for ``size``, made by ``fill`` (given a new, empty database's name; what it
        returns is recorded with the template) unless one recording ``state`` is kept; the seconds
        its making took, or None if it was kept."""
        name = self.template_name(size)
        recorded = self.recorded_state(name) or {}
        if not fresh and {key: recorded.get(key) for key in state} == state:
            return None
        if self.exists(name):
            log(f"  template {name}: " + ("--fresh" if fresh else "made from other code or arguments, or unfinished")
                + ": generated again")
        building = f"{self.prefix}_{size}{BUILDING}"
        self.drop(building)
        with self._maintenance() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
        started = time.perf_counter()
        made = fill(building) or {}
        took = time.perf_counter() - started
        with self._maintenance() as cursor:
            cursor.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(building), sql.Literal(json.dumps({**made, **state, "seconds": round(took),
                                                       "made": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}))))
        self.drop(name)
        with self._maintenance() as cursor:
            cursor.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building),
                                                                          sql.Identifier(name)))
        return took

    @contextmanager
    def fresh_copy(self, size: int):
        """A copy of the template for ``size`` (whatever an earlier run left under that name is
        dropped first), dropped when the block ends."""
        name, template = self.copy_name(size), self.template_name(size)
        self.drop(name)
        with self._maintenance() as cursor:
            # FILE_COPY: the files copied as they are, faster than WAL-logging every block of a
            # database of gigabytes (PostgreSQL 15's default).
            cursor.execute("SHOW server_version_num")
            strategy = sql.SQL(" STRATEGY FILE_COPY") if int(cursor.fetchone()[0]) >= 150000 else sql.SQL("")
            cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                           sql.Identifier(template)) + strategy)
        try:
            yield name
        finally:
            self.drop(name)


def generator_arguments(size: int) -> dict:
    """The generator's arguments for ``size`` entries: the issue's parents at 1M, scaled down below."""
    scale = max(1, size // 1000)
    return {"entries": size, "agreements": min(1000, scale), "organisations": min(2000, 2 * scale),
            "people": min(20000, 20 * scale), "due_for_destruction": min(1000, size // 100), "seed": 1}


def fill_with_generator(name: str, *, server: Server, arguments: dict, env: dict, python: str = sys.executable) -> dict:
    """Migrate database ``name`` and fill it with the volume generator; then vacuum and analyse
    it, as autovacuum would have a database in use (visibility map, statistics); then make the
    daily scheduler's weekly run on it (the whole chain checked, decision 0066), as a portal in
    use would have within the week, so each copy's daily run starts from its checkpoint; and
    yesterday's daily run (``bench.volume.yesterday``), so that the run measured has one day's
    reminders to make, not three years'. The two runs' seconds and output, to be recorded with
    the template."""
    run_env = {**env, "DATABASE_URL": server.url(name)}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=run_env, check=True)
    subprocess.run([python, "-m", "bench.volume.generate",
                    *[f"--{key.replace('_', '-')}={value}" for key, value in arguments.items()]],
                   cwd=ROOT, env=run_env, check=True)
    connection = psycopg2.connect(server.url(name))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()
    return {**weekly_run(run_env, python=python), **yesterday_run(run_env, python=python)}


def yesterday_run(env: dict, *, python: str = sys.executable) -> dict:
    """Yesterday's daily run on ``env``'s database, as a portal in use would have made it
    (``bench.volume.yesterday``): its seconds, whether it passed, and what it said."""
    result = subprocess.run([python, "-m", "bench.volume.yesterday"], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def weekly_run(env: dict, *, python: str = sys.executable) -> dict:
    """``manage.py run_scheduler --weekly --profile`` on ``env``'s database: its seconds, whether
    it passed, and what it said."""
    started = time.perf_counter()
    result = subprocess.run([python, "manage.py", "run_scheduler", "--weekly", "--profile"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    return {"weekly_seconds": round(time.perf_counter() - started, 1), "weekly_ok": result.returncode == 0,
            "weekly_steps": result.stdout.strip().splitlines()}


def main(argv=None) -> int:
    import argparse
    import os

    parser = argparse.ArgumentParser(prog="python -m bench.databases")
    parser.add_argument("command", choices=["state"])
    parser.add_argument("--size", type=int, required=True)
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isa_portal.settings")
    import django

    django.setup()
    print(json.dumps(code_state(generator_arguments(options.size))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
