"""``manage.py create_portal_admin``: the first portal administrator of a new partnership.

Asks for the password (Django's validators), makes the organisation if it is new, the person's
login, their membership in the admin role (grants follow, decision 0018) and an authenticator, whose
key is printed once, to be typed or pasted into an authenticator app. Everyone else joins by
invitation from the portal's pages.
"""

import base64
import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import Organisation, Role, Sector
from partners.services import membership_create, organisation_create


class Command(BaseCommand):
    help = "Create the first portal administrator: login, organisation, admin membership and authenticator."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="Their work e-mail address, also their username.")
        parser.add_argument("--name", required=True, help="Their full name.")
        parser.add_argument("--organisation", required=True, help="The organisation they act for.")
        parser.add_argument("--sector", default=Sector.OTHER, choices=Sector.values)
        parser.add_argument("--password", help="Not for real use: it is asked for when left out.")

    def handle(self, *args, email, name, organisation, sector, password=None, **options):
        User = get_user_model()
        email = email.strip().lower()
        if User.objects.filter(username__iexact=email).exists():
            raise CommandError(f"{email} has a login already.")
        first, _, last = name.strip().partition(" ")
        user = User(username=email, email=email, first_name=first, last_name=last)
        password = password or getpass.getpass("Password: ")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            user.set_password(password)
            user.save()
            body = Organisation.objects.filter(name__iexact=organisation.strip()).first() or organisation_create(
                name=organisation, sector=sector,
            )
            membership_create(user=user, organisation=body, role=Role.ADMIN)
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        key = base64.b32encode(device.bin_key).decode().rstrip("=")
        self.stdout.write(f"Portal administrator {email} created for {body}.")
        self.stdout.write(f"Add this key to an authenticator app (time-based, 6 digits), now; it is not shown again:\n"
                          f"  {key}\n  {device.config_url}")
