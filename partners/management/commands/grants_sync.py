"""``manage.py grants_sync``: bring everyone's grants into line with their memberships."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from partners.checks import counted_people, grants_drift
from partners.permissions import grants_sync


class Command(BaseCommand):
    help = "Re-derive every person's groups and staff flag from their memberships (see `manage.py check`)."

    def handle(self, *args, **options):
        drift = grants_drift()
        with transaction.atomic():
            for user in get_user_model()._default_manager.order_by("pk"):
                grants_sync(user)
        self.stdout.write(f"Grants brought into line with memberships for {counted_people(len(drift))}.")
