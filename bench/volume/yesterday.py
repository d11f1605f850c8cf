"""``python -m bench.volume.yesterday``: yesterday's daily run on a generated database, as a portal
in use would have made it, so that the run measured today has one day's work, not three years'.

The generator writes three years of log in an afternoon; a portal in use would have run the
daily scheduler on each of those days. Without yesterday's run, the first run on the generated
log makes every reminder the past three years called for at once: at a million entries about
246,000 reminders to tell a person "not yet" told (``remind_people_to_tell``), each recorded for
an organisation (issue 15's sixth round: 61–80 s of a 101 s run, a one-off catch-up). So the
template is given yesterday's run of every daily step but two:

- ``retention``: the generator itself placed the destructions the earlier runs would have made
  (every case whose date came before today was closed later, so that exactly
  ``due_for_destruction`` entries are due: ``bench.volume.log``); and the PostgreSQL purge
  judges "due" by the database's own date, so run here it would destroy today's entries too;
- ``log_chain``: the weekly run has just checked the whole chain and left its checkpoint.

It prints, as JSON, the run's seconds and each step's line (as ``run_scheduler --profile`` does).
"""

import datetime
import json
import os
import sys
import time

# Not run the day before (the module's docstring says why).
SKIPPED = frozenset({"retention", "log_chain"})


def yesterday_run(*, today: datetime.date) -> dict:
    """Every daily step but ``SKIPPED``, as of the day before ``today`` (Django set up): the run's
    seconds, whether every step passed, and each step's line."""
    from django.utils import timezone

    from isa_portal.scheduler import run_scheduler, scheduled_steps

    on = today - datetime.timedelta(days=1)
    now = timezone.make_aware(datetime.datetime.combine(on, datetime.time(6)))
    started = time.perf_counter()
    results = run_scheduler(on=on, now=now, steps=tuple(step for step in scheduled_steps() if step.name not in SKIPPED))
    return {"yesterday_seconds": round(time.perf_counter() - started, 1),
            "yesterday_ok": not any(result.failed for result in results),
            "yesterday_steps": [result.profile_line() for result in results]}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isa_portal.settings")
    import django

    django.setup()
    from django.utils import timezone

    json.dump(yesterday_run(today=timezone.localdate()), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
