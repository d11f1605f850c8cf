"""The daily run (``manage.py run_scheduler``): it keeps the clocks of the agreements, the breaches,
the requests and the sharing log that nobody would otherwise watch, by calling each app's own
services in turn.

Steps, in order:

1. withdrawals that take effect by today are completed (``party_withdrawals_complete``);
2. reviews made due by a trigger in the audit trail or by the schedule are opened
   (``reviews_due_create``), so the reminders below see them;
3. entries past their retention date are destroyed (``disclosures_destroy_due``), and access
   events past ``ACCESS_LOG_RETENTION_DAYS`` deleted (``access_events_purge``);
4. reminders, each sent once (``notification_send`` with an event key naming the thing, the
   kind of reminder and its date, so a moved date is reminded of again):
   reviews due in 30 and 7 days and overdue; signatures outstanding after 14 days (the DPO's
   review instead while it is awaited); SPOC details
   unconfirmed for six months; ICO registration renewals due in 30 days and lapsed; DSPT
   assessments lapsing in 30 days and lapsed (12 months after publication); breach
   deadlines within one working day and missed; request deadlines within 5 days and missed;
   withdrawals taking effect within 7 days; people "not yet" told of a share, on the date they were
   to be told by; Article 34 decisions still undecided 3 and 7 days after a breach's discovery;
   overrides unconfirmed after 2 working days (the designated manager) and 5 (the disclosing
   organisation's governance managers); withdrawn parties silent about their holdings 14 days
   after leaving; cases open longer than their agreement allows (``follow_ups``; the people to tell
   and the ICO and DSPT reminders are in ``batch_reminders``); and notices the
   rules required that reached nobody, sent to whoever now acts for their organisation
   (``undelivered_notices_deliver``). The withdrawal reminder and the "not yet told" reminder
   are notices the rules require (``notice_send``): one that reaches nobody is recorded and shown;
5. each person's reminders are e-mailed as one digest (``notification_digests_send``), with the
   news and asks of the day before that can wait (a signature recorded, a version to sign, a
   partner joining: decision 0045). A reminder is a notification in the portal at once; its
   e-mail waits for the digest, except what cannot wait, e-mailed on its own: breach deadlines,
   the Article 34 reminder, an override's escalation, the withdrawal notice, notices delivered
   late and the chain alert (docs/decisions/0039, 0045);
6. the sharing log's hash chain is verified (``log_chain_verify``) from the last checkpoint
   (decision 0055); a break alerts the portal's administrators and fails the run.

The weekly run (``run_scheduler --weekly``, ``WEEKLY_STEPS``) checks the whole chain: it grows
with the log, so it is kept out of the daily run, which checks the whole chain itself only when
there has been no whole check for ``FULL_CHAIN_OVERDUE_DAYS`` (decision 0066).

Safe to run twice and safe to interrupt: each step is its own transaction, every service it
calls skips what is already done, and every reminder carries an event key. A reminder belongs
to its day but is sent on the first run on or after it, so a day the run missed is caught up;
a reminder whose day has been overtaken by a nearer one (a review 7 days off, never reminded at
30) gives way to it. A step that fails is rolled back and logged by name and exception class
alone — an exception's message may quote what it was working on — and the other steps still run.
"""

import dataclasses
import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from agreements import clocks
from agreements.models import Party
from agreements.selectors import (
    breach_deadlines_pending,
    dpo_reviewer_contacts,
    governance_manager_contacts,
    organisation_contacts,
    party_lead_signatory_contacts,
    party_recipients,
    party_spocs,
    requests_due,
    with_dpo_outcome,
)
from agreements.services import party_withdrawals_complete, reviews_due_create, signed_copies_freeze_outstanding
from govuk_blocks.dates import date_time, long_date
from partners.access import access_events_purge
from partners.models import Notification
from partners.services import (
    notice_send,
    notification_digests_send,
    notification_send,
    undelivered_notices_deliver,
)
from sharing_log.services import disclosures_destroy_due

from . import batch_reminders, follow_ups
from .chain_checks import verify_log_chain, verify_log_chain_whole
from .due import (
    named,
    open_reviews,
    signatures_outstanding,
    spocs_unconfirmed,
    withdrawals_pending,
)

logger = logging.getLogger(__name__)

REVIEW_REMINDER_DAYS = (30, 7)
BREACH_WARNING_WORKING_DAYS = 1
REQUEST_WARNING_DAYS = 5
WITHDRAWAL_WARNING_DAYS = 7


