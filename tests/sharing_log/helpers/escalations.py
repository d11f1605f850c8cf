"""What test_escalations.py and test_escalations_views.py share: the pinned day, the words, and
the refusal to escalate."""

import datetime
from zoneinfo import ZoneInfo

from sharing_log.models import Decision
from sharing_log.services import escalation_raise
from tests.factories import DisclosureFactory

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))


CONCERN = "The child named in our referral may be at risk at the address; we need the incident history."


NOTE = "Lead safeguarding partners met the same day: the incident history is to be shared."


def refusal(roles, decision=Decision.REQUEST_REFUSED, **fields):
    """The partner (Borsetshire Police) refused what the owner (the County Council) asked for."""
    return DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
        disclosed_by=roles.spoc, decision=decision, art6_basis=None, case_reference="BCSP-2026-0142",
        decision_reason="Disclosure would prejudice an ongoing investigation.", **fields,
    )


def raise_for(roles, entry, user=None, **changes):
    kwargs = {"disclosure": entry, "by_user": user or roles.practitioner, "organisation": roles.owner,
              "concern": CONCERN, **changes}
    return escalation_raise(**kwargs)

