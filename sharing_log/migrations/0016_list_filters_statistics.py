"""Extended statistics on who shared, under which agreement, with whom (PostgreSQL only; issue 15).

The log's list reads fifty entries newest first, for the reader's organisations, often filtered by
an agreement or a partner. PostgreSQL estimated such a filter's rows as if the organisation and
the agreement (or the partner) were independent: at a million entries, 21 rows where there were
13,048, so it read every match and sorted them (41–57 ms) instead of walking the organisation's
index newest first and stopping at fifty (4 ms). The statistics tell it how the three columns go
together (docs/decisions/0068). Nothing to do on SQLite, which keeps no such statistics."""

from django.db import migrations

NAME = "disclosure_who_under_what_with_whom"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {NAME} (dependencies, ndistinct, mcv) "
        "ON disclosing_organisation_id, agreement_id, recipient_organisation_id FROM sharing_log_disclosure"
    )
    # Filled now rather than at the next automatic ANALYZE (a sample of the table: seconds).
    schema_editor.execute("ANALYZE sharing_log_disclosure")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("sharing_log", "0015_whats_due_receipts_and_people_to_tell_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