@dataclass(frozen=True)
class StepResult:
    name: str
    label: str
    count: int | None  # None when the step failed
    error: str = ""
    # What the step cost (issue 15): wall time, and the queries it sent to the database.
    seconds: float = 0.0
    queries: int = 0

    @property
    def failed(self) -> bool:
        return self.count is None

    def line(self) -> str:
        if self.failed:
            return f"{self.label}: failed ({self.error})"
        return f"{self.label}: {self.count}"

    def profile_line(self) -> str:
        """``line()`` with what the step cost, for ``run_scheduler --profile``."""
        return f"{self.line()} [{self.seconds:.2f} s, {self.queries} queries]"


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    run: Callable[..., int]
    # A check whose count is of problems found: any is a failure of the run (issue 12, item 4).
    counts_problems: bool = False


def _sent(**message) -> int:
    """Remind people of something once per event key: in the portal now, and by e-mail in their
    digest at the end of the run (docs/decisions/0039). How many were told now."""
    return len(notification_send(in_digest=True, **message))


def _sent_now(**message) -> int:
    """Like ``_sent``, for what cannot wait for the digest (a breach's deadline): e-mailed at once."""
    return len(notification_send(**message))


def _by_organisation(recipients) -> list:
    """``recipients`` with each organisation once and its people together: an owner that is also
    a party is told through its governance managers or its SPOCs, and is "nobody to tell" only
    when it has neither."""
    people: dict = {}
    for organisation, contacts in recipients:
        people.setdefault(organisation, []).extend(contacts)
    return list(people.items())


def _noticed(*, recipients, **message) -> int:
    """Send a notice the rules require (``notice_send``, docs/decisions/0033) once per event key:
    an organisation with nobody to tell is recorded as an ``UndeliveredNotice`` and shown, never
    skipped in silence. How many people were told now."""
    before = Notification.objects.filter(event_key=message["event_key"]).count()
    notice_send(recipients=recipients, **message)
    return Notification.objects.filter(event_key=message["event_key"]).count() - before


# Steps that change things ---------------------------------------------------------------------


def complete_withdrawals(*, on: datetime.date, now: datetime.datetime) -> int:
    return len(party_withdrawals_complete(on=on))


def open_reviews_due(*, on: datetime.date, now: datetime.datetime) -> int:
    return len(reviews_due_create(on=on))


def freeze_signed_copies(*, on: datetime.date, now: datetime.datetime) -> int:
    """Versions fully signed with no signed copy yet: a render that failed when the last
    signature landed, or a version completed by a party declining or withdrawing."""
    return len(signed_copies_freeze_outstanding())


def destroy_due_entries(*, on: datetime.date, now: datetime.datetime) -> int:
    return len(disclosures_destroy_due(on=on))


def purge_access_log(*, on: datetime.date, now: datetime.datetime) -> int:
    """Access events older than ``ACCESS_LOG_RETENTION_DAYS`` (docs/decisions/0025)."""
    return access_events_purge(now=now)


# Reminders ------------------------------------------------------------------------------------


def remind_reviews(*, on: datetime.date, now: datetime.datetime) -> int:
    """Reviews due in 30 days, in 7 days, and overdue: to the owner's governance managers. A
    "due in" reminder is not sent when the review was opened on or after its day: the notice
    that opened it said when it is due."""
    told = 0
    for review in open_reviews(on=on):
        agreement = review.agreement
        days_left = (review.due_on - on).days
        if days_left < 0:
            key, subject = "overdue", f"The review of {named(agreement)} is overdue"
        else:
            window = min((days for days in REVIEW_REMINDER_DAYS if days_left <= days), default=None)
            opened_on = timezone.localdate(review.created_at)
            if window is None or opened_on >= review.due_on - datetime.timedelta(days=window):
                continue
            key, subject = f"due-in-{window}-days", f"The review of {named(agreement)} is due in {window} days"
        told += _sent(
            contacts=governance_manager_contacts(agreement.owner), subject=subject,
            body=(f"The review of “{agreement.title}” ({review.get_trigger_display().lower()}) is due by "
                  f"{long_date(review.due_on)}.\n\nRecord its findings and outcome in the portal."),
            url=review.get_absolute_url(), event_key=f"review-{review.pk}-{key}-{review.due_on:%Y-%m-%d}",
        )
    return told


