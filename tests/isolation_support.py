"""Helpers of the isolation matrices (``tests/test_isolation_matrix.py``, ``tests/test_isolation_pair.py``).

- ``database_state()``: what a refused request must leave exactly as it was — the number of rows
  of every table (so any insert or delete, and any save of a model with history, which writes a
  history row, shows), and every row of the apps' models that keep no history (so an update of
  one of those shows too).
- ``routes_with_kwargs()``: every named route whose address carries an identifier, from the URL
  resolver, so a new one cannot ship without rows.
- ``build_sibling()``: a second agreement in force between the cast's owner and partner, so every
  subject who sees the cast's agreement sees another one too: the other parent of the
  "child of another parent" rows.
"""

import datetime

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from .factories import AgreementFactory, PartyFactory, SectionFactory

# Tables that record the request itself rather than the objects it names: the session a
# signed-in client holds (and may touch), and the records of sign-in attempts and of refused
# access that the security work adds (issue 12: django-axes, the access log). A refusal may write
# those; it must write nothing else. Matched as prefixes of table names.
REQUEST_RECORD_TABLES = ("django_session", "axes_", "isa_portal_accessevent", "isa_portal_access")

# Apps whose models that keep no history are compared row by row.
_COMPARED_APPS = {"agreements", "partners", "sharing_log", "isa_portal", "auth", "otp_totp", "otp_static"}


def _recorded(table: str) -> bool:
    return not table.startswith(REQUEST_RECORD_TABLES)


def _row_compared_models():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in _COMPARED_APPS or not _recorded(meta.db_table):
            continue
        if meta.proxy or hasattr(model, "history") or model.__name__.startswith("Historical"):
            continue
        # Object permissions are granted and withdrawn (rows made and deleted), never changed.
        if model.__name__.endswith(("UserObjectPermission", "GroupObjectPermission")):
            continue
        if meta.label in {"auth.Permission", "auth.Group"}:
            continue
        yield model


def database_state() -> dict:
    """Row counts of every table (one query) and the rows of the models without history."""
    tables = sorted(table for table in connection.introspection.table_names() if _recorded(table))
    quote = connection.ops.quote_name
    # Table names come from the database's own catalogue, never from input.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(zip(tables, cursor.fetchone(), strict=True))
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in _row_compared_models()
    }
    return {"counts": counts, "rows": rows}


def state_changes(before: dict, after: dict) -> list[str]:
    """What differs between two ``database_state()``s, table by table."""
    changed = [
        f"{table}: {before['counts'][table]} -> {after['counts'].get(table)} rows"
        for table in before["counts"] if before["counts"][table] != after["counts"].get(table)
    ]
    changed += [f"{label}: rows changed" for label in before["rows"] if before["rows"][label] != after["rows"][label]]
    return changed


def routes_with_kwargs(resolver=None, prefix: str = "", namespace: str = ""):
    """``(name, kwarg names)`` of every named route whose address carries a value (not the admin's)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes_with_kwargs(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            kwargs = tuple(getattr(pattern.pattern, "converters", {}))
            if kwargs:
                yield f"{namespace}{pattern.name}", kwargs


def build_sibling(cast):
    """Another agreement in force of the owner's, the partner signed too, with a section.

    Everyone who sees ``cast.agreement`` sees this one, and holds the same rights on it.
    """
    today = timezone.localdate()
    sibling = AgreementFactory(
        title="Borsetshire Troubled Families Agreement", reference="BTFA", owner=cast.owner,
        status="in_force", effective_date=today - datetime.timedelta(days=300),
    )
    SectionFactory(agreement=sibling, number="1", heading="Purpose")
    PartyFactory(agreement=sibling, organisation=cast.owner, signed=True)
    partner_party = PartyFactory(agreement=sibling, organisation=cast.partner, signed=True)
    return sibling, partner_party
