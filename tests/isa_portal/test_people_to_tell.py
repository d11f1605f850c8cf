"""A person "not yet" told of a share is told by the date the entry gives (issue 13, item 6):
"What's due" lists it for whoever logged it and for the SPOCs and governance managers of the
organisation that shared, and the daily scheduler reminds on the day, once. Recording that the
person was told (a correction of "Was the person told?") ends both.

The clock is frozen on Monday 2 March 2026.
"""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from isa_portal import batch_reminders, scheduler
from isa_portal.due import due_for
from partners.models import Notification, UndeliveredNotice
from sharing_log.models import SubjectInformed
from sharing_log.selectors import people_to_tell
from sharing_log.services import disclosure_amend, disclosure_void
from tests.factories import ContactFactory, DisclosureFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY, tick=False)]
TODAY = MONDAY.date()
TELL_BY = datetime.date(2026, 3, 5)


@pytest.fixture
def entry(roles):
    """The owner's practitioner shared with the partner on Friday; the person is to be told by Thursday."""
    return DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, occurred_at=MONDAY - datetime.timedelta(days=3),
        subject_informed=SubjectInformed.NOT_YET, subject_told_by=TELL_BY,
    )


def items(user, on=TODAY) -> list:
    due = due_for(user, on=on)
    return [item for item in [*due.overdue, *due.coming_up] if item.kind == "Telling the person"]


class TestWhatsDue:
    def test_finding_not_yet_told_is_followed_up_for_the_logger_and_the_organisations_managers(self, roles, entry):
        for user in (roles.practitioner, roles.governance_manager):
            (item,) = items(user)
            assert (item.what, item.about, item.due, item.overdue, item.url) == (
                f"Tell the person entry {entry.pk} is about that their information was shared",
                "Shared with Borsetshire Police on 27 February 2026", TELL_BY, False, f"/log/{entry.pk}/",
            )

    def test_the_recipient_does_not_see_it(self, roles, entry):
        assert items(roles.spoc) == []

    def test_after_the_date_it_is_overdue(self, roles, entry):
        (item,) = items(roles.practitioner, on=TELL_BY + datetime.timedelta(days=1))

        assert item.overdue is True

    def test_recording_that_the_person_was_told_ends_it(self, roles, entry):
        disclosure_amend(disclosure=entry, by_user=roles.practitioner, field="subject_informed",
                         value=SubjectInformed.YES, reason="Told by phone on 3 March.")

        assert items(roles.practitioner) == []
        assert list(people_to_tell()) == []

    def test_a_voided_entry_has_nobody_to_tell(self, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged against the wrong partner.")

        assert list(people_to_tell()) == []


class TestTheReminder:
    def test_nothing_is_sent_before_the_day(self, roles, entry):
        ContactFactory(organisation=roles.owner, user=roles.practitioner)

        assert batch_reminders.remind_people_to_tell(on=TELL_BY - datetime.timedelta(days=1), now=MONDAY) == 0

    def test_on_the_day_the_logger_is_reminded_once_without_case_detail(self, roles, entry):
        contact = ContactFactory(organisation=roles.owner, user=roles.practitioner)

        sent = batch_reminders.remind_people_to_tell(on=TELL_BY, now=MONDAY)
        again = batch_reminders.remind_people_to_tell(on=TELL_BY + datetime.timedelta(days=1), now=MONDAY)

        notification = Notification.objects.get()
        assert (sent, again, notification.recipient) == (1, 0, contact)
        assert notification.in_digest is True  # a reminder: in the run's digest (decision 0045)
        assert notification.subject == f"Tell the person sharing log entry {entry.pk} is about"
        assert "was to be told by 5 March 2026" in notification.body
        assert entry.case_reference not in notification.body

    def test_the_run_costs_the_same_queries_for_one_entry_or_five_and_once_reminded_one(self, roles, entry):
        # Issue 15: each entry asked about its corrections, its logger, who could be reached and
        # what was sent, every day again.
        ContactFactory(organisation=roles.owner, user=roles.practitioner)

        def queries(on):
            with CaptureQueriesContext(connection) as captured:
                batch_reminders.remind_people_to_tell(on=on, now=MONDAY)
            return len(captured.captured_queries)

        for _ in range(4):
            DisclosureFactory(
                agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
                disclosed_by=roles.practitioner, occurred_at=entry.occurred_at,
                subject_informed=SubjectInformed.NOT_YET, subject_told_by=TELL_BY,
            )
        first = queries(TELL_BY)

        again = queries(TELL_BY + datetime.timedelta(days=1))
        assert (Notification.objects.count(), first <= 10, again) == (5, True, 1)

    def test_the_entries_are_read_alone_and_only_what_a_reminder_needs(self, roles, entry):
        # Issue 15: read with every column and joined to their agreement, its owner, both
        # organisations and the person who logged them, the planner nested loops over each of
        # those tables (it cannot tell how few entries are left to remind): 86 s at 100,000 entries.
        ContactFactory(organisation=roles.owner, user=roles.practitioner)
        with CaptureQueriesContext(connection) as captured:
            assert batch_reminders.remind_people_to_tell(on=TELL_BY, now=MONDAY) == 1

        (read,) = [query["sql"] for query in captured.captured_queries
                   if query["sql"].startswith("SELECT") and 'FROM "sharing_log_disclosure"' in query["sql"]]
        selected, tables = read.split(' FROM "sharing_log_disclosure"', 1)
        assert (" JOIN " in tables.split(" WHERE ")[0], '"summary"' in selected, '"case_reference"' in selected) == (
            False, False, False)

    def test_with_no_directory_entry_for_the_logger_the_organisation_is_told(self, roles, entry):
        manager = ContactFactory(organisation=roles.owner, user=roles.governance_manager)

        assert batch_reminders.remind_people_to_tell(on=TELL_BY, now=MONDAY) == 1
        assert Notification.objects.get().recipient == manager

    def test_with_nobody_at_the_organisation_either_it_is_recorded_and_shown(self, roles, entry):
        # Review of issue 13, item 2: the fallback to the organisation's contacts reached nobody, silently.
        assert batch_reminders.remind_people_to_tell(on=TELL_BY, now=MONDAY) == 0

        (undelivered,) = UndeliveredNotice.objects.all()
        assert (undelivered.organisation, undelivered.event_key, undelivered.url) == (
            roles.owner, f"disclosure-{entry.pk}-tell-by-2026-03-05", f"/log/{entry.pk}/")
        assert undelivered.message == "not delivered: Borsetshire County Council has nobody to tell"
        assert undelivered.subject == f"Tell the person sharing log entry {entry.pk} is about"
        assert Notification.objects.count() == 0

    def test_once_someone_acts_for_it_the_daily_run_delivers_it(self, roles, entry):
        batch_reminders.remind_people_to_tell(on=TELL_BY, now=MONDAY)
        manager = ContactFactory(organisation=roles.owner, user=roles.governance_manager)

        assert scheduler.deliver_undelivered_notices(on=TELL_BY, now=MONDAY) == 1
        assert Notification.objects.get().recipient == manager
        assert UndeliveredNotice.objects.open().count() == 0

    def test_the_step_runs_with_the_others(self, roles, entry):
        ContactFactory(organisation=roles.owner, user=roles.practitioner)

        results = {result.name: result.count for result in scheduler.run_scheduler(on=TELL_BY, now=MONDAY)}

        assert results["tell_reminders"] == 1
