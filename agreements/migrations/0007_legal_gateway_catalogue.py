"""The legal gateway catalogue, for every database: the provisions the seed agreements cite
(repealed ones too, with what replaced them) and those partnerships commonly cite that the seeds
lack, each checked against the legislation (data/legal_gateways_0007.json, frozen with this
migration). An entry already present, by key, is left as it is: administrators may have edited it.
"""

import json
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent / "data" / "legal_gateways_0007.json"


def add_catalogue(apps, schema_editor):
    LegalGateway = apps.get_model("agreements", "LegalGateway")
    rows = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for row in rows:
        fields = {name: value for name, value in row.items() if name not in ("key", "replaced_by")}
        LegalGateway.objects.get_or_create(key=row["key"], defaults=fields)
    for row in rows:
        if row["replaced_by"]:
            LegalGateway.objects.filter(key=row["key"], replaced_by__isnull=True).update(
                replaced_by=LegalGateway.objects.get(key=row["replaced_by"]),
            )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0006_gateway_proposals")]

    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
