import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from isa_portal.scheduler import WEEKLY_STEPS, run_scheduler


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date written YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = ("The daily run: complete withdrawals, open reviews due, destroy entries past their retention date "
            "and send reminders. Safe to run twice; run it once a day from cron or a systemd timer.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=_day,
            help="Run as of this day (YYYY-MM-DD), to test or to catch up a missed day. Default: today.",
        )
        parser.add_argument(
            "--weekly", action="store_true",
            help="Run the weekly steps instead (the whole sharing log's hash chain checked): run it once a week.",
        )
        parser.add_argument(
            "--profile", action="store_true",
            help="After each step's count, print its wall time and the number of queries it sent.",
        )

    def handle(self, *args, date=None, weekly=False, profile=False, **options):
        now = timezone.now()
        if date is not None:
            # As of this time of day on that day, for the clocks counted in hours.
            now = timezone.make_aware(datetime.datetime.combine(date, timezone.localtime(now).time()))
        results = run_scheduler(on=date or timezone.localdate(now), now=now, steps=WEEKLY_STEPS if weekly else None)
        for result in results:
            self.stdout.write(result.profile_line() if profile else result.line())
        failed = [result.name for result in results if result.failed]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} steps failed: {', '.join(failed)}. See the log.")
