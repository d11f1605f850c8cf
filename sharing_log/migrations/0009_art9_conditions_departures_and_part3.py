"""An entry may record several Article 9 conditions (``art9_conditions``, with their DPA 2018
Schedule 1 conditions) instead of one (``art9_condition``): each entry's and each history
row's condition is kept, as the first of its conditions, before the old column goes. Also the
reason for departing from the agreement's Article 6 basis, and a DPA 2018 Part 3 basis for
competent authorities (issue 13 item 1).

On PostgreSQL the new tables get the log's guards when ``sharing_log.database.install`` runs
after migrating (post_migrate), so the copy below is not refused by them.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def art9_condition_to_conditions(apps, schema_editor):
    Disclosure = apps.get_model("sharing_log", "Disclosure")
    HistoricalDisclosure = apps.get_model("sharing_log", "HistoricalDisclosure")
    HistoricalConditions = apps.get_model("sharing_log", "HistoricalDisclosure_art9_conditions")
    Through = Disclosure.art9_conditions.through
    Through.objects.bulk_create(
        Through(disclosure_id=pk, legalgateway_id=condition)
        for pk, condition in Disclosure.objects.filter(art9_condition__isnull=False).values_list("pk", "art9_condition")
    )
    # A history row of a many-to-many keeps the id of the row it records (django-simple-history).
    rows = {(row.disclosure_id, row.legalgateway_id): row.pk for row in Through.objects.all()}
    HistoricalConditions.objects.bulk_create(
        HistoricalConditions(history_id=history_id, disclosure_id=pk, legalgateway_id=condition,
                             id=rows.get((pk, condition), 0))
        for history_id, pk, condition in HistoricalDisclosure.objects.filter(art9_condition__isnull=False)
        .values_list("history_id", "id", "art9_condition")
    )


def art9_conditions_to_condition(apps, schema_editor):
    """Back to one condition: the Article 9 one where there is one (the log is append-only, so
    this writes entries only where the database lets it: never on PostgreSQL with its guards)."""
    Disclosure = apps.get_model("sharing_log", "Disclosure")
    Through = Disclosure.art9_conditions.through
    for row in Through.objects.order_by("legalgateway__category", "pk"):
        Disclosure._base_manager.filter(pk=row.disclosure_id, art9_condition__isnull=True).update(
            art9_condition_id=row.legalgateway_id,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0012_legal_basis_conditions_and_repeal_dates'),
        ('partners', '0008_access_events'),
        ('sharing_log', '0008_decision_record'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalDisclosure_art9_conditions',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalDisclosure_art9_conditions',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RemoveConstraint(
            model_name='disclosure',
            name='disclosure_shared_has_art6_basis',
        ),
        migrations.RemoveConstraint(
            model_name='disclosure',
            name='disclosure_special_category_has_art9_condition',
        ),
        migrations.AddField(
            model_name='disclosure',
            name='art6_departure_reason',
            field=models.TextField(blank=True, verbose_name='Reason for relying on a basis the agreement does not cite'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='art9_conditions',
            field=models.ManyToManyField(blank=True, limit_choices_to={'category__in': ['art9', 'dpa2018_sch1']}, related_name='disclosures_art9', to='agreements.legalgateway', verbose_name='Article 9 conditions'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='law_enforcement_basis',
            field=models.ForeignKey(blank=True, limit_choices_to={'category': 'dpa2018_part3'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agreements.legalgateway', verbose_name='DPA 2018 Part 3 basis'),
        ),
        migrations.AddField(
            model_name='historicaldisclosure',
            name='art6_departure_reason',
            field=models.TextField(blank=True, verbose_name='Reason for relying on a basis the agreement does not cite'),
        ),
        migrations.AddField(
            model_name='historicaldisclosure',
            name='law_enforcement_basis',
            field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'category': 'dpa2018_part3'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agreements.legalgateway', verbose_name='DPA 2018 Part 3 basis'),
        ),
        migrations.AddConstraint(
            model_name='disclosure',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('decision', 'shared'), _negated=True), ('art6_basis__isnull', False), ('law_enforcement_basis__isnull', False), ('purged_at__isnull', False), _connector='OR'), name='disclosure_shared_has_lawful_basis'),
        ),
        migrations.AddConstraint(
            model_name='disclosure',
            constraint=models.CheckConstraint(condition=models.Q(('art6_basis__isnull', True), ('law_enforcement_basis__isnull', True), _connector='OR'), name='disclosure_one_lawful_basis_regime'),
        ),
        migrations.AddField(
            model_name='historicaldisclosure_art9_conditions',
            name='disclosure',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sharing_log.disclosure'),
        ),
        migrations.AddField(
            model_name='historicaldisclosure_art9_conditions',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='sharing_log.historicaldisclosure'),
        ),
        migrations.AddField(
            model_name='historicaldisclosure_art9_conditions',
            name='legalgateway',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agreements.legalgateway'),
        ),
        migrations.RunPython(art9_condition_to_conditions, art9_conditions_to_condition),
        migrations.RemoveField(
            model_name='disclosure',
            name='art9_condition',
        ),
        migrations.RemoveField(
            model_name='historicaldisclosure',
            name='art9_condition',
        ),
    ]
