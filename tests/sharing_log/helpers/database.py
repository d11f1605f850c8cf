"""The test suite's side of the log's database guards (docs/decisions/0023), PostgreSQL only.

- Django empties the tables after a transactional test with TRUNCATE, which the log's triggers
  refuse: the suite's flush says it is a flush (``sharing_log.write = 'flush'``, honoured for a
  role other than the application's), as nothing outside the tests does.
- Python's clock is pinned by the tests (time_machine), PostgreSQL's is not: the test databases'
  ``sharing_log_today()`` reads the day Python's clock says, which the suite hands it before each
  call of a guarded function. Production databases keep the real one.
"""

import contextlib

import pytest
from django.apps import apps
from django.db import connection, connections
from django.db.backends.postgresql.operations import DatabaseOperations
from django.db.models.signals import post_migrate
from django.utils import timezone

PINNABLE_TODAY = r"""
CREATE OR REPLACE FUNCTION sharing_log_today() RETURNS date LANGUAGE sql STABLE AS $body$
  SELECT coalesce(nullif(current_setting('sharing_log.test_today', true), '')::date,
                  (now() AT TIME ZONE 'Europe/London')::date)
$body$;
"""
GUARDED_FUNCTIONS = ("sharing_log_purge(", "sharing_log_set_retention(")


def _flush_as_flush(original):
    def execute_sql_flush(self, sql_list):
        return original(self, ["SELECT set_config('sharing_log.write', 'flush', true)", *sql_list])

    return execute_sql_flush


def _hand_today(execute, sql, params, many, context):
    if any(name in sql for name in GUARDED_FUNCTIONS):
        execute("SELECT set_config('sharing_log.test_today', %s, false)", [timezone.localdate().isoformat()],
                False, context)
    return execute(sql, params, many, context)


def _pin_today(using: str = "default", **_kwargs) -> None:
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute(PINNABLE_TODAY)


@contextlib.contextmanager
def test_database_guards():
    """For the whole run: the two adjustments above, on every PostgreSQL test database.

    The flush after a transactional test (every browser journey) sends ``post_migrate``, on which
    ``sharing_log`` installs its functions again, the real ``sharing_log_today()`` among them: the
    pinnable one goes back after it, or every test after a journey in the same worker would meet
    PostgreSQL's own today."""
    original = DatabaseOperations.execute_sql_flush
    DatabaseOperations.execute_sql_flush = _flush_as_flush(original)
    sharing_log = apps.get_app_config("sharing_log")
    post_migrate.connect(_pin_today, sender=sharing_log, dispatch_uid="tests_pin_sharing_log_today")
    with contextlib.ExitStack() as stack:
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            _pin_today(connection.alias)
            stack.enter_context(connection.execute_wrapper(_hand_today))
        try:
            yield
        finally:
            post_migrate.disconnect(sender=sharing_log, dispatch_uid="tests_pin_sharing_log_today")
            DatabaseOperations.execute_sql_flush = original


def force_retention_due(entry, due) -> None:
    """Give ``entry`` the retention due date ``due`` around every guard, as if its case had closed
    long before the pinned day (the rules refuse such a date today), and chain the event as the
    service would — with the creation of whatever the factories made — so the chain verifies."""
    from django.db import transaction

    from sharing_log.models import LogEventKind
    from sharing_log.services.ledger import log_event_append

    chain_factory_rows()
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SELECT set_config('sharing_log.write', 'retention', true)")
        cursor.execute("UPDATE sharing_log_disclosure SET retention_due_on = %s WHERE id = %s", [due, entry.pk])
        if postgresql:
            cursor.execute("SELECT set_config('sharing_log.write', '', true)")
    entry.retention_due_on = due
    log_event_append(kind=LogEventKind.RETENTION_SET, record=entry)


def chain_factory_rows() -> None:
    """Chain the creation of every record the factories made (the cast's entries, say) as the
    services would have when logging them; tests of the chain start from here."""
    from sharing_log.models import LogEvent
    from sharing_log.selectors.ledger import CREATIONS
    from sharing_log.services.ledger import CONTENT, log_event_append

    chained = set(LogEvent.objects.values_list("kind", "record_id"))
    for kind in CREATIONS:
        model = CONTENT[kind][0]
        for record in model._default_manager.order_by("pk"):
            if (kind, record.pk) not in chained:
                log_event_append(kind=kind, record=record)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite has no roles, grants or functions, and this guard lives in the database "
           "(docs/decisions/0023 says what SQLite keeps)",
)
