"""What test_closures.py and test_closures_views.py share: the pinned day, the case, and
logging, closing and reading the owner's entries."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from sharing_log.models import Disclosure
from sharing_log.services import case_close
from tests.factories import DisclosureFactory

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))


CASE = "BCSP-2026-0142"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def owners_entry(roles, agreement, *, case_reference=CASE, days=60, **fields):
    """What the County Council (the owner) logged to the Police under ``case_reference``."""
    return DisclosureFactory(
        agreement=agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, case_reference=case_reference, occurred_at=at(days_ago(days)), **fields,
    )


def close(roles, *, by=None, closed_on=None, case_reference=CASE, organisation=None):
    return case_close(by_user=by or roles.governance_manager, organisation=organisation or roles.owner,
                      case_reference=case_reference, closed_on=closed_on or days_ago(10))


def due(entry) -> datetime.date | None:
    return Disclosure.objects.get(pk=entry.pk).retention_due_on

