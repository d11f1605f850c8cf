"""The volume generator's writer thread (``bench.volume.log``): outside a transaction of the
caller's, on PostgreSQL, each batch is written on the thread's own connection while the next is
made. A transactional test (its rows committed, the tables emptied after), in a module of its own."""

import datetime
import threading

import pytest
from django.db import connection

from bench.volume.generate import generate
from bench.volume.sink import TableSink
from sharing_log.models import Disclosure, LogEvent
from sharing_log.selectors.ledger import log_chain_verify

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the writer thread writes by COPY"),
    pytest.mark.django_db(transaction=True),
]


def log_definitions() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'sharing\\_log\\_%%'")
        indexes = set(cursor.fetchall())
        cursor.execute("SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
                       "WHERE conrelid::regclass::text LIKE 'sharing\\_log\\_%%'")
        return indexes | set(cursor.fetchall())


def test_batches_written_by_the_writer_thread_make_a_chain_that_verifies(monkeypatch):
    before = log_definitions()
    assert len(before) > 100
    said = []
    writers = set()
    write = TableSink.write

    def spied(sink, rows):
        writers.add(threading.current_thread().name.split("_")[0])
        write(sink, rows)

    monkeypatch.setattr(TableSink, "write", spied)
    summary = generate(entries=150, agreements=3, organisations=6, people=30, seed=3, due_for_destruction=4,
                       today=datetime.date(2026, 11, 16), batch=40, log=said.append)
    assert Disclosure.objects.count() == 150
    assert LogEvent.objects.count() == summary["events"]
    assert log_chain_verify().problems == []
    assert writers == {"volume-writer"}
    # The log's secondary indexes and foreign keys were set aside while it was written
    # (bench.volume.indexes), and are back as the migrations made them.
    assert any("indexes and" in line and "constraints put back" in line for line in said)
    assert log_definitions() == before
    assert summary["database_cpu_seconds"] is None or summary["database_cpu_seconds"] > 0
