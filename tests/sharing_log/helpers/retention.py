"""What test_retention.py and test_retention_views.py (and the ``case`` fixture) share: the
pinned day, the case and the secrets its destruction must take away."""

import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from sharing_log.models import (
    ConfirmationReason,
    Disclosure,
)
from tests.factories import DisclosureFactory

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))


Reason = ConfirmationReason


CASE = "BCSP-RET-0417"


SUMMARY = "Tenancy arrears and a joint visit planned for the fourteenth week."


# Everything of the destroyed case that must leave no trace.
SECRETS = {
    "case reference": CASE,
    "summary": SUMMARY,
    "corrected summary": "Tenancy arrears only; the joint visit was cancelled.",
    "recipient's name": "Robin Quillfeather",
    "recipient's contact": "robin.quillfeather@police.example",
    "decision reason": "Not proportionate for the housing enquiry in Ambridge Row.",
    "consent reason": "Seeking consent would prejudice the Ambridge Row enquiry.",
    "inaccuracy notice": "The arrears figure for Ambridge Row was wrong.",
    "onward purpose": "A youth justice assessment at Ambridge Row.",
    "escalation concern": "A child at Ambridge Row may be unsafe without it.",
    "escalation note": "Refusal upheld: Ambridge Row is covered by another plan.",
    "can I share answer": "Prevent harm at Ambridge Row.",
    "closure reason": "Closing date moved: the Ambridge Row plan ended earlier.",
}


def today() -> datetime.date:
    return timezone.localdate()


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def owners_entry(roles, agreement, **fields) -> Disclosure:
    kwargs = {
        "agreement": agreement, "disclosing_organisation": roles.owner, "recipient_organisation": roles.partner,
        "disclosed_by": roles.practitioner, "case_reference": CASE, "occurred_at": at(today() - relativedelta(years=2)),
    }
    return DisclosureFactory(**{**kwargs, **fields})

