"""The log's guards inside PostgreSQL (docs/decisions/0023): grants, triggers and the two
functions through which the only updates the log allows are made.

- **Grants.** The application connects as ``settings.DATABASE_APP_ROLE``; it may SELECT and
  INSERT the log, every record pointing at an entry, the chain and every audit-history table,
  but not UPDATE, DELETE or TRUNCATE them. An entry keeps an UPDATE grant on ``id``, only so that
  the services may lock it (the trigger refuses every update all the same); a workflow record is
  locked through its entry.
- **Triggers**, which bind the owner and superusers too: UPDATE, DELETE and TRUNCATE are refused
  except inside the functions below, which set the transaction-local ``sharing_log.write``.
  The trigger honours it only when the writer is not the application's role (a function runs as
  its owner), so setting it by hand gains the application nothing. An entry's legal gateways
  and Article 9 conditions (the many-to-many rows) may be inserted only in the transaction that
  inserted the entry.
- **Functions** (SECURITY DEFINER, EXECUTE granted to the application's role only):
  ``sharing_log_set_retention(entry, due)`` writes a retention due date the rules allow (under a
  fixed period from the disclosure, the entry's own date plus it; otherwise none, or between the
  entry's own date and today, each plus the agreement's period after the case is closed), and
  ``sharing_log_purge(entry, closure)`` removes the personal parts of an entry whose date has
  come, in the entry, the records pointing at it and all their history, and
  ``sharing_log_decide(table, id, decision)`` takes the one decision a pending workflow record
  (an escalation, an onward-disclosure request, a recipient's confirmation) may take: its decision
  columns only, once. Each leaves a ``GuardedWrite`` row of its own. ``decide`` is the services'
  way to it.

Both the migration ``0006`` and ``post_migrate`` (sent for the test databases built from the
models too) call ``install``; it is idempotent. SQLite has none of this (see the decision).

The package: ``tables`` (which tables the guards cover), ``functions`` (the SQL of the triggers
and functions), ``installation`` (``install``: the role, grants, triggers and functions) and
``decisions`` (``decide``).
"""

from .decisions import decide
from .functions import GUARD_FUNCTIONS, functions_sql
from .installation import app_role, install
from .tables import entry_m2m_tables, guarded_tables, history_tables, model_pending, workflow_columns

__all__ = [
    "GUARD_FUNCTIONS",
    "app_role",
    "decide",
    "entry_m2m_tables",
    "functions_sql",
    "guarded_tables",
    "history_tables",
    "install",
    "model_pending",
    "workflow_columns",
]
