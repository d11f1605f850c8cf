"""The extended statistics the log's list filters need on PostgreSQL (sharing_log migration 0016,
docs/decisions/0068). The suite makes its databases from the models, so the migration's function
is run here on the test database; ``.ci/run`` applies it with every migration as the owner role."""

import importlib

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

migration = importlib.import_module("sharing_log.migrations.0016_list_filters_statistics")


def _statistics() -> list[tuple[str, list[str]]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.stxname, array_agg(a.attname ORDER BY a.attname) FROM pg_statistic_ext s "
            "JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = ANY(s.stxkeys) "
            "WHERE s.stxrelid = 'sharing_log_disclosure'::regclass GROUP BY s.stxname"
        )
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: SQLite keeps no such statistics")
def test_postgresql_is_told_how_organisation_agreement_and_partner_go_together():
    with connection.schema_editor() as editor:
        migration.create(None, editor)
        migration.create(None, editor)  # a second run changes nothing

    assert _statistics() == [(migration.NAME, ["agreement_id", "disclosing_organisation_id",
                                                "recipient_organisation_id"])]

    with connection.schema_editor() as editor:
        migration.drop(None, editor)
    assert _statistics() == []


class _Editor:
    """A schema editor on SQLite's connection that records what it would execute."""

    def __init__(self):
        self.connection, self.executed = connection, []

    def execute(self, sql, params=()):
        self.executed.append(sql)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite: the migration does nothing there")
def test_on_sqlite_the_migration_does_nothing():
    editor = _Editor()

    migration.create(None, editor)
    migration.drop(None, editor)

    assert editor.executed == []
