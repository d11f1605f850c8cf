"""What test_requests.py and test_requests_views.py share: the pinned day, the request's
day and words, and ``record`` (``services.information_request_record`` with those defaults)."""

import datetime
from zoneinfo import ZoneInfo

from agreements import services
from agreements.models import InformationRequest, RequestKind

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))

D = datetime.date

# Monday 7 September 2026: no bank holiday anywhere in the UK for the next two months.
RECEIVED = D(2026, 9, 7)

ASKED = "Every record about the requester shared under the agreement since 2024."


def record(cast, **overrides) -> InformationRequest:
    arguments = {
        "agreement": cast.agreement, "kind": RequestKind.SUBJECT_ACCESS, "received_on": RECEIVED,
        "organisation": cast.partner, "description": ASKED, "by_user": cast.governance_manager,
        "on": RECEIVED, **overrides,
    }
    return services.information_request_record(**arguments)

