"""Mark the memberships of API clients' service accounts issued before ``Membership.service_account``
existed, so that the People page leaves them out as it does new ones."""

from django.db import migrations


def mark(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    Membership = apps.get_model("partners", "Membership")
    Membership.objects.filter(user__in=ApiToken.objects.values("service_user")).update(service_account=True)


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_api_tokens_idempotency_and_uses"),
        ("partners", "0014_membership_service_account"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
