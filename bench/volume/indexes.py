"""The log's tables without their secondary indexes and foreign keys while the generator copies
rows into them, and with them again after (PostgreSQL; issue 15).

Kept in place in a table of a million rows, each index is updated row by row as the rows come
in: the chain's unique index on a random hash, and the entry history's thirteen, outgrow
memory and every row then costs random reads and writes; each foreign key is checked row by
row at every commit. Built once at the end, an index is one sort, and a foreign key one join
over the whole table. What is set aside and put back is exactly what the migrations made: each
index's definition as PostgreSQL gives it (``pg_get_indexdef``), each unique and foreign-key
constraint's (``pg_get_constraintdef``), under the same names. The primary keys stay (the
generator's rows name their own keys, and the log's triggers look entries up by them), and so
do the check constraints and triggers: every row is still checked as it comes in.

A foreign key put back is validated over every row, and a unique constraint over every value:
what the generator wrote is checked as strictly as row by row, only later.
"""

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class SetAside:
    """What was taken off the tables, in the order it is put back, and the seconds each took."""

    indexes: list[tuple[str, str]] = field(default_factory=list)           # (name, CREATE INDEX …)
    constraints: list[tuple[str, str, str]] = field(default_factory=list)  # (table, name, definition)
    seconds: dict[str, float] = field(default_factory=dict)

    def __len__(self):
        return len(self.indexes) + len(self.constraints)


# Constraints of the tables (unique, exclusion and foreign keys; not primary keys or checks),
# except those a foreign key elsewhere depends on.
CONSTRAINTS = """
SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
FROM pg_constraint AS c
WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('u', 'x', 'f')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS f WHERE f.contype = 'f' AND f.conindid = c.conindid
                  AND c.contype <> 'f' AND f.oid <> c.oid)
ORDER BY c.conrelid::regclass::text, c.conname
"""

# Indexes no constraint owns (Django's db_index, Meta.indexes, conditional UniqueConstraints).
INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index AS i
WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)
ORDER BY i.indrelid::regclass::text, 1
"""


def set_aside(cursor, tables: list[str]) -> SetAside:
    """Drop the secondary indexes and the unique and foreign-key constraints of ``tables``;
    what was dropped, to give ``put_back``."""
    aside = SetAside()
    cursor.execute(CONSTRAINTS, [tables])
    for table, name, definition, _kind in cursor.fetchall():
        aside.constraints.append((table, name, definition))
    cursor.execute(INDEXES, [tables])
    aside.indexes = list(cursor.fetchall())
    for table, name, _definition in aside.constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in aside.indexes:
        cursor.execute(f"DROP INDEX {name}")
    # Unique constraints before foreign keys when they go back (a key may refer to one).
    aside.constraints.sort(key=lambda row: row[2].startswith("FOREIGN KEY"))
    return aside


def put_back(cursor, aside: SetAside, log=print) -> None:
    """Create again what ``set_aside`` dropped, as it was."""
    for name, definition in aside.indexes:
        started = time.perf_counter()
        cursor.execute(definition)
        aside.seconds[name] = time.perf_counter() - started
    for table, name, definition in aside.constraints:
        started = time.perf_counter()
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        aside.seconds[name] = time.perf_counter() - started
    log(f"  {len(aside.indexes)} indexes and {len(aside.constraints)} constraints put back in "
        f"{sum(aside.seconds.values()):.1f} s")


@contextmanager
def without_indexes(connection, tables: list[str], *, log=print):
    """``tables`` without their secondary indexes and unique and foreign-key constraints inside
    the block, with them again after it, even if it failed (PostgreSQL; elsewhere nothing is
    done). Each step commits (the block's writes come from several transactions)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield None
        return
    with connection.cursor() as cursor:
        aside = set_aside(cursor, tables)
    try:
        yield aside
    finally:
        with connection.cursor() as cursor:
            # Sorts in memory rather than on disk: one session, on a database of its own.
            cursor.execute("SET maintenance_work_mem = '512MB'")
            put_back(cursor, aside, log=log)
            cursor.execute("RESET maintenance_work_mem")


def backend_cpu_seconds(cursor) -> float | None:
    """The CPU seconds (user and system) the database server's process for this connection has
    used so far, read from /proc: a server on this machine only, else None. Unlike wall time, it
    does not count waiting for the cores other processes hold."""
    cursor.execute("SELECT pg_backend_pid()")
    return process_cpu_seconds(cursor.fetchone()[0])


def process_cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            name, fields = stat.read().split(" (", 1)[1].rsplit(")", 1)
    except (OSError, IndexError):
        return None
    if name != "postgres":
        return None
    fields = fields.split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
