"""What test_breaches.py and test_breaches_views.py share: the pinned day, the breach's
moments and words, and ``record`` (``services.breach_record`` with those defaults)."""

import datetime
from zoneinfo import ZoneInfo

from agreements import services
from agreements.models import (
    Breach,
    BreachKind,
)

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))

D = datetime.date

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Friday 22 May 2026; Monday 25 May is the spring bank holiday.
DISCOVERED = at(2026, 5, 22, 10, 30)

RECORDED = at(2026, 5, 22, 16, 0)

DESCRIPTION = "A case summary was e-mailed to the wrong partner's shared mailbox."

DATA = "Names, addresses and offence details of 2 adults."


def record(cast, **overrides) -> Breach:
    arguments = {
        "agreement": cast.agreement, "reporting_organisation": cast.owner, "kind": BreachKind.BREACH,
        "discovered_at": DISCOVERED, "description": DESCRIPTION, "data_involved": DATA,
        "personal_data_breach": True, "by_user": cast.governance_manager, "now": RECORDED,
        **overrides,
    }
    return services.breach_record(**arguments)

