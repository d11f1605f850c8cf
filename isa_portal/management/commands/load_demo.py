from django.core.management.base import BaseCommand

from isa_portal.demo import DEMO_LOGINS, demo_users_create, load_demo
from isa_portal.demo_log import demo_log_create


class Command(BaseCommand):
    help = "Load the seeds' agreements and organisations, fictional people and one login per role."

    def handle(self, *args, **options):
        load_demo(stdout=self.stdout)
        demo_users_create()
        logged = demo_log_create()
        if logged:
            self.stdout.write(f"Sharing log (fictional): {logged} entries")
        self.stdout.write("")
        self.stdout.write("Demo logins (password, then a code from `make totp user=NAME`):")
        for login in DEMO_LOGINS:
            self.stdout.write(
                f"  {login.username:<13} {login.password:<24} {login.role.label} – {login.organisation}"
            )
