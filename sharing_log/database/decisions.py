"""A pending workflow record's one decision, written through ``sharing_log_decide`` on PostgreSQL
(``decide``)."""

import datetime
import json

from django.db import connection as default_connection
from django.db.models.signals import post_save

from .tables import workflow_columns


def _json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()  # every digit: the history row is made from the instance
    raise TypeError(f"{type(value).__name__} is not a decision value")


def decide(instance, fields, *, connection=default_connection) -> None:
    """Save the decision ``fields`` of a pending workflow record ``instance`` (one of
    ``workflow_columns()``), already set on it. On PostgreSQL ``sharing_log_decide`` writes them —
    the application's role may not UPDATE the table — and the history row ``save()`` would have
    left is made as it would have been (django-simple-history writes it on ``post_save``, which a
    database function does not send). Elsewhere the row is saved as any other. The services
    append the chain's event themselves."""
    model = type(instance)
    names = workflow_columns()[model]
    if sorted(fields) != sorted(names):
        raise ValueError(f"A decision of {model.__name__} writes {', '.join(names)}.")
    if connection.vendor != "postgresql":
        instance.save(update_fields=list(fields))
        return
    decision = {}
    for name in names:
        field = model._meta.get_field(name)
        decision[field.column] = getattr(instance, field.attname)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sharing_log_decide(%s, %s, %s::jsonb)",
                       [model._meta.db_table, instance.pk, json.dumps(decision, default=_json)])
    post_save.send(sender=model, instance=instance, created=False, update_fields=frozenset(fields), raw=False,
                   using=connection.alias)
