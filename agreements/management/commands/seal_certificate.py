"""Create the self-signed certificate and key that seal signed copies on a developer's machine
(``make seal-certificate``, part of ``make run``), at ``PDF_SEAL_CERT`` and ``PDF_SEAL_KEY``.
Never overwrites: if either file exists, nothing is written. Production brings its own."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agreements.seal import LOCAL_COMMON_NAME, local_certificate_write


class Command(BaseCommand):
    help = "Create a self-signed seal certificate for local use if none exists."

    def handle(self, *args, **options):
        if not settings.PDF_SEAL_CERT or not settings.PDF_SEAL_KEY:
            raise CommandError("Set PDF_SEAL_CERT and PDF_SEAL_KEY to the paths to create.")
        cert, key = Path(settings.PDF_SEAL_CERT), Path(settings.PDF_SEAL_KEY)
        if local_certificate_write(cert, key):
            self.stdout.write(f"Created the seal certificate “{LOCAL_COMMON_NAME}” at {cert}.")
        else:
            self.stdout.write(f"A seal certificate or key already exists at {cert} or {key}; left as it is.")
