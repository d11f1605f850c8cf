"""Reminders made for many at once, steps of ``isa_portal.scheduler``: people still to be told of
a share, and organisations' own assurance (ICO registration, DSPT). Each reads what it needs once
for the run, and writes the new reminders together (``notices_record``): a fixed number of queries
however many there are (issue 15, docs/decisions/0066). Sent once per event key; an organisation
with nobody to tell is recorded as an undelivered notice and shown.
"""

import datetime
from dataclasses import replace

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from govuk_blocks.dates import long_date
from partners.models import Organisation
from partners.selectors import (
    RENEWAL_OVERDUE,
    dspt_lapses_on,
    event_keys_handled,
    governance_contacts_reachable,
    organisation_contacts_reachable,
    own_contacts_reachable,
    without_handled_event_keys,
)
from partners.services import (
    Notice,
    notices_record,
)
from sharing_log.models import Disclosure
from sharing_log.selectors import people_to_tell

from .due import (
    dspt_renewals,
    ico_renewals,
)

# A key no entry has, replaced by each entry's own in its address (one reverse() a run).
_SENTINEL = 987654321


def remind_people_to_tell(*, on: datetime.date, now: datetime.datetime) -> int:
    """People "not yet" told of a share whose date to tell them by has come (issue 13, item 6):
    the person who logged it, or, with no directory entry of theirs there, the disclosing
    organisation's SPOCs and governance managers. The message carries no case detail.

    Set-based (issue 15): the entries, who is reachable and which reminders went already are each
    read once for the run, and the new reminders written together (``notices_record``). An entry
    whose reminder was sent, or recorded as reaching nobody, on an earlier run is left alone: the
    undelivered ones are delivered by ``undelivered_notices_deliver``."""
    # The entries already reminded of are left out by the database (their keys, below, as SQL)…
    key = Concat(Value("disclosure-"), Cast("pk", CharField()), Value("-tell-by-"),
                 Cast("subject_told_by", CharField()), output_field=CharField())
    # …and only the columns a reminder needs are read, joined to nothing: joined to the
    # agreements, the organisations and the people, the planner (which cannot tell how many are
    # left) nested loops over each of them, 86 s at 100,000 entries (issue 15).
    entries = list(
        people_to_tell(without_handled_event_keys(Disclosure.objects.filter(subject_told_by__lte=on), key))
        .select_related(None)
        .values("pk", "subject_told_by", "occurred_at", "disclosed_by_id", "disclosing_organisation_id",
                "recipient_organisation_id", "agreement_id")
    )
    keys = {entry["pk"]: f"disclosure-{entry['pk']}-tell-by-{entry['subject_told_by']:%Y-%m-%d}" for entry in entries}
    # …and checked again here, whatever text the database made of the date.
    done = event_keys_handled(keys.values())
    entries = [entry for entry in entries if keys[entry["pk"]] not in done]
    organisation_ids = {entry["disclosing_organisation_id"] for entry in entries}
    owners = dict(Agreement.objects.filter(pk__in={entry["agreement_id"] for entry in entries})
                  .values_list("pk", "owner_id"))
    organisations = Organisation.objects.in_bulk({*owners.values(), *(entry[name] for entry in entries for name in (
        "disclosing_organisation_id", "recipient_organisation_id"))})
    loggers = own_contacts_reachable(user_ids={entry["disclosed_by_id"] for entry in entries},
                                     organisation_ids=organisation_ids)
    acting = organisation_contacts_reachable(organisation_ids)
    # Each entry's address from one reverse(), and each day written out once: at the first run on
    # a log of a million there are a quarter of a million reminders (issue 15).
    detail = reverse("sharing_log:detail", args=[_SENTINEL])
    days: dict[datetime.date, str] = {}

    def day(value: datetime.date) -> str:
        if value not in days:
            days[value] = long_date(value)
        return days[value]

    notices = []
    for entry in entries:
        organisation = organisations[entry["disclosing_organisation_id"]]
        shared_on = day(timezone.localdate(entry["occurred_at"]))
        # With nobody reachable at the organisation either, the reminder is recorded and shown.
        notices.append(Notice(
            organisation=organisation,
            reachable=(loggers.get((entry["disclosed_by_id"], organisation.pk)) or acting.get(organisation.pk, [])),
            responsible_organisation=organisations[owners[entry["agreement_id"]]],
            subject=f"Tell the person sharing log entry {entry['pk']} is about",
            body=(f"When {organisation} logged sharing information with "
                  f"{organisations[entry['recipient_organisation_id']]} on {shared_on}, the person it is about had "
                  f"not yet been told, and was to be told by {day(entry['subject_told_by'])}.\n\nTell them, "
                  "then record it on the entry: correct “Was the person told?”. If they are not to be told after "
                  "all, record that and why."),
            url=detail.replace(str(_SENTINEL), str(entry["pk"])), event_key=keys[entry["pk"]],
        ))
    return notices_record(notices)


