# The access log (docs/decisions/0025). After 0007 (signed-in sessions, issue 12's sign-in branch).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0007_signed_in_sessions'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('occurred_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('kind', models.CharField(choices=[('entry_opened', 'Sharing log entry opened'), ('log_exported', 'Sharing log exported'), ('agreement_pdf', 'Agreement PDF downloaded'), ('signed_copy', 'Signed copy downloaded'), ('signature_scan', 'Signature scan downloaded'), ('refused', 'Access refused')], max_length=20)),
                ('user_id', models.BigIntegerField(blank=True, help_text='Empty for an anonymous request.', null=True)),
                ('user_organisation_ids', models.CharField(blank=True, max_length=500)),
                ('object_type', models.CharField(blank=True, max_length=60)),
                ('object_id', models.BigIntegerField(blank=True, null=True)),
                ('object_organisation_ids', models.CharField(blank=True, max_length=200)),
                ('url_name', models.CharField(blank=True, max_length=100)),
                ('url_ids', models.JSONField(blank=True, default=dict, help_text="The route's whole-number arguments only.")),
                ('status_code', models.PositiveSmallIntegerField()),
                ('request_id', models.CharField(blank=True, max_length=64)),
                ('address_hash', models.CharField(blank=True, max_length=32)),
            ],
            options={
                'ordering': ['-occurred_at', '-pk'],
            },
        ),
    ]