def remind_signatures(*, on: datetime.date, now: datetime.datetime) -> int:
    """Parties still to sign 14 days after they were asked: their lead signatory and SPOCs, and
    the owner's governance managers. While a party's DPO review is awaited (decision 0062,
    amended) its lead signatory cannot sign: its DPO is reminded to review instead; a DPO who
    found changes needed waits for the owner, who was told of the review, so nobody is reminded."""
    told = 0
    for party in signatures_outstanding(with_dpo_outcome(Party.objects.all())):
        if party.chase_on > on:
            continue
        if party.dpo_awaited:
            if party.dpo_outcome is None:
                told += _remind_dpo_review(party)
            continue
        agreement = party.agreement
        subject = f"{party.organisation} has not yet signed {named(agreement)}"
        asked = (f"{party.organisation} was asked to sign “{agreement.title}” on {long_date(party.waiting_since)} "
                 "and has not signed it yet.")
        event_key = f"signature-{party.pk}-outstanding-v{party.latest_number or 0}-{party.waiting_since:%Y-%m-%d}"
        # Only the lead signatory may open the signing page; the others are sent to the
        # signatures page, where the chase list is.
        told += _sent(
            contacts=party_lead_signatory_contacts(party), subject=subject,
            body=f"{asked}\n\nRead it and sign it in the portal.",
            url=reverse("agreements:party_sign", args=[agreement.pk, party.pk]), event_key=event_key,
        )
        told += _sent(
            contacts=[*party_spocs([party]), *governance_manager_contacts(agreement.owner)], subject=subject,
            body=f"{asked}\n\nIts lead signatory reads and signs it in the portal.",
            url=reverse("agreements:signatures", args=[agreement.pk]), event_key=event_key,
        )
    return told


def _remind_dpo_review(party: Party) -> int:
    """A party whose DPO has not reviewed the latest version 14 days after it was asked to sign:
    its DPO (``dpo_reviewer_contacts``), sent to the review page; its SPOCs and the owner's
    governance managers, to the signatures page."""
    agreement = party.agreement
    subject = f"{party.organisation}'s DPO review of version {party.latest_label} is awaited"
    asked = (f"{party.organisation} was asked to sign “{agreement.title}” on {long_date(party.waiting_since)}. "
             f"Its data protection officer has not yet reviewed version {party.latest_label}, and its lead "
             "signatory cannot sign until the DPO finds it content to sign.")
    event_key = f"dpo-review-{party.pk}-outstanding-v{party.latest_number}-{party.waiting_since:%Y-%m-%d}"
    dpos = dpo_reviewer_contacts(party)
    told = _sent(
        contacts=dpos, subject=subject, body=f"{asked}\n\nReview it in the portal.",
        url=reverse("agreements:party_dpo_review", args=[agreement.pk, party.pk]), event_key=event_key,
    )
    others = [contact for contact in [*party_spocs([party]), *governance_manager_contacts(agreement.owner)]
              if contact not in dpos]
    return told + _sent(
        contacts=others, subject=subject, body=f"{asked}\n\nIts DPO reviews it in the portal.",
        url=reverse("agreements:signatures", args=[agreement.pk]), event_key=event_key,
    )


def remind_spoc_details(*, on: datetime.date, now: datetime.datetime) -> int:
    """SPOCs whose details have gone six months unconfirmed (001 §6.5): the SPOC, and, for one
    who does not sign in, their organisation's governance managers, who keep the directory."""
    told = 0
    for contact, since, due in spocs_unconfirmed(on=on):
        contacts = [contact] if contact.user_id else [contact, *governance_manager_contacts(contact.organisation)]
        url = (reverse("partners:contact_confirm", args=[contact.pk]) if contact.user_id
               else contact.organisation.get_absolute_url())
        told += _sent(
            contacts=contacts, subject=f"Are {contact.name}'s details as SPOC for {contact.organisation} current?",
            body=(f"{contact.name}'s details as a single point of contact (SPOC) for {contact.organisation} were "
                  f"last confirmed on {long_date(since)}. Partners rely on them: please confirm they are current, "
                  "or correct them, in the portal."),
            url=url, event_key=f"spoc-details-{contact.pk}-unconfirmed-{due:%Y-%m-%d}",
        )
    return told


