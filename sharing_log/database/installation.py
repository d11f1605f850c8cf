"""Installing the log's guards on a PostgreSQL database: the application's role, the functions,
a trigger on every guarded table, and the grants. Idempotent; migration ``0006`` and
``post_migrate`` both call ``install``."""

import re

from django.conf import settings

from .functions import functions_sql, sql_literal
from .tables import entry_m2m_tables, guarded_tables, history_tables

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role() -> str:
    role = settings.DATABASE_APP_ROLE
    if not ROLE_NAME.match(role):
        raise ValueError(f"DATABASE_APP_ROLE {role!r} is not a plain role name")
    return role


def install(connection) -> bool:
    """Install (again) the grants, triggers and functions on ``connection``'s database; ``False``
    and nothing done on a database other than PostgreSQL."""
    if connection.vendor != "postgresql":
        return False
    role = app_role()
    functions = functions_sql(role)
    quote = connection.ops.quote_name
    from ..models import Disclosure, GuardedWrite

    entry_table = Disclosure._meta.db_table
    through_tables = entry_m2m_tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE " + quote(role) + " NOLOGIN; "
            # An owner without CREATEROLE relies on the role made beforehand (README, .ci/run).
            "EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN NULL; END $$"
        )
        cursor.execute(functions)
        # Run by migration 0006 too, with today's models: a table a later migration adds (an
        # entry's Article 9 conditions, 0008) is guarded when post_migrate installs again.
        existing = set(connection.introspection.table_names(cursor))
        for table, args in guarded_tables().items():
            if table not in existing:
                continue
            arguments = ", ".join(sql_literal(arg) for arg in args)
            guard = "sharing_log_gateways_guard()" if table in through_tables else f"sharing_log_guard({arguments})"
            cursor.execute(f"DROP TRIGGER IF EXISTS sharing_log_guard ON {quote(table)}")
            cursor.execute(f"DROP TRIGGER IF EXISTS sharing_log_guard_truncate ON {quote(table)}")
            events = "INSERT OR UPDATE OR DELETE" if table in through_tables else "UPDATE OR DELETE"
            cursor.execute(f"CREATE TRIGGER sharing_log_guard BEFORE {events} "
                           f"ON {quote(table)} FOR EACH ROW EXECUTE FUNCTION {guard}")
            cursor.execute(f"CREATE TRIGGER sharing_log_guard_truncate BEFORE TRUNCATE ON {quote(table)} "
                           f"FOR EACH STATEMENT EXECUTE FUNCTION sharing_log_guard({arguments})")
        cursor.execute(f"DROP TRIGGER IF EXISTS sharing_log_entry_inserted ON {quote(entry_table)}")
        cursor.execute(f"CREATE TRIGGER sharing_log_entry_inserted AFTER INSERT ON {quote(entry_table)} "
                       "FOR EACH ROW EXECUTE FUNCTION sharing_log_entry_inserted()")
        _grant(cursor, quote, role, GuardedWrite._meta.db_table, existing)
    return True


def _grant(cursor, quote, role: str, guarded_write_table: str, existing: set[str]) -> None:
    role_q = quote(role)
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role_q}")
    cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role_q}")
    cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_q}")
    cursor.execute(f"REVOKE ALL ON sharing_log_entry_transaction FROM {role_q}")
    for table in sorted({*guarded_tables(), *history_tables()} & existing):
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(table)} FROM {role_q}")
    cursor.execute(f"REVOKE INSERT ON {quote(guarded_write_table)} FROM {role_q}")
    # The REVOKE above takes the column grants with it, among them those an older install gave on
    # the workflow records' decision columns: a decision goes through ``sharing_log_decide`` now.
    # The services lock an entry (SELECT … FOR UPDATE) while they add to it, which PostgreSQL
    # allows only a role holding UPDATE on some column: ``id`` it is, and the trigger refuses
    # every UPDATE by this role all the same.
    from ..models import Disclosure

    cursor.execute(f"GRANT UPDATE (id) ON {quote(Disclosure._meta.db_table)} TO {role_q}")
    for function in ("sharing_log_set_retention(bigint, date)", "sharing_log_purge(bigint, bigint)",
                     "sharing_log_decide(text, bigint, jsonb)"):
        cursor.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        cursor.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {role_q}")
