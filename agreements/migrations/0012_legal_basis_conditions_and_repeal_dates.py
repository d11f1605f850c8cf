"""DataItem's flag for criminal-offence data (special-category data: 0010), LegalGateway.repealed_on, the
DPA 2018 Part 3 category, and the catalogue entries the legal-basis rules need (issue 13 item 1)."""

import json
from pathlib import Path

from django.db import migrations, models

# The catalogue entries the legal-basis rules need and migration 0007 lacked: the DPA 2018
# Schedule 1 Part 1 conditions for Art 9(2)(b), (i) and (j), and Part 3 (law enforcement by
# competent authorities), frozen with this migration (data/legal_gateways_0009.json). And when
# the Data Protection Act 1998 was repealed: 25 May 2018 (DPA 2018 s211 and Sch 19 para 44,
# with the commencement regulations SI 2018/625). An entry already present, by key, is left as
# it is: administrators may have edited it.

CATALOGUE = Path(__file__).resolve().parent / "data" / "legal_gateways_0009.json"
DPA_1998_REPEALED_ON = "2018-05-25"


def add_catalogue(apps, schema_editor):
    LegalGateway = apps.get_model("agreements", "LegalGateway")
    for row in json.loads(CATALOGUE.read_text(encoding="utf-8")):
        fields = {name: value for name, value in row.items() if name != "key"}
        LegalGateway.objects.get_or_create(key=row["key"], defaults=fields)
    LegalGateway.objects.filter(
        instrument="Data Protection Act 1998", status="repealed", repealed_on__isnull=True,
    ).update(repealed_on=DPA_1998_REPEALED_ON)




class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0011_agreement_retention_from_disclosure_and_case_open_limit'),
    ]

    operations = [
        migrations.AddField(
            model_name='dataitem',
            name='criminal_offence',
            field=models.BooleanField(default=False, help_text='Criminal offence data (UK GDPR Article 10): allegations, offences, proceedings or convictions.'),
        ),
        migrations.AddField(
            model_name='historicaldataitem',
            name='criminal_offence',
            field=models.BooleanField(default=False, help_text='Criminal offence data (UK GDPR Article 10): allegations, offences, proceedings or convictions.'),
        ),
        migrations.AddField(
            model_name='historicallegalgateway',
            name='repealed_on',
            field=models.DateField(blank=True, help_text='When it was repealed or superseded, where known.', null=True),
        ),
        migrations.AddField(
            model_name='legalgateway',
            name='repealed_on',
            field=models.DateField(blank=True, help_text='When it was repealed or superseded, where known.', null=True),
        ),
        migrations.AlterField(
            model_name='gatewayproposal',
            name='category',
            field=models.CharField(choices=[('art6', 'UK GDPR Article 6 lawful basis'), ('art9', 'UK GDPR Article 9 condition'), ('dpa2018_sch1', 'DPA 2018 Schedule 1 condition'), ('dpa2018_part3', 'DPA 2018 Part 3 (law enforcement)'), ('statute', 'Statutory power or duty'), ('common_law', 'Common law'), ('convention', 'Convention right')], max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalgatewayproposal',
            name='category',
            field=models.CharField(choices=[('art6', 'UK GDPR Article 6 lawful basis'), ('art9', 'UK GDPR Article 9 condition'), ('dpa2018_sch1', 'DPA 2018 Schedule 1 condition'), ('dpa2018_part3', 'DPA 2018 Part 3 (law enforcement)'), ('statute', 'Statutory power or duty'), ('common_law', 'Common law'), ('convention', 'Convention right')], max_length=20),
        ),
        migrations.AlterField(
            model_name='historicallegalgateway',
            name='category',
            field=models.CharField(choices=[('art6', 'UK GDPR Article 6 lawful basis'), ('art9', 'UK GDPR Article 9 condition'), ('dpa2018_sch1', 'DPA 2018 Schedule 1 condition'), ('dpa2018_part3', 'DPA 2018 Part 3 (law enforcement)'), ('statute', 'Statutory power or duty'), ('common_law', 'Common law'), ('convention', 'Convention right')], max_length=20),
        ),
        migrations.AlterField(
            model_name='legalgateway',
            name='category',
            field=models.CharField(choices=[('art6', 'UK GDPR Article 6 lawful basis'), ('art9', 'UK GDPR Article 9 condition'), ('dpa2018_sch1', 'DPA 2018 Schedule 1 condition'), ('dpa2018_part3', 'DPA 2018 Part 3 (law enforcement)'), ('statute', 'Statutory power or duty'), ('common_law', 'Common law'), ('convention', 'Convention right')], max_length=20),
        ),
        migrations.RunPython(add_catalogue, migrations.RunPython.noop),
    ]