def remind_breach_deadlines(*, on: datetime.date, now: datetime.datetime) -> int:
    """Breach steps due within one working day (for the ICO's hours, by the end of tomorrow), and
    missed: the owner's governance managers and the reporting organisation's SPOCs and
    governance managers."""
    told = 0
    for breach, deadline in breach_deadlines_pending(now=now):
        if deadline.overdue:
            key, state = "overdue", "was due"
        elif deadline.in_hours:
            # The run is daily: an hours clock ending before tomorrow is out is warned of today.
            if timezone.localdate(deadline.due) > on + datetime.timedelta(days=1):
                continue
            key, state = f"due-{timezone.localtime(deadline.due):%Y-%m-%d}", "is due"
        else:
            soon = clocks.add_working_days(on, BREACH_WARNING_WORKING_DAYS, jurisdiction=breach.agreement.jurisdiction)
            if deadline.due > soon:
                continue
            key, state = f"due-{deadline.due:%Y-%m-%d}", "is due"
        when = date_time(deadline.due) if deadline.in_hours else long_date(deadline.due)
        agreement = breach.agreement
        told += _sent_now(
            contacts=[*governance_manager_contacts(agreement.owner),
                      *organisation_contacts(breach.reporting_organisation)],
            subject=(f"Overdue: {deadline.label}" if deadline.overdue else f"Due soon: {deadline.label}")
            + f" – {named(agreement)}",
            body=(f"For the {breach.get_kind_display().lower()} under “{agreement.title}” reported by "
                  f"{breach.reporting_organisation}: {deadline.label[0].lower()}{deadline.label[1:]} {state} by {when}."
                  "\n\nRecord it in the portal once it is done."),
            url=breach.get_absolute_url(), event_key=f"breach-{breach.pk}-{deadline.key}-{key}",
        )
    return told


def remind_request_deadlines(*, on: datetime.date, now: datetime.datetime) -> int:
    """Requests to be answered within 5 days, and missed: the SPOCs and governance managers of
    the organisation they are routed to."""
    told = 0
    for request in requests_due(on=on, within_days=REQUEST_WARNING_DAYS):
        party = request.party or Party.objects.filter(
            agreement=request.agreement, organisation=request.routed_to,
        ).first()
        contacts = [*organisation_contacts(request.routed_to), *(party_spocs([party]) if party else [])]
        kind = request.get_kind_display().lower()
        key = "overdue" if request.overdue else "due-soon"
        told += _sent(
            contacts=contacts,
            subject=(f"Overdue: a {kind} for {request.routed_to}" if request.overdue
                     else f"A {kind} for {request.routed_to} is due by {long_date(request.due_on)}"),
            body=(f"A {kind} received on {long_date(request.received_on)} under “{request.agreement.title}” "
                  f"{'was' if request.overdue else 'is'} due to be answered by {long_date(request.due_on)}.\n\n"
                  "Record the response in the portal once it has been sent."),
            url=request.get_absolute_url(), event_key=f"request-{request.pk}-{key}-{request.due_on:%Y-%m-%d}",
        )
    return told


def remind_withdrawals(*, on: datetime.date, now: datetime.datetime) -> int:
    """Withdrawals taking effect within 7 days: the owner's governance managers and every
    party's SPOCs, since nothing may be shared with the party from that day (001 §3.5)."""
    told = 0
    horizon = on + datetime.timedelta(days=WITHDRAWAL_WARNING_DAYS)
    for party in withdrawals_pending().filter(withdrawal_effective_on__gt=on, withdrawal_effective_on__lte=horizon):
        agreement = party.agreement
        effective = party.withdrawal_effective_on
        # A notice the rules require (001 §3.5): each party in force must hear of it, or it is shown.
        parties = agreement.parties.in_force(on=on).select_related("organisation")
        told += _noticed(
            recipients=_by_organisation([(agreement.owner, list(governance_manager_contacts(agreement.owner))),
                                         *party_recipients(parties)]),
            responsible_organisation=agreement.owner,
            subject=f"{party.organisation} leaves {named(agreement)} on {long_date(effective)}",
            body=(f"{party.organisation}'s withdrawal from “{agreement.title}” takes effect on {long_date(effective)}. "
                  f"From that day, do not share information with {party.organisation} under this agreement: the "
                  "portal will not record a disclosure to it."),
            url=reverse("agreements:parties", args=[agreement.pk]),
            event_key=f"party-{party.pk}-withdrawal-in-{WITHDRAWAL_WARNING_DAYS}-days-{effective:%Y-%m-%d}",
        )
    return told


