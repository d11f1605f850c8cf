"""The sharing log's hash chain checked on a schedule (issue 12, item 4; docs/decisions/0023, 0055,
0066): steps of ``isa_portal.scheduler``, the daily one from the last checkpoint, the weekly one
whole. A break is logged under the scheduler's name, by event and entry number only, and told to
the portal's administrators."""

import datetime
import logging

from django.utils import timezone

from partners.models import Contact, Role
from partners.services import notification_send
from sharing_log.selectors.ledger import log_chain_verify, log_checkpoint_latest
from sharing_log.services.ledger import log_checkpoint_record

logger = logging.getLogger("isa_portal.scheduler")

# The weekly run (``run_scheduler --weekly``) checks the whole log's chain; the daily run what came
# since the last checkpoint (docs/decisions/0055, 0066)…
FULL_CHAIN_CHECK_DAYS = 7
# …and the whole chain itself only if the weekly run has not done so for this long.
FULL_CHAIN_OVERDUE_DAYS = 2 * FULL_CHAIN_CHECK_DAYS


def verify_log_chain(*, on: datetime.date, now: datetime.datetime) -> int:
    """The daily check of the sharing log's hash chain: from the last checkpoint (decision 0055),
    a day's work whatever the log's size. The whole chain is the weekly run's
    (``verify_log_chain_whole``, decision 0066); the daily run checks it whole only when there has
    never been a whole check, or the last is ``FULL_CHAIN_OVERDUE_DAYS`` old (the weekly run has
    stopped). The number of problems found: any fails the run."""
    last_full = log_checkpoint_latest(full=True)
    whole = last_full is None or (on - timezone.localdate(last_full.checked_at)).days >= FULL_CHAIN_OVERDUE_DAYS
    return _chain_checked(on=on, whole=whole)


def verify_log_chain_whole(*, on: datetime.date, now: datetime.datetime) -> int:
    """The weekly check of the whole sharing log's hash chain (``run_scheduler --weekly``, decision
    0066): every link and every record, in bounded memory, about 10 s of CPU per 100,000 entries,
    kept out of the daily run, which it would take past its minute at a million. The number of
    problems found: any fails the run."""
    return _chain_checked(on=on, whole=True)


def _chain_checked(*, on: datetime.date, whole: bool) -> int:
    """Check the sharing log's hash chain — whole, or from the last checkpoint — and keep the head
    it reached as the next checkpoint (docs/decisions/0055). On a break, tell the portal's
    administrators (once per day and head) and log an error naming the first broken link by event
    and entry number only. The number of problems found."""
    report = log_chain_verify(since=None if whole else log_checkpoint_latest())
    if report.intact:
        log_checkpoint_record(report)
        return 0
    logger.error("The sharing log's hash chain failed verification on %s: %d problems; the first: %s",
                 on.isoformat(), len(report.problems), report.problems[0])
    administrators = Contact.objects.filter(user__memberships__role=Role.ADMIN, user__is_active=True).distinct()
    notification_send(
        contacts=list(administrators),
        subject="The sharing log's hash chain is broken",
        body=(f"The scheduled check of the sharing log's hash chain found {len(report.problems)} problems. The first: "
              f"{report.problems[0]}\n\nSomething wrote to the log around the portal. Run "
              "`manage.py verify_log_chain` against the latest signed statement, and investigate."),
        event_key=f"log-chain-broken-{on:%Y-%m-%d}-{report.head_seq}",
    )
    return len(report.problems)
