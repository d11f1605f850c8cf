"""GIN indexes for the search page's full-text match (issue 16 item 4; docs/decisions/0059), on
PostgreSQL only: SQLite has no full-text vectors and the search there matches words with
``icontains``. Each index is on exactly the expression ``isa_portal.search.selectors`` queries
(``SearchVector(*fields, config="english")``): change the fields in both places, or the index
serves nothing."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = {
    "Organisation": ("organisation_search_gin", ("name", "ico_registration_number")),
    "Contact": ("contact_search_gin", ("name", "job_title", "email")),
}


def _indexes(apps):
    for model_name, (name, fields) in INDEXES.items():
        yield apps.get_model("partners", model_name), GinIndex(SearchVector(*fields, config="english"), name=name)


def search_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def search_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0014_membership_service_account"),
    ]

    operations = [
        migrations.RunPython(search_indexes_create, search_indexes_drop),
    ]
