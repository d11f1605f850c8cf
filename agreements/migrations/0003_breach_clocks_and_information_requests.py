"""Breach clocks and information requests: an agreement's jurisdiction (whose bank holidays its
working days skip), more of a breach's story (the data involved, the report's findings, the ICO
decision) and subject access and freedom of information requests.

Written by hand with only these operations, so that it carries nothing of other work in
progress on this app's models.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0002_initial'),
        ('partners', '0003_notification'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalInformationRequest',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('subject_access', 'Subject access request'), ('foi', 'Freedom of information request')], max_length=16)),
                ('received_on', models.DateField()),
                ('description', models.TextField(help_text='What is asked for, in a line or two; no names.')),
                ('due_on', models.DateField()),
                ('responded_on', models.DateField(blank=True, null=True)),
                ('response_note', models.TextField(blank=True, help_text='How it was answered; no names.')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical information request',
                'verbose_name_plural': 'historical information requests',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='InformationRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('subject_access', 'Subject access request'), ('foi', 'Freedom of information request')], max_length=16)),
                ('received_on', models.DateField()),
                ('description', models.TextField(help_text='What is asked for, in a line or two; no names.')),
                ('due_on', models.DateField()),
                ('responded_on', models.DateField(blank=True, null=True)),
                ('response_note', models.TextField(blank=True, help_text='How it was answered; no names.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['due_on', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='agreement',
            name='jurisdiction',
            field=models.CharField(choices=[('england_wales', 'England and Wales'), ('scotland', 'Scotland'), ('northern_ireland', 'Northern Ireland')], default='england_wales', help_text='Whose bank holidays are not working days for its breach and request clocks.', max_length=20),
        ),
        migrations.AddField(
            model_name='breach',
            name='data_involved',
            field=models.TextField(blank=True, help_text='What data, by kind and number of people; no names.'),
        ),
        migrations.AddField(
            model_name='breach',
            name='ico_decided_at',
            field=models.DateTimeField(blank=True, help_text='When the decision on reporting to the ICO was recorded.', null=True),
        ),
        migrations.AddField(
            model_name='breach',
            name='ico_not_reported_reason',
            field=models.TextField(blank=True, help_text='Why the breach was not reported to the ICO (UK GDPR Art 33(5)).'),
        ),
        migrations.AddField(
            model_name='breach',
            name='report_summary',
            field=models.TextField(blank=True, help_text='What the report of the partner in breach found and the actions it took.'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='jurisdiction',
            field=models.CharField(choices=[('england_wales', 'England and Wales'), ('scotland', 'Scotland'), ('northern_ireland', 'Northern Ireland')], default='england_wales', help_text='Whose bank holidays are not working days for its breach and request clocks.', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalbreach',
            name='data_involved',
            field=models.TextField(blank=True, help_text='What data, by kind and number of people; no names.'),
        ),
        migrations.AddField(
            model_name='historicalbreach',
            name='ico_decided_at',
            field=models.DateTimeField(blank=True, help_text='When the decision on reporting to the ICO was recorded.', null=True),
        ),
        migrations.AddField(
            model_name='historicalbreach',
            name='ico_not_reported_reason',
            field=models.TextField(blank=True, help_text='Why the breach was not reported to the ICO (UK GDPR Art 33(5)).'),
        ),
        migrations.AddField(
            model_name='historicalbreach',
            name='report_summary',
            field=models.TextField(blank=True, help_text='What the report of the partner in breach found and the actions it took.'),
        ),
        migrations.AddConstraint(
            model_name='breach',
            constraint=models.CheckConstraint(condition=models.Q(('ico_reported_at__isnull', True), ('ico_not_reported_reason', ''), _connector='OR'), name='breach_ico_reported_or_reason_not'),
        ),
        migrations.AddConstraint(
            model_name='breach',
            constraint=models.CheckConstraint(condition=models.Q(('minutes_circulated_on__isnull', True), models.Q(('meeting_held_on__isnull', False), ('minutes_circulated_on__gte', models.F('meeting_held_on'))), _connector='OR'), name='breach_minutes_after_meeting'),
        ),
        migrations.AddField(
            model_name='historicalinformationrequest',
            name='agreement',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agreements.agreement'),
        ),
        migrations.AddField(
            model_name='historicalinformationrequest',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalinformationrequest',
            name='party',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The party the request concerns; empty for the partnership as a whole.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agreements.party'),
        ),
        migrations.AddField(
            model_name='historicalinformationrequest',
            name='recorded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalinformationrequest',
            name='responded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalinformationrequest',
            name='routed_to',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The organisation that answers it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.organisation'),
        ),
        migrations.AddField(
            model_name='informationrequest',
            name='agreement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='information_requests', to='agreements.agreement'),
        ),
        migrations.AddField(
            model_name='informationrequest',
            name='party',
            field=models.ForeignKey(blank=True, help_text='The party the request concerns; empty for the partnership as a whole.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='information_requests', to='agreements.party'),
        ),
        migrations.AddField(
            model_name='informationrequest',
            name='recorded_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='informationrequest',
            name='responded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='informationrequest',
            name='routed_to',
            field=models.ForeignKey(help_text='The organisation that answers it.', on_delete=django.db.models.deletion.PROTECT, related_name='information_requests', to='partners.organisation'),
        ),
        migrations.AddConstraint(
            model_name='informationrequest',
            constraint=models.CheckConstraint(condition=models.Q(('due_on__gt', models.F('received_on'))), name='information_request_due_after_receipt'),
        ),
        migrations.AddConstraint(
            model_name='informationrequest',
            constraint=models.CheckConstraint(condition=models.Q(('responded_on__isnull', True), ('responded_on__gte', models.F('received_on')), _connector='OR'), name='information_request_responded_after_receipt'),
        ),
    
    ]
