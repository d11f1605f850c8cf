"""Freeze the signed copy of every fully signed version that has none: those whose rendering
failed when the last signature landed, and those completed by a party declining or withdrawing
rather than signing. Safe to run at any time; a version already frozen is never rendered again."""

from django.core.management.base import BaseCommand

from agreements.services.documents import signed_copies_freeze_outstanding


class Command(BaseCommand):
    help = "Freeze the signed copy of every fully signed version that has none yet."

    def handle(self, *args, **options):
        frozen = signed_copies_freeze_outstanding()
        self.stdout.write(f"Froze {len(frozen)} signed cop{'y' if len(frozen) == 1 else 'ies'}.")
