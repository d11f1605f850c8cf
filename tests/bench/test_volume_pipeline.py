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


def test_batches_written_by_the_writer_thread_make_a_chain_that_verifies(monkeypatch):
    writers = set()
    write = TableSink.write

    def spied(sink, rows):
        writers.add(threading.current_thread().name.split("_")[0])
        write(sink, rows)

    monkeypatch.setattr(TableSink, "write", spied)
    summary = generate(entries=150, agreements=3, organisations=6, people=30, seed=3, due_for_destruction=4,
                       today=datetime.date(2026, 11, 16), batch=40, log=lambda *args: None)
    assert Disclosure.objects.count() == 150
    assert LogEvent.objects.count() == summary["events"]
    assert log_chain_verify().problems == []
    assert writers == {"volume-writer"}
