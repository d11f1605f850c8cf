"""Proving that the database itself refuses a row."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import UniqueConstraint


def constraint_named(model, name: str):
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return constraint
    raise LookupError(f"{model.__name__} has no constraint named {name!r}.")


def violation_message(model, name: str) -> str:
    """What the database says when ``name`` is violated.

    PostgreSQL names the constraint; SQLite names a CHECK constraint but, for a unique one,
    only its columns.
    """
    constraint = constraint_named(model, name)
    if connection.vendor == "sqlite" and isinstance(constraint, UniqueConstraint):
        columns = ", ".join(
            f"{model._meta.db_table}.{model._meta.get_field(field).column}"
            for field in constraint.fields
        )
        return f"UNIQUE constraint failed: {columns}"
    return name


@contextmanager
def violates(model, name: str):
    """The block must fail at the database with ``model``'s constraint ``name``, and no other.

    Writes in the block should bypass ``full_clean`` (``objects.create``, ``QuerySet.update``),
    or Django would refuse them before the database is asked.
    """
    expected = violation_message(model, name)
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    assert expected in str(excinfo.value), (
        f"Expected a violation of {name}, but the database said: {excinfo.value}"
    )