def send_digests(*, on: datetime.date, now: datetime.datetime) -> int:
    """Each person's reminders of the run (and any a failed run left), in one e-mail: the last step."""
    return notification_digests_send()


def deliver_undelivered_notices(*, on: datetime.date, now: datetime.datetime) -> int:
    """Notices that reached nobody, sent now to whoever acts for their organisation (issue 13)."""
    return undelivered_notices_deliver()


STEPS = (
    Step("withdrawals", "Withdrawals completed", complete_withdrawals),
    Step("reviews", "Reviews opened", open_reviews_due),
    Step("signed_copies", "Signed copies frozen", freeze_signed_copies),
    Step("retention", "Entries destroyed under the retention rule", destroy_due_entries),
    Step("access_log", "Access events past their retention period deleted", purge_access_log),
    Step("review_reminders", "Review reminders sent", remind_reviews),
    Step("signature_reminders", "Signature reminders sent", remind_signatures),
    Step("spoc_reminders", "SPOC details reminders sent", remind_spoc_details),
    Step("ico_reminders", "ICO registration reminders sent", batch_reminders.remind_ico_renewals),
    # issue 17 (decision 0063, amended)
    Step("dspt_reminders", "DSPT reminders sent", batch_reminders.remind_dspt_lapses),
    Step("breach_reminders", "Breach deadline reminders sent", remind_breach_deadlines),
    Step("request_reminders", "Request deadline reminders sent", remind_request_deadlines),
    Step("withdrawal_reminders", "Withdrawal reminders sent", remind_withdrawals),
    Step("tell_reminders", "Reminders to tell a person their information was shared",
         batch_reminders.remind_people_to_tell),
    Step("affected_reminders", "Reminders to decide on telling the people affected by a breach",
         follow_ups.remind_affected_decisions),
    Step("override_reminders", "Reminders to confirm an override", follow_ups.remind_override_confirmations),
    Step("holdings_reminders", "Reminders to a withdrawn party to confirm what it did with what it held",
         follow_ups.remind_withdrawn_holdings),
    Step("open_case_reminders", "Reminders of cases open longer than their agreement allows",
         follow_ups.remind_open_cases),
    Step("undelivered_notices", "Undelivered notices now delivered", deliver_undelivered_notices),
    Step("digests", "Daily digests e-mailed", send_digests),  # issue 14, item 5 (docs/decisions/0039)
    Step("log_chain", "Sharing log chain problems", verify_log_chain, counts_problems=True),  # issue 12, item 4
)

# The weekly run (``run_scheduler --weekly``, decision 0066): what grows with the whole log.
WEEKLY_STEPS = (
    Step("log_chain_whole", "Sharing log chain problems, the whole chain checked", verify_log_chain_whole,
         counts_problems=True),
)


def scheduled_steps() -> tuple[Step, ...]:
    """``STEPS``, with the steps of apps above this package named in ``settings.SCHEDULER_MORE_STEPS``
    (import paths of ``Step`` objects) before the digests, so that what they tell people is in
    the day's digest and the chain check stays last; they join the run without this package
    importing them."""
    more = tuple(import_string(path) for path in settings.SCHEDULER_MORE_STEPS)
    at = next(index for index, step in enumerate(STEPS) if step.name == "digests")
    return STEPS[:at] + more + STEPS[at:]


def run_scheduler(*, on: datetime.date | None = None, now: datetime.datetime | None = None,
                  steps: tuple[Step, ...] | None = None) -> list[StepResult]:
    """Run ``steps`` (by default ``scheduled_steps()``) for the day ``on`` (today by default) at ``now``; one
    result per step."""
    steps = scheduled_steps() if steps is None else steps
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    results = []
    for step in steps:
        queries = _QueryCounter()
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(queries), transaction.atomic():
                count = step.run(on=on, now=now)
        except Exception as error:  # noqa: BLE001 – one step's failure must not stop the others
            logger.error("Scheduler step %s failed on %s: %s", step.name, on.isoformat(), type(error).__name__)
            result = StepResult(step.name, step.label, None, type(error).__name__)
        else:
            if step.counts_problems and count:
                result = StepResult(step.name, step.label, None, f"{count} problems")
            else:
                result = StepResult(step.name, step.label, count)
        results.append(dataclasses.replace(result, seconds=time.perf_counter() - started, queries=queries.count))
    return results


class _QueryCounter:
    """Counts the queries sent through the connection it wraps (``connection.execute_wrapper``)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
