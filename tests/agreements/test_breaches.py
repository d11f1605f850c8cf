"""Breaches and near misses (002 §6; agreements/models/breaches.py, services/breaches.py,
selectors/breaches.py): recording one tells the other partners, who acknowledge; its deadlines
in working days and the ICO's 72 hours; what follows, and closing; the rules the database holds.
The pages are in test_breaches_views.py.

Services and selectors take an explicit ``now``/``on``, so their clocks are frozen here."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import selectors, services
from agreements.models import (
    AffectedPeopleDecision,
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
from tests.agreements.helpers import DAY, EFFECTIVE
from tests.agreements.helpers.breaches import DATA, DESCRIPTION, PINNED, RECORDED, D, at, record
from tests.db import violates
from tests.factories import (
    ContactFactory,
    OrganisationFactory,
    PartyFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def by_key(deadlines) -> dict:
    return {item.key: item for item in deadlines}


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
        spoc = ContactFactory(organisation=leaving.organisation)
        party_contact_add(party=leaving, contact=spoc, role=ContactRole.SPOC)

        breach = record(cast, now=timezone.now(), discovered_at=timezone.now() - datetime.timedelta(hours=1))

        assert breach.notifications.filter(party=leaving).exists()

    def test_a_party_with_nobody_to_tell_is_not_recorded_as_told_and_says_so(self, cast):
        silent = PartyFactory(agreement=cast.agreement, signed=True, organisation=OrganisationFactory(
            name="Borsetshire Housing Trust"))

        breach = record(cast)

        assert [n.party for n in breach.notifications.all()] == [cast.partner_party]
        assert [notice.message for notice in selectors.breach_undelivered(breach)] == [
            "not delivered: Borsetshire Housing Trust has nobody to tell",
        ]
        assert not breach.notifications.filter(party=silent).exists()

    def test_other_partners_told_is_not_done_while_a_party_had_nobody_to_tell(self, cast):
        """Issue 13: "other partners told" was marked done when nobody was on record to tell."""
        PartyFactory(agreement=cast.agreement, signed=True)

        breach = record(cast)

        told = by_key(selectors.breach_deadlines(breach, now=RECORDED))["partners_told"]
        assert (told.done, told.overdue) == (None, False)
        later = by_key(selectors.breach_deadlines(breach, now=at(2026, 6, 2, 9)))["partners_told"]
        assert (later.done, later.overdue) == (None, True)

    def test_a_contact_without_an_email_or_a_login_reaches_nobody(self, cast):
        quiet = PartyFactory(agreement=cast.agreement, signed=True)
        party_contact_add(party=quiet, contact=ContactFactory(organisation=quiet.organisation, email=""),
                          role=ContactRole.SPOC)

        breach = record(cast)

        assert not breach.notifications.filter(party=quiet).exists()
        assert selectors.breach_undelivered(breach).get().organisation == quiet.organisation

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

    def test_one_working_day_is_said_so(self, cast):
        # The Safe and Well trial (P16): "Other partners told (within 1 working days)".
        cast.agreement.breach_notify_working_days = 1
        cast.agreement.save(update_fields=["breach_notify_working_days"])
        breach = record(cast)

        [told] = [item for item in selectors.breach_deadlines(breach, now=RECORDED) if item.key == "partners_told"]

        assert told.label == "Other partners told (within 1 working day)"

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

    def test_an_agreement_that_sets_no_clock_has_only_partners_told_with_no_due_date_and_the_ico(self, cast):
        # Issue 13 item 11: 002 §6's 5/10/20/5 working days bind only an agreement that sets them.
        Agreement.objects.filter(pk=cast.agreement.pk).update(
            breach_notify_working_days=None, breach_report_working_days=None,
            breach_meeting_working_days=None, breach_minutes_working_days=None,
        )
        cast.agreement.refresh_from_db()
        breach = record(cast)

        deadlines = selectors.breach_deadlines(breach, now=at(2026, 12, 1))

        # UK GDPR's 72 hours to the ICO stay, whatever the agreement sets.
        assert [(item.key, item.label, item.due, item.done, item.overdue) for item in deadlines] == [
            ("partners_told", "Other partners told (no time limit set by this agreement)", None, D(2026, 5, 22), False),
            ("ico", "Reported to the ICO, or the decision not to report it recorded (within 72 hours)",
             at(2026, 5, 25, 10, 30), None, True),
        ]

    def test_without_undue_delay_has_no_working_day_due_date(self, cast):
        # 004 App. B 1.3: "notify the other Partner Agencies without undue delay".
        Agreement.objects.filter(pk=cast.agreement.pk).update(
            breach_notify_working_days=None, breach_notify_without_undue_delay=True,
            breach_report_working_days=None, breach_meeting_working_days=None, breach_minutes_working_days=None,
        )
        cast.agreement.refresh_from_db()
        breach = record(cast)

        told = by_key(selectors.breach_deadlines(breach, now=at(2026, 12, 1)))["partners_told"]

        assert (told.label, told.due) == ("Other partners told (without undue delay)", None)
        assert cast.agreement.breach_notice_text == "Without undue delay"

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
        services.breach_affected_record(
            breach=breach, high_risk=True, decision=AffectedPeopleDecision.TOLD, told_on=D(2026, 5, 26),
            by_user=cast.governance_manager, now=at(2026, 5, 26),
        )

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


@pytest.fixture
def breach():
    party = PartyFactory(signed=True)
    return Breach.objects.create(
        agreement=party.agreement, reporting_organisation=party.organisation,
        discovered_at=timezone.now(), description="An e-mail sent to the wrong team.",
    )


class TestBreach:
    def test_ico_cannot_be_told_before_the_breach_was_discovered(self, breach):
        with violates(Breach, "breach_ico_report_after_discovery"):
            Breach.objects.filter(pk=breach.pk).update(
                ico_reported_at=breach.discovered_at - datetime.timedelta(minutes=1),
            )

    def test_ico_may_be_told_at_discovery(self, breach):
        Breach.objects.filter(pk=breach.pk).update(ico_reported_at=breach.discovered_at)

        breach.refresh_from_db()
        assert breach.ico_reported_at == breach.discovered_at

    def test_a_breach_is_not_both_reported_to_the_ico_and_not_reported(self, breach):
        with violates(Breach, "breach_ico_reported_or_reason_not"):
            Breach.objects.filter(pk=breach.pk).update(
                ico_reported_at=breach.discovered_at, ico_not_reported_reason="Low risk.",
            )

    def test_minutes_need_a_meeting(self, breach):
        with violates(Breach, "breach_minutes_after_meeting"):
            Breach.objects.filter(pk=breach.pk).update(minutes_circulated_on=EFFECTIVE)

    def test_minutes_cannot_come_before_the_meeting(self, breach):
        with violates(Breach, "breach_minutes_after_meeting"):
            Breach.objects.filter(pk=breach.pk).update(meeting_held_on=EFFECTIVE, minutes_circulated_on=EFFECTIVE - DAY)

    def test_minutes_on_the_day_of_the_meeting_are_accepted(self, breach):
        Breach.objects.filter(pk=breach.pk).update(meeting_held_on=EFFECTIVE, minutes_circulated_on=EFFECTIVE)

        breach.refresh_from_db()
        assert breach.minutes_circulated_on == EFFECTIVE


class TestBreachNotification:
    def test_party_is_notified_of_a_breach_once(self, breach):
        party = breach.agreement.parties.get()
        BreachNotification.objects.create(breach=breach, party=party, notified_at=timezone.now())

        with violates(BreachNotification, "breach_notified_once_per_party"):
            BreachNotification.objects.create(breach=breach, party=party, notified_at=timezone.now())

    def test_acknowledgement_cannot_come_before_the_notice(self, breach):
        notified_at = timezone.now()

        with violates(BreachNotification, "breach_acknowledged_after_notice"):
            BreachNotification.objects.create(
                breach=breach, party=breach.agreement.parties.get(), notified_at=notified_at,
                acknowledged_at=notified_at - datetime.timedelta(minutes=1),
            )

    def test_acknowledgement_after_the_notice_is_accepted(self, breach):
        notified_at = timezone.now()

        BreachNotification.objects.create(
            breach=breach, party=breach.agreement.parties.get(), notified_at=notified_at,
            acknowledged_at=notified_at + datetime.timedelta(hours=2),
        )

        assert breach.notifications.count() == 1


def affected(breach, by_user, **overrides) -> Breach:
    arguments = {
        "breach": breach, "high_risk": True, "decision": AffectedPeopleDecision.TOLD, "told_on": D(2026, 5, 26),
        "note": "", "by_user": by_user, "now": at(2026, 5, 26, 12), **overrides,
    }
    return services.breach_affected_record(**arguments)


class TestAffectedPeople:
    """The Article 34 decision on telling the people a personal data breach affects."""

    def test_high_risk_and_told_on_a_day(self, cast):
        breach = record(cast)

        affected(breach, cast.governance_manager, note=" Letters sent by the council. ")

        breach.refresh_from_db()
        assert (breach.affected_high_risk, breach.affected_decision, breach.affected_told_on, breach.affected_note) == (
            True, AffectedPeopleDecision.TOLD, D(2026, 5, 26), "Letters sent by the council.",
        )
        assert (breach.affected_decided_at, breach.affected_decided_by) == (
            at(2026, 5, 26, 12), cast.governance_manager,
        )
        assert breach.affected_decided is True
        assert breach.history.first().affected_decision == AffectedPeopleDecision.TOLD

    def test_not_high_risk_with_its_reason_sets_no_decision_and_no_date(self, cast):
        breach = record(cast)

        affected(breach, cast.governance_manager, high_risk=False, note="Names only, sent to another council.")

        breach.refresh_from_db()
        assert (breach.affected_high_risk, breach.affected_decision, breach.affected_told_on) == (False, "", None)
        assert breach.affected_decided is True

    @pytest.mark.parametrize(("decision", "note"), [
        (AffectedPeopleDecision.UNINTELLIGIBLE, "The laptop's disk was encrypted (AES-256)."),
        (AffectedPeopleDecision.MEASURES, "The recipient deleted the e-mail unread, confirmed in writing."),
    ])
    def test_not_told_on_an_article_34_3_ground_with_its_reason(self, cast, decision, note):
        breach = record(cast)

        affected(breach, cast.governance_manager, decision=decision, told_on=D(2026, 5, 26), note=note)

        breach.refresh_from_db()
        assert (breach.affected_decision, breach.affected_told_on, breach.affected_note) == (decision, None, note)

    def test_a_public_communication_instead_with_its_date_and_where(self, cast):
        breach = record(cast)

        affected(breach, cast.governance_manager, decision=AffectedPeopleDecision.PUBLIC_NOTICE,
                 told_on=D(2026, 5, 27), note="Notice on the council's website.", now=at(2026, 5, 27, 12))

        breach.refresh_from_db()
        assert (breach.affected_decision, breach.affected_told_on) == (AffectedPeopleDecision.PUBLIC_NOTICE,
                                                                      D(2026, 5, 27))

    def test_high_risk_still_to_decide_is_awaited(self, cast):
        breach = record(cast)

        affected(breach, cast.governance_manager, decision="", told_on=None)

        breach.refresh_from_db()
        assert (breach.affected_high_risk, breach.affected_decision, breach.affected_decided_at) == (True, "", None)
        assert breach.affected_decision_awaited is True
        assert list(selectors.affected_decisions_awaited()) == [breach]

    @pytest.mark.parametrize(("overrides", "errors"), [
        ({"high_risk": None},
         {"high_risk": ["Select whether it is likely to result in a high risk to the people affected"]}),
        ({"high_risk": False},
         {"note": ["Explain why it is unlikely to result in a high risk to the people affected"]}),
        ({"told_on": None}, {"told_on": ["Enter the date the people affected were told"]}),
        ({"told_on": D(2026, 5, 27)}, {"told_on": ["The date they were told must be today or in the past"]}),
        ({"told_on": D(2026, 5, 21)}, {"told_on": [
            "The date they were told must be on or after the day the breach was discovered, 22 May 2026",
        ]}),
        ({"decision": AffectedPeopleDecision.UNINTELLIGIBLE},
         {"note": ["Explain how the data were protected, for example how they were encrypted"]}),
        ({"decision": AffectedPeopleDecision.MEASURES},
         {"note": ["Explain what was done since, and why the high risk is no longer likely"]}),
        ({"decision": AffectedPeopleDecision.PUBLIC_NOTICE, "told_on": None}, {
            "told_on": ["Enter the date the public communication was made"],
            "note": ["Say how and where the public communication was made"],
        }),
        ({"decision": "maybe"}, {"decision": ["Select whether the people affected were told, or why not"]}),
    ])
    def test_bad_input_is_refused_and_nothing_is_saved(self, cast, overrides, errors):
        breach = record(cast)

        with pytest.raises(ValidationError) as caught:
            affected(breach, cast.governance_manager, **overrides)

        assert caught.value.message_dict == errors
        breach.refresh_from_db()
        assert (breach.affected_high_risk, breach.affected_decision, breach.affected_decided_at) == (None, "", None)

    def test_only_a_personal_data_breach(self, cast):
        breach = record(cast, personal_data_breach=False)

        with pytest.raises(ValidationError) as caught:
            affected(breach, cast.governance_manager)

        assert caught.value.messages == [
            "Only a personal data breach is assessed for telling the people affected (UK GDPR Article 34)",
        ]
        breach.refresh_from_db()
        assert breach.affected_high_risk is None

    def test_not_once_closed(self, cast):
        breach = record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False)
        services.breach_close(breach=breach, closed_on=D(2026, 5, 29), on=D(2026, 5, 29))

        with pytest.raises(ValidationError) as caught:
            affected(breach, cast.governance_manager)

        assert caught.value.messages == ["This near miss was closed on 29 May 2026: it can no longer be changed"]

    def test_awaited_once_reported_to_the_ico_and_not_before(self, cast):
        breach = record(cast)
        assert breach.affected_decision_awaited is False

        services.breach_ico_record(breach=breach, reported=True, reported_at=at(2026, 5, 23), now=at(2026, 5, 24))

        breach.refresh_from_db()
        assert breach.affected_decision_awaited is True
        assert list(selectors.affected_decisions_awaited()) == [breach]
        affected(breach, cast.governance_manager)
        assert list(selectors.affected_decisions_awaited()) == []

    def test_a_breach_reported_to_the_ico_does_not_close_while_awaited(self, cast):
        breach = record(cast)
        progress(breach, report_received_on=D(2026, 6, 4), meeting_held_on=D(2026, 6, 18),
                 minutes_circulated_on=D(2026, 6, 23))
        services.breach_ico_record(breach=breach, reported=True, reported_at=at(2026, 5, 23), now=at(2026, 5, 24))

        with pytest.raises(ValidationError) as caught:
            services.breach_close(breach=breach, closed_on=D(2026, 6, 30), on=D(2026, 6, 30))

        assert caught.value.messages == ["Record whether the people affected were told before closing this breach"]
        breach.refresh_from_db()
        assert breach.closed_on is None


class TestAffectedPeopleConstraints:
    def test_a_decision_only_for_a_high_risk(self, breach):
        with violates(Breach, "breach_affected_decision_only_if_high_risk"):
            Breach.objects.filter(pk=breach.pk).update(affected_high_risk=False,
                                                       affected_decision=AffectedPeopleDecision.MEASURES)

    def test_a_date_only_when_told_or_a_public_communication_made(self, breach):
        with violates(Breach, "breach_affected_told_on_only_if_told"):
            Breach.objects.filter(pk=breach.pk).update(
                affected_high_risk=True, affected_decision=AffectedPeopleDecision.UNINTELLIGIBLE,
                affected_told_on=D(2026, 5, 26),
            )
