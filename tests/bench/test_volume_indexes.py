"""The volume generator's indexes and constraints set aside while it copies (``bench.volume.indexes``,
issue 15 item 2): put back exactly as the migrations made them, and what they check is checked
when they are put back. PostgreSQL only; inside the test's transaction (PostgreSQL's DDL is
transactional: the test's rollback restores the tables whatever happens)."""

import pytest
from django.db import IntegrityError, connection, transaction

from bench.volume.indexes import put_back, set_aside
from partners.models import Membership
from tests.factories import MembershipFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the generator copies there"),
    pytest.mark.django_db,
]

TABLES = [Membership._meta.db_table, "sharing_log_logevent", "sharing_log_disclosure"]


def definitions(cursor) -> set[tuple]:
    cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [TABLES])
    indexes = set(cursor.fetchall())
    cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferrable, "
                   "condeferred, convalidated FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])", [TABLES])
    return indexes | set(cursor.fetchall())


def test_what_is_set_aside_is_put_back_as_the_migrations_made_it():
    with connection.cursor() as cursor:
        before = definitions(cursor)
        aside = set_aside(cursor, TABLES)
        left = definitions(cursor)
        # Only the primary keys and the check constraints stay while the rows come in.
        assert {row[1] for row in left if len(row) == 3} == {f"{table}_pkey" for table in TABLES}
        assert "sharing_log_logevent_hash_key" in {name for name, _ in aside.indexes} | {
            name for _, name, _ in aside.constraints}
        assert any(definition.startswith("FOREIGN KEY") for _, _, definition in aside.constraints)
        put_back(cursor, aside, log=lambda *args: None)
        assert definitions(cursor) == before


def test_a_row_a_foreign_key_refuses_is_refused_when_the_key_is_put_back():
    membership = MembershipFactory()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the factory's rows checked: no ALTER with checks pending
        aside = set_aside(cursor, TABLES)
        cursor.execute(f"UPDATE {Membership._meta.db_table} SET user_id = -5 WHERE id = %s", [membership.pk])  # noqa: S608
        with pytest.raises(IntegrityError), transaction.atomic():
            put_back(cursor, aside, log=lambda *args: None)
        cursor.execute(f"UPDATE {Membership._meta.db_table} SET user_id = %s WHERE id = %s",  # noqa: S608
                       [membership.user_id, membership.pk])
        put_back(cursor, aside, log=lambda *args: None)
