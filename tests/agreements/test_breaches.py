"""Breaches and near misses (002 §6): recording one tells the other partners, who acknowledge;
its deadlines in working days and the ICO's 72 hours; what follows, and closing; the pages.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py).
Services and selectors take an explicit ``now``/``on``, so their clocks are frozen here.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements import selectors, services
from agreements.models import (
    Agreement,
    Breach,
    BreachKind,
    BreachNotification,
    ContactRole,
    Jurisdiction,
    PartyStatus,
)
from agreements.services import party_contact_add
from partners.models import Notification, Role
from tests.factories import ContactFactory, PartyFactory

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]

LONDON = ZoneInfo("Europe/London")
D = datetime.date


def at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Friday 22 May 2026; Monday 25 May is the spring bank holiday.
DISCOVERED = at(2026, 5, 22, 10, 30)
RECORDED = at(2026, 5, 22, 16, 0)
DESCRIPTION = "A case summary was e-mailed to the wrong partner's shared mailbox."
DATA = "Names, addresses and offence details of 2 adults."


@pytest.fixture
def cast(roles):
    """The standard cast, its agreement in force since 2020, with the people notices reach."""
    Agreement.objects.filter(pk=roles.agreement.pk).update(effective_date=D(2020, 1, 1))
    roles.agreement.refresh_from_db()
    roles.spoc_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example")
    roles.manager_contact = ContactFactory(
        organisation=roles.owner, user=roles.governance_manager, name="Robin Example",
    )
    return roles


def record(cast, **overrides) -> Breach:
    arguments = {
        "agreement": cast.agreement, "reporting_organisation": cast.owner, "kind": BreachKind.BREACH,
        "discovered_at": DISCOVERED, "description": DESCRIPTION, "data_involved": DATA,
        "personal_data_breach": True, "by_user": cast.governance_manager, "now": RECORDED,
        **overrides,
    }
    return services.breach_record(**arguments)


def by_key(deadlines) -> dict:
    return {item.key: item for item in deadlines}


def error_summary(response) -> str:
    content = response.content.decode()
    if "govuk-error-summary" not in content:
        return ""
    return content.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]


# Recording -----------------------------------------------------------------------------------


class TestBreachRecord:
    def test_every_other_party_in_force_is_told_and_the_reporter_is_not(self, cast):
        declined = PartyFactory(agreement=cast.agreement, status=PartyStatus.DECLINED)

        breach = record(cast)

        assert [n.party for n in breach.notifications.all()] == [cast.partner_party]
        assert breach.notifications.get().notified_at == RECORDED
        assert not breach.notifications.filter(party=declined).exists()

    def test_the_partners_spoc_is_told_in_the_portal_and_by_email(
        self, cast, mailoutbox, django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            breach = record(cast)

        notice = Notification.objects.get(recipient=cast.spoc_contact)
        assert notice.subject == (
            "Breach under Borsetshire Community Safety Information Sharing Agreement reported by "
            "Borsetshire County Council"
        )
        assert notice.event_key == f"breach-{breach.pk}-party-{cast.partner_party.pk}"
        assert notice.url == f"/breaches/{breach.pk}/"
        assert "discovered on 22 May 2026 at 10:30am" in notice.body
        assert "acknowledge it for Borsetshire Police" in notice.body
        assert [message.to for message in mailoutbox] == [[cast.spoc_contact.email]]

    def test_the_notice_says_nothing_of_what_happened_or_the_data(self, cast):
        record(cast)

        notice = Notification.objects.get(recipient=cast.spoc_contact)
        assert DESCRIPTION not in notice.body and DATA not in notice.body

    def test_the_owners_governance_managers_are_told_when_a_partner_reports(self, cast):
        breach = record(cast, reporting_organisation=cast.partner, by_user=cast.spoc)

        assert [n.party for n in breach.notifications.all()] == [cast.owner_party]
        notice = Notification.objects.get(recipient=cast.manager_contact, event_key=f"breach-{breach.pk}-owner")
        assert notice.subject.endswith("reported by Borsetshire Police")

    def test_the_owners_governance_manager_may_report_for_a_partner(self, cast):
        breach = record(cast, reporting_organisation=cast.partner)

        assert breach.reporting_organisation == cast.partner
        assert breach.recorded_by == cast.governance_manager

    def test_a_party_giving_notice_of_withdrawal_is_still_told(self, cast):
        leaving = PartyFactory(agreement=cast.agreement, withdrawal_notified=True)

        breach = record(cast, now=timezone.now(), discovered_at=timezone.now() - datetime.timedelta(hours=1))

        assert breach.notifications.filter(party=leaving).exists()

    @pytest.mark.parametrize(("overrides", "field", "message"), [
        ({"discovered_at": RECORDED + datetime.timedelta(minutes=1)}, "discovered_at",
         "The date and time it was discovered must be in the past"),
        ({"discovered_at": at(2019, 12, 31)}, "discovered_at",
         "The date it was discovered must be on or after the day the agreement came into force, 1 January 2020"),
        ({"description": "  "}, "description", "Describe what happened"),
        ({"data_involved": ""}, "data_involved", "Describe what data was involved"),
        ({"kind": BreachKind.NEAR_MISS}, "personal_data_breach",
         "A near miss is not a personal data breach. If personal data was lost, disclosed or seen by someone "
         "who should not have seen it, record a breach"),
    ])
    def test_bad_input_is_refused_and_nothing_is_saved_or_sent(self, cast, overrides, field, message):
        with pytest.raises(ValidationError) as caught:
            record(cast, **overrides)

        assert caught.value.message_dict == {field: [message]}
        assert (Breach.objects.count(), BreachNotification.objects.count(), Notification.objects.count()) == (0, 0, 0)

    def test_an_agreement_never_in_force_is_refused(self, cast):
        with pytest.raises(ValidationError) as caught:
            record(cast, agreement=cast.draft)

        assert caught.value.message_dict == {"agreement": [
            "Choose an agreement that has come into force: nothing is shared under one that has not",
        ]}

    def test_an_organisation_that_is_not_a_party_is_refused(self, cast):
        with pytest.raises(ValidationError) as caught:
            record(cast, reporting_organisation=cast.unrelated_organisation)

        assert caught.value.message_dict == {"reporting_organisation": [
            "Felpersham Housing Association is not a party to Borsetshire Community Safety Information "
            "Sharing Agreement: choose one of its partners",
        ]}

    def test_a_partners_spoc_cannot_report_for_another_organisation(self, cast):
        with pytest.raises(ValidationError) as caught:
            record(cast, by_user=cast.spoc)

        assert caught.value.message_dict == {"reporting_organisation": [
            "You cannot report a breach for Borsetshire County Council: choose your own organisation",
        ]}
        assert Breach.objects.count() == 0


# Deadlines -------------------------------------------------------------------------------------


class TestBreachDeadlines:
    def test_discovered_the_friday_before_the_spring_bank_holiday(self, cast):
        breach = record(cast)

        deadlines = selectors.breach_deadlines(breach, now=RECORDED)

        assert [(item.key, item.label, item.due, item.done, item.overdue) for item in deadlines] == [
            ("partners_told", "Other partners told (within 5 working days)", D(2026, 6, 1), D(2026, 5, 22), False),
            ("report", "Report from the partner in breach (within 10 working days)", D(2026, 6, 8), None, False),
            ("meeting", "Partners' meeting (within 20 working days)", D(2026, 6, 22), None, False),
            ("minutes", "Minutes circulated (within 5 working days of the meeting)", None, None, False),
            ("ico", "Reported to the ICO, or the decision not to report it recorded (within 72 hours)",
             at(2026, 5, 25, 10, 30), None, False),
        ]

    def test_a_step_is_overdue_the_day_after_it_was_due(self, cast):
        breach = record(cast)

        on_the_day = by_key(selectors.breach_deadlines(breach, now=at(2026, 6, 8, 23, 59)))
        day_after = by_key(selectors.breach_deadlines(breach, now=at(2026, 6, 9, 0, 1)))

        assert on_the_day["report"].overdue is False
        assert day_after["report"].overdue is True
        assert day_after["meeting"].overdue is False

    def test_the_ico_clock_is_overdue_by_the_hour(self, cast):
        breach = record(cast)
        due = at(2026, 5, 25, 10, 30)

        before = by_key(selectors.breach_deadlines(breach, now=due - datetime.timedelta(minutes=1)))
        after = by_key(selectors.breach_deadlines(breach, now=due + datetime.timedelta(minutes=1)))

        assert (before["ico"].overdue, after["ico"].overdue) == (False, True)

    def test_the_ico_step_is_done_when_reported_or_when_not_reporting_is_decided(self, cast):
        reported = record(cast)
        services.breach_ico_record(breach=reported, reported=True, reported_at=at(2026, 5, 23, 11), now=RECORDED
                                   + datetime.timedelta(days=1))
        decided = record(cast)
        services.breach_ico_record(breach=decided, reported=False, not_reported_reason="Encrypted; key not lost.",
                                   now=at(2026, 5, 26, 12))
        later = at(2026, 7, 1)

        assert by_key(selectors.breach_deadlines(reported, now=later))["ico"].done == at(2026, 5, 23, 11)
        decided_step = by_key(selectors.breach_deadlines(decided, now=later))["ico"]
        assert (decided_step.done, decided_step.overdue, decided_step.late) == (at(2026, 5, 26, 12), False, True)

    def test_the_minutes_are_due_five_working_days_after_the_meeting(self, cast):
        breach = record(cast)
        services.breach_progress_update(
            breach=breach, report_received_on=D(2026, 6, 5), report_summary="", meeting_held_on=D(2026, 6, 19),
            minutes_circulated_on=None, actions="", sanctions="", on=D(2026, 6, 19),
        )

        minutes = by_key(selectors.breach_deadlines(breach, now=at(2026, 6, 29)))["minutes"]

        assert (minutes.due, minutes.overdue) == (D(2026, 6, 26), True)

    def test_a_near_miss_has_only_the_partners_told(self, cast):
        near_miss = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)

        assert [item.key for item in selectors.breach_deadlines(near_miss, now=RECORDED)] == ["partners_told"]

    def test_a_breach_of_no_personal_data_has_no_ico_clock(self, cast):
        breach = record(cast, personal_data_breach=False)

        assert "ico" not in by_key(selectors.breach_deadlines(breach, now=RECORDED))

    def test_the_agreements_own_numbers_of_days_are_used(self, cast):
        Agreement.objects.filter(pk=cast.agreement.pk).update(breach_notify_working_days=3)
        cast.agreement.refresh_from_db()
        breach = record(cast)

        told = by_key(selectors.breach_deadlines(breach, now=RECORDED))["partners_told"]

        assert (told.label, told.due) == ("Other partners told (within 3 working days)", D(2026, 5, 28))

    def test_a_scottish_agreement_skips_st_andrews_day(self, cast):
        # Friday 27 November 2026; Monday 30 November is St Andrew's Day in Scotland alone.
        discovered = at(2026, 11, 27)
        breach = record(cast, discovered_at=discovered, now=discovered)
        english = by_key(selectors.breach_deadlines(breach, now=discovered))["partners_told"].due
        Agreement.objects.filter(pk=cast.agreement.pk).update(jurisdiction=Jurisdiction.SCOTLAND)
        breach = Breach.objects.get(pk=breach.pk)

        scottish = by_key(selectors.breach_deadlines(breach, now=discovered))["partners_told"].due

        assert (english, scottish) == (D(2026, 12, 4), D(2026, 12, 7))

    def test_partners_told_after_the_deadline_is_done_late(self, cast):
        breach = record(cast, now=at(2026, 6, 3))

        told = by_key(selectors.breach_deadlines(breach, now=at(2026, 6, 3)))["partners_told"]

        assert (told.done, told.overdue, told.late) == (D(2026, 6, 3), False, True)

    def test_nothing_of_a_closed_breach_is_overdue(self, cast):
        breach = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)
        Breach.objects.filter(pk=breach.pk).update(
            kind=BreachKind.BREACH, closed_on=D(2026, 5, 29),
        )
        breach.refresh_from_db()

        assert not any(item.overdue for item in selectors.breach_deadlines(breach, now=at(2027, 1, 1)))


# Reads -----------------------------------------------------------------------------------------


class TestBreachesVisibleTo:
    @pytest.mark.parametrize(("subject", "sees"), [
        ("governance_manager", True), ("spoc", True), ("auditor", True),
        ("practitioner", False), ("lead_signatory", False), ("admin", False), ("unrelated", False),
    ])
    def test_spocs_governance_managers_and_auditors_of_the_parties_see_a_breach(self, cast, subject, sees):
        breach = record(cast)

        assert selectors.breaches_visible_to(cast.subject(subject)).filter(pk=breach.pk).exists() is sees

    def test_a_party_that_never_signed_does_not_see_it(self, cast):
        invited = PartyFactory(agreement=cast.agreement, status=PartyStatus.INVITED)
        manager = cast.member(invited.organisation, Role.GOVERNANCE_MANAGER)
        breach = record(cast)

        assert not selectors.breaches_visible_to(manager).filter(pk=breach.pk).exists()


class TestBreachesListed:
    def test_filters_open_closed_and_overdue(self, cast):
        overdue = record(cast)
        on_time = record(cast, discovered_at=at(2026, 6, 8, 9), now=at(2026, 6, 8, 10), personal_data_breach=False)
        closed = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)
        services.breach_close(breach=closed, closed_on=D(2026, 5, 29), on=D(2026, 5, 29))
        visible = selectors.breaches_visible_to(cast.governance_manager)
        now = at(2026, 6, 9, 12)

        def listed(status):
            return [breach.pk for breach in selectors.breaches_listed(visible, status=status, now=now)]

        assert listed("") == [on_time.pk, closed.pk, overdue.pk]
        assert listed(selectors.BREACH_OPEN) == [on_time.pk, overdue.pk]
        assert listed(selectors.BREACH_OVERDUE) == [overdue.pk]
        assert listed(selectors.BREACH_CLOSED) == [closed.pk]

    def test_each_carries_its_next_deadline(self, cast):
        record(cast)

        listed = selectors.breaches_listed(selectors.breaches_visible_to(cast.spoc), now=RECORDED)

        assert listed[0].next_deadline.key == "ico"
        assert listed[0].overdue is False


class TestBreachDeadlinesPending:
    def test_steps_not_done_of_open_breaches_earliest_first(self, cast):
        breach = record(cast)
        closed = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)
        services.breach_close(breach=closed, closed_on=D(2026, 5, 29), on=D(2026, 5, 29))

        pending = selectors.breach_deadlines_pending(now=RECORDED)

        assert [(b.pk, item.key) for b, item in pending] == [
            (breach.pk, "ico"), (breach.pk, "report"), (breach.pk, "meeting"),
        ]

    def test_narrowed_to_what_a_user_may_see(self, cast):
        record(cast)

        assert selectors.breach_deadlines_pending(selectors.breaches_visible_to(cast.unrelated), now=RECORDED) == []


class TestNotificationsToAcknowledge:
    def test_a_spoc_sees_their_partys_notices_until_acknowledged(self, cast):
        breach = record(cast)
        notification = breach.notifications.get()

        assert list(selectors.breach_notifications_to_acknowledge(cast.spoc)) == [notification]
        assert list(selectors.breach_notifications_to_acknowledge(cast.auditor)) == []

        services.breach_acknowledge(notification=notification, by_user=cast.spoc, now=RECORDED)

        assert list(selectors.breach_notifications_to_acknowledge(cast.spoc)) == []

    def test_a_person_named_as_the_partys_spoc_sees_them_too(self, cast):
        contact = ContactFactory(organisation=cast.partner, user=cast.lead_signatory)
        party_contact_add(party=cast.partner_party, contact=contact, role=ContactRole.SPOC)
        breach = record(cast)

        assert list(selectors.breach_notifications_to_acknowledge(cast.lead_signatory)) == [
            breach.notifications.get(),
        ]


# What follows ----------------------------------------------------------------------------------


class TestAcknowledge:
    def test_the_partners_spoc_acknowledges_for_the_partner(self, cast):
        notification = record(cast).notifications.get()
        when = at(2026, 5, 26, 9, 15)

        services.breach_acknowledge(notification=notification, by_user=cast.spoc, now=when)

        notification.refresh_from_db()
        assert (notification.acknowledged_at, notification.acknowledged_by) == (when, cast.spoc)

    def test_twice_is_refused(self, cast):
        notification = record(cast).notifications.get()
        services.breach_acknowledge(notification=notification, by_user=cast.spoc, now=at(2026, 5, 26, 9, 15))

        with pytest.raises(ValidationError) as caught:
            services.breach_acknowledge(notification=notification, by_user=cast.spoc, now=at(2026, 5, 27))

        assert caught.value.messages == ["Borsetshire Police acknowledged this breach on 26 May 2026 at 9:15am"]

    def test_someone_who_is_not_its_spoc_cannot_acknowledge(self, cast):
        notification = record(cast).notifications.get()

        with pytest.raises(ValidationError) as caught:
            services.breach_acknowledge(notification=notification, by_user=cast.auditor, now=RECORDED)

        assert caught.value.messages == ["Only Borsetshire Police's SPOC can acknowledge it for Borsetshire Police"]
        notification.refresh_from_db()
        assert notification.acknowledged_at is None


def progress(breach, **overrides):
    arguments = {
        "report_received_on": None, "report_summary": "", "meeting_held_on": None, "minutes_circulated_on": None,
        "actions": "", "sanctions": "", "on": D(2026, 7, 1), **overrides,
    }
    return services.breach_progress_update(breach=breach, **arguments)


class TestProgress:
    def test_records_the_report_meeting_minutes_actions_and_sanctions(self, cast):
        breach = record(cast)

        progress(
            breach, report_received_on=D(2026, 6, 4), report_summary="Sent to a shared mailbox. ",
            meeting_held_on=D(2026, 6, 18), minutes_circulated_on=D(2026, 6, 23),
            actions="Retrain the team.", sanctions="None.",
        )

        breach.refresh_from_db()
        assert (breach.report_received_on, breach.report_summary, breach.meeting_held_on,
                breach.minutes_circulated_on, breach.actions, breach.sanctions) == (
            D(2026, 6, 4), "Sent to a shared mailbox.", D(2026, 6, 18), D(2026, 6, 23), "Retrain the team.", "None.",
        )
        assert [item.done for item in selectors.breach_deadlines(breach, now=at(2026, 7, 1))][1:4] == [
            D(2026, 6, 4), D(2026, 6, 18), D(2026, 6, 23),
        ]

    @pytest.mark.parametrize(("overrides", "errors"), [
        ({"report_received_on": D(2026, 7, 2)},
         {"report_received_on": ["The date the report was received must be today or in the past"]}),
        ({"meeting_held_on": D(2026, 5, 21)},
         {"meeting_held_on": ["The date of the meeting must be on or after the day the breach was discovered, "
                              "22 May 2026"]}),
        ({"minutes_circulated_on": D(2026, 6, 20)},
         {"minutes_circulated_on": ["Enter the date of the meeting before the date its minutes were circulated"]}),
        ({"meeting_held_on": D(2026, 6, 18), "minutes_circulated_on": D(2026, 6, 17)},
         {"minutes_circulated_on": ["The minutes cannot have been circulated before the meeting"]}),
        ({"report_summary": "It was sent to the wrong mailbox."},
         {"report_received_on": ["Enter the date the report was received"]}),
    ])
    def test_bad_dates_are_refused_and_nothing_is_saved(self, cast, overrides, errors):
        breach = record(cast)

        with pytest.raises(ValidationError) as caught:
            progress(breach, actions="Retrain the team.", **overrides)

        assert caught.value.message_dict == errors
        breach.refresh_from_db()
        assert (breach.actions, breach.meeting_held_on, breach.report_summary) == ("", None, "")

    def test_a_closed_breach_cannot_be_changed(self, cast):
        breach = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)
        services.breach_close(breach=breach, closed_on=D(2026, 5, 29), on=D(2026, 5, 29))

        with pytest.raises(ValidationError) as caught:
            progress(breach, actions="Too late.")

        assert caught.value.messages == ["This near miss was closed on 29 May 2026: it can no longer be changed"]


class TestIcoDecision:
    def test_reported_at_a_time(self, cast):
        breach = record(cast)

        services.breach_ico_record(breach=breach, reported=True, reported_at=at(2026, 5, 23, 11), now=at(2026, 5, 24))

        breach.refresh_from_db()
        assert (breach.ico_reported_at, breach.ico_not_reported_reason, breach.ico_decided_at) == (
            at(2026, 5, 23, 11), "", at(2026, 5, 24),
        )

    def test_reporting_after_deciding_not_to_clears_the_reason(self, cast):
        breach = record(cast)
        services.breach_ico_record(breach=breach, reported=False, not_reported_reason="Low risk.", now=at(2026, 5, 23))

        services.breach_ico_record(breach=breach, reported=True, reported_at=at(2026, 5, 24, 8), now=at(2026, 5, 24, 9))

        breach.refresh_from_db()
        assert (breach.ico_reported_at, breach.ico_not_reported_reason) == (at(2026, 5, 24, 8), "")

    @pytest.mark.parametrize(("arguments", "errors"), [
        ({"reported": True, "reported_at": None},
         {"reported_at": ["Enter the date and time it was reported to the ICO"]}),
        ({"reported": True, "reported_at": at(2026, 5, 25)},
         {"reported_at": ["The date and time it was reported must be in the past"]}),
        ({"reported": True, "reported_at": at(2026, 5, 22, 10, 29)},
         {"reported_at": ["The time it was reported must be after the breach was discovered, 22 May 2026 at 10:30am"]}),
        ({"reported": False, "not_reported_reason": " "},
         {"not_reported_reason": ["Explain why the breach is not being reported to the ICO"]}),
    ])
    def test_bad_input_is_refused_and_nothing_is_saved(self, cast, arguments, errors):
        breach = record(cast)

        with pytest.raises(ValidationError) as caught:
            services.breach_ico_record(breach=breach, now=at(2026, 5, 24), **arguments)

        assert caught.value.message_dict == errors
        breach.refresh_from_db()
        assert (breach.ico_reported_at, breach.ico_decided_at) == (None, None)

    def test_a_breach_of_no_personal_data_is_not_reported_to_the_ico(self, cast):
        breach = record(cast, personal_data_breach=False)

        with pytest.raises(ValidationError) as caught:
            services.breach_ico_record(breach=breach, reported=True, reported_at=at(2026, 5, 23), now=at(2026, 5, 24))

        assert caught.value.messages == ["Only a personal data breach is reported to the ICO"]


class TestClose:
    def test_a_breach_closes_only_once_its_story_is_recorded(self, cast):
        breach = record(cast)

        with pytest.raises(ValidationError) as caught:
            services.breach_close(breach=breach, closed_on=D(2026, 6, 30), on=D(2026, 6, 30))

        assert caught.value.message_dict == {"closed_on": [
            "Record the report, the meeting, the minutes and whether it was reported to the ICO before closing "
            "this breach",
        ]}
        breach.refresh_from_db()
        assert breach.closed_on is None

    def test_a_breach_with_everything_recorded_closes(self, cast):
        breach = record(cast)
        progress(breach, report_received_on=D(2026, 6, 4), meeting_held_on=D(2026, 6, 18),
                 minutes_circulated_on=D(2026, 6, 23))
        services.breach_ico_record(breach=breach, reported=True, reported_at=at(2026, 5, 23), now=at(2026, 5, 24))

        services.breach_close(breach=breach, closed_on=D(2026, 6, 30), on=D(2026, 6, 30))

        breach.refresh_from_db()
        assert breach.closed_on == D(2026, 6, 30)

    def test_one_missing_step_is_named_alone(self, cast):
        breach = record(cast, personal_data_breach=False)
        progress(breach, report_received_on=D(2026, 6, 4), meeting_held_on=D(2026, 6, 18))

        with pytest.raises(ValidationError) as caught:
            services.breach_close(breach=breach, closed_on=D(2026, 6, 30), on=D(2026, 6, 30))

        assert caught.value.messages == ["Record the minutes before closing this breach"]

    def test_a_near_miss_closes_at_any_time(self, cast):
        near_miss = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)

        services.breach_close(breach=near_miss, closed_on=D(2026, 5, 22), on=D(2026, 5, 22))

        assert Breach.objects.get(pk=near_miss.pk).closed_on == D(2026, 5, 22)

    @pytest.mark.parametrize(("closed_on", "message"), [
        (D(2026, 5, 30), "The date it was closed must be today or in the past"),
        (D(2026, 5, 21), "The date it was closed must be on or after the day the breach was discovered, 22 May 2026"),
    ])
    def test_a_date_outside_its_story_is_refused(self, cast, closed_on, message):
        near_miss = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)

        with pytest.raises(ValidationError) as caught:
            services.breach_close(breach=near_miss, closed_on=closed_on, on=D(2026, 5, 29))

        assert caught.value.message_dict == {"closed_on": [message]}

    def test_closing_twice_is_refused(self, cast):
        near_miss = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)
        services.breach_close(breach=near_miss, closed_on=D(2026, 5, 29), on=D(2026, 5, 29))

        with pytest.raises(ValidationError) as caught:
            services.breach_close(breach=near_miss, closed_on=D(2026, 5, 29), on=D(2026, 5, 29))

        assert caught.value.messages == ["This near miss was closed on 29 May 2026: it can no longer be changed"]


# Pages -----------------------------------------------------------------------------------------


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def recent(cast, **overrides) -> Breach:
    """A breach discovered 45 days ago: its report, meeting and ICO clock are all overdue, even across
    Christmas and Easter."""
    now = timezone.now()
    return record(cast, **{"discovered_at": now - datetime.timedelta(days=45), "now": now, **overrides})


class TestPages:
    def test_the_list_marks_an_overdue_breach_and_filters(self, client, cast, sign_in):
        overdue = recent(cast)
        sign_in(client, cast.governance_manager)

        content = client.get(reverse("breaches:list")).content.decode()
        closed_only = client.get(reverse("breaches:list"), {"status": "closed"}).content.decode()

        assert f'href="/breaches/{overdue.pk}/"' in content
        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in content
        assert 'aria-current="page" href="/breaches/">All</a>' in content
        assert f'href="/breaches/{overdue.pk}/"' not in closed_only

    def test_an_empty_form_shows_the_error_summary_and_saves_nothing(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("breaches:create"), {})

        summary = error_summary(response)
        for message in (
            "Choose the agreement that was breached", "Select whether it is a breach or a near miss",
            "Enter the date it was discovered", "Enter the time it was discovered", "Describe what happened",
            "Describe what data was involved", "Select yes if it is a personal data breach",
        ):
            assert message in summary
        assert Breach.objects.count() == 0

    def test_a_time_not_on_the_24_hour_clock_is_refused(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("breaches:create"), {"discovered_time": "2.30pm"})

        assert "Enter the time it was discovered using the 24-hour clock, for example 14:30" in error_summary(response)

    def test_a_service_refusal_shows_on_its_field(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = client.post(reverse("breaches:create"), {
            "agreement": cast.agreement.pk, "reporting_organisation": cast.owner.pk, "kind": "breach",
            **date_fields("discovered_at", tomorrow), "discovered_time": "09:00",
            "description": DESCRIPTION, "data_involved": DATA, "personal_data_breach": "no",
        })

        assert '<a href="#id_discovered_at-day">The date and time it was discovered must be in the past</a>' in (
            error_summary(response)
        )
        assert Breach.objects.count() == 0

    def test_recording_goes_to_the_breach_and_tells_the_partner(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)
        yesterday = timezone.localdate() - datetime.timedelta(days=1)

        response = client.post(reverse("breaches:create"), {
            "agreement": cast.agreement.pk, "reporting_organisation": cast.owner.pk, "kind": "breach",
            **date_fields("discovered_at", yesterday), "discovered_time": "14:30",
            "description": DESCRIPTION, "data_involved": DATA, "personal_data_breach": "yes",
        })

        breach = Breach.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/breaches/{breach.pk}/"
        assert timezone.localtime(breach.discovered_at).replace(tzinfo=None) == datetime.datetime.combine(
            yesterday, datetime.time(14, 30),
        )
        assert breach.notifications.get().party == cast.partner_party

    def test_the_page_shows_the_deadlines_and_the_ico_time(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        content = client.get(breach.get_absolute_url()).content.decode()

        ico_due = timezone.localtime(breach.discovered_at + datetime.timedelta(hours=72))
        assert f"{ico_due:%A} {ico_due.day} {ico_due:%B %Y, %H:%M}" in content
        assert "Overdue – Report from the partner in breach (within 10 working days): due by" in content
        assert content.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 3
        assert reverse("breaches:progress", args=[breach.pk]) in content
        assert "Acknowledge for Borsetshire Police" not in content

    def test_the_partners_spoc_acknowledges_from_the_page(self, client, cast, sign_in):
        breach = recent(cast)
        notification = breach.notifications.get()
        sign_in(client, cast.spoc)
        url = reverse("breaches:acknowledge", args=[breach.pk, notification.pk])

        page = client.get(breach.get_absolute_url()).content.decode()
        response = client.post(url)

        assert "Acknowledge for Borsetshire Police" in page
        assert reverse("breaches:progress", args=[breach.pk]) not in page
        assert response["Location"] == breach.get_absolute_url()
        notification.refresh_from_db()
        assert notification.acknowledged_by == cast.spoc

    def test_bad_progress_shows_the_error_summary_and_changes_nothing(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("breaches:progress", args=[breach.pk]), {
            **date_fields("minutes_circulated_on", timezone.localdate()), "actions": "Retrain the team.",
        })

        assert "Enter the date of the meeting before the date its minutes were circulated" in error_summary(response)
        breach.refresh_from_db()
        assert breach.actions == ""

    def test_the_ico_page_wants_the_date_and_time_when_reported(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("breaches:ico", args=[breach.pk]), {"reported": "yes"})

        summary = error_summary(response)
        assert "Enter the date it was reported to the ICO" in summary
        assert "Enter the time it was reported to the ICO" in summary

    def test_closing_too_soon_shows_what_is_missing(self, client, cast, sign_in):
        breach = recent(cast, personal_data_breach=False)
        sign_in(client, cast.governance_manager)

        response = client.post(
            reverse("breaches:close", args=[breach.pk]), date_fields("closed_on", timezone.localdate()),
        )

        assert "Record the report, the meeting and the minutes before closing this breach" in error_summary(response)

    @pytest.mark.parametrize(("subject", "shown"), [("spoc", True), ("auditor", True), ("practitioner", False)])
    def test_breaches_are_in_the_navigation_of_those_who_may_read_them(self, client, cast, sign_in, subject, shown):
        sign_in(client, cast.subject(subject))

        items = [item["text"] for item in client.get("/").context["nav_items"]]

        assert ("Breaches" in items) is shown


class TestJurisdiction:
    def test_an_agreement_is_under_english_and_welsh_bank_holidays_unless_told_otherwise(self, cast):
        assert cast.agreement.jurisdiction == Jurisdiction.ENGLAND_AND_WALES

    def test_the_details_task_sets_it_and_leaves_it_when_not_given(self, cast):
        draft = cast.draft
        details = {
            "agreement": draft, "by_user": cast.governance_manager, "title": draft.title,
            "reference": draft.reference, "kind": draft.kind, "parent": None,
            "protective_marking": draft.protective_marking,
        }

        services.agreement_details_update(**details, jurisdiction=Jurisdiction.SCOTLAND)
        services.agreement_details_update(**details)

        draft.refresh_from_db()
        assert draft.jurisdiction == Jurisdiction.SCOTLAND

    def test_the_details_page_offers_it(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        content = client.get(reverse("agreements:task_details", args=[cast.draft.pk])).content.decode()

        assert "Whose law and bank holidays apply?" in content
        assert 'value="northern_ireland"' in content
