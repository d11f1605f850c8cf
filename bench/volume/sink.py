"""Writing rows in bulk: PostgreSQL ``COPY … FROM STDIN`` (psycopg2's ``copy_expert``), or plain
``executemany`` INSERTs on another database (SQLite, for the tests: slow, but the same rows).
Rows are written through the connection of the thread that writes them (``write``), so that the
generator may hand a batch to a writer thread and go on making the next.

A ``TableSink`` holds rows for one model's table, keyed by attribute name, until it is flushed.
Every row names its own primary key: the generator numbers the rows itself, and
``sequences_reset`` moves the tables' sequences past them at the end.
"""

import datetime
import io
import json
import re
import time

from django.core.management.color import no_style

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def _text(value: str) -> str:
    # Most values hold nothing to escape: looked for first, translated only if found.
    return value.translate(_ESCAPES) if _SPECIAL.search(value) else value


def _json(value) -> str:
    return _text(json.dumps(value, ensure_ascii=False))


def _copy_text_any(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):  # datetimes too: isoformat keeps the offset
        return value.isoformat()
    if isinstance(value, list | dict):
        return _json(value)
    return _text(str(value))


# By exact type, the converters of the values a row mostly holds (a few million a run): one
# look-up each instead of a chain of tests. Anything else (choices' enums, subclasses) goes the
# long way, to the same text.
_BY_TYPE = {
    str: _text, int: str, type(None): lambda value: "\\N", bool: lambda value: "t" if value else "f",
    datetime.datetime: datetime.datetime.isoformat, datetime.date: datetime.date.isoformat,
    list: _json, dict: _json,
}


def _copy_text(value) -> str:
    convert = _BY_TYPE.get(type(value))
    return convert(value) if convert is not None else _copy_text_any(value)


class TableSink:
    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self.rows: list[tuple] = []
        self.written = 0
        self.seconds = 0.0  # spent writing

    def add(self, values: dict) -> None:
        defaults = self.defaults
        self.rows.append(tuple(values[name] if name in values else defaults[name] for name in self.attnames))

    def take(self) -> list[tuple]:
        """The rows held, handed over (to ``write``, perhaps in another thread)."""
        rows, self.rows = self.rows, []
        return rows

    def flush(self) -> None:
        self.write(self.take())

    def write(self, rows: list[tuple]) -> None:
        """Write ``rows`` through the calling thread's connection to the database."""
        if not rows:
            return
        from django.db import connection

        started = time.perf_counter()
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(field.column) for field in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                for row in rows:
                    buffer.write("\t".join(map(_copy_text, row)))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
            else:
                fields = self.fields
                prepared = [[field.get_db_prep_save(value, connection)
                             for field, value in zip(fields, row, strict=True)] for row in rows]
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608
        self.written += len(rows)
        self.seconds += time.perf_counter() - started


def next_id(model, field: str = "pk") -> int:
    """The first free number of ``model``'s ``field`` (its primary key by default)."""
    from django.db.models import Max

    name = model._meta.pk.name if field == "pk" else field
    return (model._default_manager.aggregate(top=Max(name))["top"] or 0) + 1


def sequences_reset(connection, models) -> None:
    """Move each model's id sequence past the rows written with explicit ids (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
