"""The databases ``make bench`` measures (``bench.databases``, issue 15): a template per size,
made once and kept while the code's migrations and generator stay the same, and a fresh copy of it
for every measurement, dropped afterwards. Against the real PostgreSQL server (CREATE DATABASE …
TEMPLATE), with databases of this test's own (``isa_benchtest_<pid>_…``), all dropped after; the
template is filled by a small stand-in for the generator, except in the last test."""

import json
import os

import psycopg2
import pytest
from django.db import connection

from bench.databases import Server, code_state, files_digest, generator_arguments, migrations_digest

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="PostgreSQL only: templates are copied by CREATE DATABASE … TEMPLATE"),
    # Reads nothing of the test database, but has it made (the suite's session fixtures expect one).
    pytest.mark.django_db,
]

STATE = {"migrations": 3, "migrations_digest": "a" * 64, "generator_digest": "b" * 64,
         "arguments": {"entries": 5, "seed": 1}}


@pytest.fixture
def server():
    settings = connection.settings_dict
    server = Server(host=settings["HOST"] or "127.0.0.1", port=int(settings["PORT"] or 5432),
                    user=settings["USER"] or "postgres", prefix=f"isa_benchtest_{os.getpid()}")
    yield server
    with server._maintenance() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [server.prefix + "\\_%"])
        left = [row[0] for row in cursor.fetchall()]
    for name in left:
        server.drop(name)


class Filler:
    """Stands in for migrate and the generator: a table of ``rows`` entries, some due."""

    def __init__(self, server, rows=5):
        self.server, self.rows, self.filled = server, rows, []

    def __call__(self, name):
        self.filled.append(name)
        with psycopg2.connect(self.server.url(name)) as db, db.cursor() as cursor:
            cursor.execute("CREATE TABLE entry (id int PRIMARY KEY, due boolean NOT NULL, destroyed boolean NOT NULL)")
            cursor.execute("INSERT INTO entry SELECT n, n %% 2 = 0, false FROM generate_series(1, %s) AS n",
                           [self.rows])
        db.close()


def rows(server, name, where="true"):
    with psycopg2.connect(server.url(name)) as db, db.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM entry WHERE {where}")  # noqa: S608 – the tests' own conditions
        count = cursor.fetchone()[0]
    db.close()
    return count


def test_the_template_is_made_once_and_every_run_measures_a_fresh_copy_dropped_after(server):
    fill = Filler(server)
    assert server.template_ensure(10, state=STATE, fill=fill, log=lambda *a: None) is not None
    assert fill.filled == [f"{server.prefix}_10_template_building"]
    assert server.exists(server.template_name(10))
    assert not server.exists(f"{server.prefix}_10_template_building")
    assert server.recorded_state(server.template_name(10))["migrations_digest"] == STATE["migrations_digest"]

    # A run: the scheduler destroys what is due, logging adds entries.
    with server.fresh_copy(10) as name:
        assert name == f"{server.prefix}_10"
        with psycopg2.connect(server.url(name)) as db, db.cursor() as cursor:
            cursor.execute("UPDATE entry SET destroyed = true WHERE due")
            cursor.execute("INSERT INTO entry VALUES (100, false, false)")
        db.close()
    assert not server.exists(f"{server.prefix}_10")

    # The next run: the template is kept (not filled again) and the copy holds what was due again.
    assert server.template_ensure(10, state=STATE, fill=fill, log=lambda *a: None) is None
    assert len(fill.filled) == 1
    with server.fresh_copy(10) as name:
        assert rows(server, name) == 5
        assert rows(server, name, "due AND NOT destroyed") == 2
    assert rows(server, server.template_name(10), "destroyed") == 0


def test_a_copy_is_dropped_when_the_measurement_fails_and_one_left_by_a_killed_run_is_replaced(server):
    server.template_ensure(10, state=STATE, fill=Filler(server), log=lambda *a: None)
    with pytest.raises(RuntimeError), server.fresh_copy(10) as name:
        raise RuntimeError("gunicorn did not start")
    assert not server.exists(name)
    # A run killed mid-way left its copy, with its changes, and a connection to it.
    stale = server.copy_name(10)
    with server._maintenance() as cursor:
        cursor.execute(f'CREATE DATABASE "{stale}" TEMPLATE "{server.template_name(10)}"')
    left_open = psycopg2.connect(server.url(stale))
    left_open.autocommit = True
    left_open.cursor().execute("DELETE FROM entry")
    try:
        with server.fresh_copy(10) as name:
            assert rows(server, name) == 5
    finally:
        left_open.close()


@pytest.mark.parametrize("change", ["migrations", "migrations_digest", "generator_digest", "arguments"])
def test_the_template_is_made_again_when_the_migrations_the_generator_or_its_arguments_changed(server, change):
    fill = Filler(server)
    server.template_ensure(10, state=STATE, fill=fill, log=lambda *a: None)
    changed = {**STATE, change: {"entries": 6, "seed": 1} if change == "arguments" else "c" * 64}
    fill.rows = 7
    messages = []
    assert server.template_ensure(10, state=changed, fill=fill, log=messages.append) is not None
    assert len(fill.filled) == 2 and "generated again" in messages[0]
    assert server.recorded_state(server.template_name(10))[change] == changed[change]
    with server.fresh_copy(10) as name:
        assert rows(server, name) == 7


def test_a_template_whose_making_stopped_half_way_is_made_again(server):
    class Stops(Filler):
        def __call__(self, name):
            super().__call__(name)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        server.template_ensure(10, state=STATE, fill=Stops(server), log=lambda *a: None)
    assert not server.exists(server.template_name(10))  # only ever renamed once complete

    # A template without its record (made by hand, or by an older bench) is not trusted either.
    with server._maintenance() as cursor:
        cursor.execute(f'ALTER DATABASE "{server.prefix}_10_template_building" RENAME TO "{server.template_name(10)}"')
    fill = Filler(server)
    assert server.template_ensure(10, state=STATE, fill=fill, log=lambda *a: None) is not None
    assert fill.filled and not server.exists(f"{server.prefix}_10_template_building")


def test_fresh_makes_the_template_again_whatever_it_records(server):
    fill = Filler(server)
    server.template_ensure(10, state=STATE, fill=fill, log=lambda *a: None)
    server.template_ensure(10, state=STATE, fill=fill, fresh=True, log=lambda *a: None)
    assert len(fill.filled) == 2


def test_the_state_names_every_migration_of_the_code_and_changes_with_a_files_contents(tmp_path, settings):
    from django.db.migrations.loader import MigrationLoader

    settings.MIGRATION_MODULES = {}  # the suite runs without migrations (--no-migrations); the bench with

    count, digest = migrations_digest()
    assert count == len(MigrationLoader(None, ignore_no_migrations=True).disk_migrations) > 50
    state = code_state(generator_arguments(100_000))
    assert state["migrations_digest"] == digest and json.loads(json.dumps(state)) == state
    assert state["arguments"] == {"entries": 100_000, "agreements": 100, "organisations": 200, "people": 2000,
                                  "due_for_destruction": 1000, "seed": 1}
    assert generator_arguments(1_000_000)["people"] == 20_000

    migration = tmp_path / "0002_x.py"
    migration.write_text("operations = []\n")
    before = files_digest([("app.0002_x", migration)])
    migration.write_text("operations = ['an edited migration']\n")
    assert files_digest([("app.0002_x", migration)]) != before
    assert files_digest([("app.0003_x", migration)]) != files_digest([("app.0002_x", migration)])