def remind_ico_renewals(*, on: datetime.date, now: datetime.datetime) -> int:
    """ICO registrations due for renewal within 30 days, and lapsed: the organisation's
    governance managers (or, with none, its SPOCs). Set-based (``_assurance_reminders``)."""
    reminders = []
    for organisation, state in ico_renewals(on=on):
        renewal, lapsed = organisation.ico_renewal_date, state == RENEWAL_OVERDUE
        reminders.append(Notice(
            organisation=organisation, reachable=[],
            subject=(f"{organisation}'s ICO registration has lapsed" if lapsed
                     else f"{organisation}'s ICO registration is due for renewal"),
            body=(f"{organisation}'s registration with the Information Commissioner's Office "
                  f"{'was' if lapsed else 'is'} due for renewal on {long_date(renewal)} (002 §4.1–4.2). "
                  "Record the new renewal date in the portal once it is renewed."),
            url=organisation.get_absolute_url(),
            event_key=f"ico-{organisation.pk}-{'lapsed' if lapsed else 'renewal-due'}-{renewal:%Y-%m-%d}",
        ))
    return _assurance_reminders(reminders)


def remind_dspt_lapses(*, on: datetime.date, now: datetime.datetime) -> int:
    """DSPT assessments lapsing within 30 days, and lapsed (12 months after their publication,
    decision 0063): the organisation's governance managers (or, with none, its SPOCs), once per
    organisation, kind and lapse date, so a new publication is reminded of in its turn."""
    reminders = []
    for organisation, state in dspt_renewals(on=on):
        published = organisation.dspt_published_on
        lapses_on, lapsed = dspt_lapses_on(published), state == RENEWAL_OVERDUE
        reminders.append(Notice(
            organisation=organisation, reachable=[],
            subject=(f"{organisation}'s DSPT assessment has lapsed" if lapsed
                     else f"{organisation}'s DSPT assessment lapses on {long_date(lapses_on)}"),
            body=(f"{organisation}'s Data Security and Protection Toolkit assessment was published on "
                  f"{long_date(published)}, and {'lapsed' if lapsed else 'lapses'} on "
                  f"{long_date(lapses_on)}, 12 months on. Partners rely on it when they share health "
                  "and care data. Publish this year's assessment, then record its status and date in the portal."),
            url=organisation.get_absolute_url(),
            event_key=f"dspt-{organisation.pk}-{'lapsed' if lapsed else 'due'}-{lapses_on:%Y-%m-%d}",
        ))
    return _assurance_reminders(reminders)


def _assurance_reminders(reminders: list[Notice]) -> int:
    """Send the reminders of organisations' own assurance not yet sent (``notices_record``, in the
    digest), each to the organisation's governance managers or, with none, its SPOCs; one that
    reaches nobody is recorded as undelivered. In the same few queries however many there are:
    which were sent, who is told at each organisation, and the writes."""
    done = event_keys_handled(reminder.event_key for reminder in reminders)
    reminders = [reminder for reminder in reminders if reminder.event_key not in done]
    people = governance_contacts_reachable({reminder.organisation.pk for reminder in reminders})
    return notices_record([
        replace(reminder, reachable=people.get(reminder.organisation.pk, [])) for reminder in reminders
    ])
