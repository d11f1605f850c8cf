"""The daily scheduler (isa_portal.scheduler, ``manage.py run_scheduler``): every reminder on its day
and not before, each sent once however often the run is repeated, a failed or interrupted step that
stops no other, and the calendar's leap days.

The clock is frozen (time-machine) on a Monday morning, the time the cron line runs it; ``run(day)``
moves it to 06:15 on ``day`` and runs every step.
"""

import datetime
import logging
import re
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from agreements.models import (
    Agreement,
    Breach,
    ContactRole,
    InformationRequest,
    PartyStatus,
    Review,
    ReviewTrigger,
    Status,
)
from agreements.services import party_contact_add
from isa_portal import chain_checks, scheduler
from partners.models import Notification, Role, UndeliveredNotice
from partners.services import notification_send
from sharing_log.models import Disclosure, LogCheckpoint
from tests.factories import ContactFactory, DisclosureFactory, MembershipFactory, OrganisationFactory, PartyFactory
from tests.sharing_log.helpers.database import chain_factory_rows, force_retention_due

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 3, 2, 6, 15, tzinfo=LONDON)
# Every test runs on Monday morning, and the module's shared standard cast is built then too.
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY, tick=False)]
TODAY = MONDAY.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def roles(roles):
    """The standard cast with a directory entry for each person reminders go to, and no
    scheduled review of its agreements for years: only what a test sets up is due."""
    Agreement.objects.filter(status=Status.IN_FORCE).update(next_review_due=datetime.date(2031, 3, 2))
    roles.gm_contact = ContactFactory(organisation=roles.owner, user=roles.governance_manager, name="Alex Example")
    roles.spoc_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example",
                                        details_confirmed_on=TODAY)
    roles.signatory_contact = ContactFactory(organisation=roles.partner, user=roles.lead_signatory,
                                             name="Jo Example")
    chain_factory_rows()  # the cast's entries as if logged through the service: the chain holds
    return roles


@pytest.fixture
def run(clock):
    def run(day: datetime.date) -> dict[str, int | None]:
        clock.move_to(datetime.datetime.combine(day, MONDAY.time(), tzinfo=LONDON), tick=False)
        return {result.name: result.count for result in scheduler.run_scheduler()}
    return run


@pytest.fixture
def run_weekly(clock):
    def run_weekly(day: datetime.date) -> dict[str, int | None]:
        clock.move_to(datetime.datetime.combine(day, MONDAY.time(), tzinfo=LONDON), tick=False)
        return {result.name: result.count for result in scheduler.run_scheduler(steps=scheduler.WEEKLY_STEPS)}
    return run_weekly


def sent(prefix: str) -> list[tuple[str, str]]:
    """(event key, recipient's name) of every notification whose key starts with ``prefix``."""
    return sorted(Notification.objects.filter(event_key__startswith=prefix).values_list(
        "event_key", "recipient__name"))


def open_review(roles, due_on: datetime.date) -> Review:
    return Review.objects.create(agreement=roles.agreement, trigger=ReviewTrigger.CHAIR_REQUEST, due_on=due_on,
                                 reason="The chair asked for a review of the data items.")


class TestReviewReminders:
    def test_due_in_30_days_in_7_days_and_overdue_each_on_its_day(self, roles, run):
        review = open_review(roles, due_on=TODAY + 40 * DAY)
        due = review.due_on
        prefix = f"review-{review.pk}-"

        run(due - 31 * DAY)
        assert sent(prefix) == []
        run(due - 30 * DAY)
        assert sent(prefix) == [(f"{prefix}due-in-30-days-{due}", "Alex Example")]
        run(due - 8 * DAY)
        assert len(sent(prefix)) == 1
        run(due - 7 * DAY)
        assert sent(prefix)[-1:] == [(f"{prefix}due-in-7-days-{due}", "Alex Example")]
        run(due)
        assert len(sent(prefix)) == 2
        run(due + DAY)
        assert (f"{prefix}overdue-{due}", "Alex Example") in sent(prefix)
        assert len(sent(prefix)) == 3

    def test_a_missed_day_is_caught_up_with_the_nearest_reminder_only(self, roles, run):
        review = open_review(roles, due_on=TODAY + 40 * DAY)

        run(review.due_on - 5 * DAY)

        assert [key for key, _ in sent(f"review-{review.pk}-")] == [f"review-{review.pk}-due-in-7-days-{review.due_on}"]

    def test_a_review_opened_within_30_days_is_not_reminded_of_what_its_opening_said(self, roles, run):
        review = open_review(roles, due_on=TODAY + 20 * DAY)

        run(TODAY)

        assert sent(f"review-{review.pk}-") == []

    def test_a_review_due_on_a_leap_day_is_reminded_on_30_january_and_overdue_on_1_march(self, roles, run):
        review = open_review(roles, due_on=datetime.date(2028, 2, 29))
        prefix = f"review-{review.pk}-"

        for day in (datetime.date(2028, 1, 29), datetime.date(2028, 1, 30)):
            run(day)
        assert [key for key, _ in sent(prefix)] == [f"{prefix}due-in-30-days-2028-02-29"]
        for day in (datetime.date(2028, 2, 22), datetime.date(2028, 2, 29), datetime.date(2028, 3, 1)):
            run(day)
        assert [key for key, _ in sent(prefix)] == [
            f"{prefix}due-in-30-days-2028-02-29", f"{prefix}due-in-7-days-2028-02-29", f"{prefix}overdue-2028-02-29",
        ]

    def test_a_completed_review_is_not_reminded_of(self, roles, run):
        review = open_review(roles, due_on=TODAY - DAY)
        Review.objects.filter(pk=review.pk).update(completed_on=TODAY - DAY, outcome="no_change")

        run(TODAY)

        assert sent(f"review-{review.pk}-") == []


class TestSignatureReminders:
    @pytest.fixture
    def invited(self, roles):
        council = OrganisationFactory(name="Felpersham District Council")
        signatory = MembershipFactory(organisation=council, role=Role.LEAD_SIGNATORY).user
        ContactFactory(organisation=council, user=signatory, name="Chris Signatory")
        return PartyFactory(agreement=roles.agreement, organisation=council, status=PartyStatus.INVITED,
                            invited_on=TODAY)

    def test_outstanding_after_14_days_to_the_signatory_and_the_owners_governance_managers(self, roles, run, invited):
        run(TODAY + 13 * DAY)
        assert sent(f"signature-{invited.pk}-") == []

        run(TODAY + 14 * DAY)

        assert {name for _, name in sent(f"signature-{invited.pk}-")} == {"Chris Signatory", "Alex Example"}

    def test_only_the_lead_signatory_is_sent_to_the_signing_page(self, roles, run, invited):
        run(TODAY + 14 * DAY)

        links = {
            notice.recipient.name: notice.url
            for notice in Notification.objects.filter(event_key__startswith=f"signature-{invited.pk}-")
        }
        assert links == {
            "Chris Signatory": f"/agreements/{roles.agreement.pk}/parties/{invited.pk}/sign/",
            "Alex Example": f"/agreements/{roles.agreement.pk}/signatures/",
        }

    def test_a_party_that_has_signed_is_not_chased(self, roles, run, invited):
        invited.status = PartyStatus.SIGNED
        invited.save(update_fields=["status"])

        run(TODAY + 20 * DAY)

        assert sent(f"signature-{invited.pk}-") == []


class TestSignatureRemindersAwaitingTheDpo:
    """With DPO review on (decision 0062, amended), a lead signatory who cannot sign yet is not
    reminded to sign: the party's DPO is reminded to review instead."""

    @pytest.fixture
    def invited(self, roles):
        from agreements.models import DpoReviewOutcome
        from agreements.services import agreement_version_create
        from agreements.services.dpo_reviews import dpo_review_record

        council = OrganisationFactory(name="Felpersham District Council")
        signatory = MembershipFactory(organisation=council, role=Role.LEAD_SIGNATORY).user
        ContactFactory(organisation=council, user=signatory, name="Chris Signatory")
        dpo = MembershipFactory(organisation=council, role=Role.GOVERNANCE_MANAGER).user
        ContactFactory(organisation=council, user=dpo, name="Dee Protection")
        party = PartyFactory(agreement=roles.agreement, organisation=council, status=PartyStatus.INVITED,
                             invited_on=TODAY)
        Agreement.objects.filter(pk=roles.agreement.pk).update(dpo_review_required=True)
        version = agreement_version_create(agreement=roles.agreement, label="2.0")

        def review(outcome, comments=""):
            dpo_review_record(party=party, version=version, user=dpo, outcome=outcome, comments=comments)
        party.review, party.outcomes = review, DpoReviewOutcome
        return party

    def test_the_dpo_is_reminded_to_review_and_the_signatory_is_not_reminded_to_sign(self, roles, run, invited):
        run(TODAY + 13 * DAY)
        assert sent(f"dpo-review-{invited.pk}-") == []

        run(TODAY + 14 * DAY)

        assert sent(f"signature-{invited.pk}-") == []
        links = {notice.recipient.name: (notice.subject, notice.url)
                 for notice in Notification.objects.filter(event_key__startswith=f"dpo-review-{invited.pk}-")}
        assert links == {
            "Dee Protection": ("Felpersham District Council's DPO review of version 2.0 is awaited",
                               f"/agreements/{roles.agreement.pk}/parties/{invited.pk}/dpo-review/"),
            "Alex Example": ("Felpersham District Council's DPO review of version 2.0 is awaited",
                             f"/agreements/{roles.agreement.pk}/signatures/"),
        }

    def test_once_the_dpo_is_content_the_signatory_is_reminded_to_sign(self, roles, run, invited):
        invited.review(invited.outcomes.CONTENT_TO_SIGN)

        run(TODAY + 14 * DAY)

        assert sent(f"dpo-review-{invited.pk}-") == []
        # Dee, its governance manager, stands in for the SPOC it has not named.
        assert {name for _, name in sent(f"signature-{invited.pk}-")} == {
            "Chris Signatory", "Alex Example", "Dee Protection"}

    def test_a_dpo_who_found_changes_needed_is_not_reminded_nor_the_signatory(self, roles, run, invited):
        invited.review(invited.outcomes.CHANGES_NEEDED, "Clause 4 is too wide.")

        run(TODAY + 20 * DAY)

        assert sent(f"dpo-review-{invited.pk}-") == []
        assert sent(f"signature-{invited.pk}-") == []


class TestSpocDetailsReminders:
    def test_unconfirmed_for_six_months_to_the_spoc(self, roles, run):
        roles.spoc_contact.details_confirmed_on = datetime.date(2025, 9, 2)
        roles.spoc_contact.save(update_fields=["details_confirmed_on"])

        run(TODAY - DAY)
        assert sent(f"spoc-details-{roles.spoc_contact.pk}-") == []
        run(TODAY)

        assert sent(f"spoc-details-{roles.spoc_contact.pk}-") == [
            (f"spoc-details-{roles.spoc_contact.pk}-unconfirmed-2026-03-02", "Sam Example"),
        ]

    def test_confirmed_on_31_august_is_due_again_on_the_leap_day(self, roles, run):
        roles.spoc_contact.details_confirmed_on = datetime.date(2023, 8, 31)
        roles.spoc_contact.save(update_fields=["details_confirmed_on"])

        run(datetime.date(2024, 2, 28))
        assert sent("spoc-details-") == []
        run(datetime.date(2024, 2, 29))

        assert [key for key, _ in sent("spoc-details-")] == [
            f"spoc-details-{roles.spoc_contact.pk}-unconfirmed-2024-02-29",
        ]

    def test_a_spoc_without_a_login_is_chased_through_their_governance_managers(self, roles, run):
        gm = MembershipFactory(organisation=roles.partner, role=Role.GOVERNANCE_MANAGER).user
        ContactFactory(organisation=roles.partner, user=gm, name="Morgan Manager")
        named = ContactFactory(organisation=roles.partner, name="Pat Paper", details_confirmed_on=TODAY - 200 * DAY)
        from agreements.models import ContactRole
        from agreements.services import party_contact_add

        party_contact_add(party=roles.partner_party, contact=named, role=ContactRole.SPOC)

        run(TODAY)

        assert {name for _, name in sent(f"spoc-details-{named.pk}-")} == {"Pat Paper", "Morgan Manager"}


class TestIcoReminders:
    def test_renewal_due_in_30_days_and_lapsed(self, roles, run):
        roles.owner.ico_renewal_date = TODAY + 30 * DAY
        roles.owner.save(update_fields=["ico_renewal_date"])
        prefix = f"ico-{roles.owner.pk}-"

        run(TODAY - DAY)
        assert sent(prefix) == []
        run(TODAY)
        assert sent(prefix) == [(f"{prefix}renewal-due-2026-04-01", "Alex Example")]
        run(TODAY + 30 * DAY)
        assert len(sent(prefix)) == 1
        run(TODAY + 31 * DAY)
        assert sent(prefix) == [(f"{prefix}lapsed-2026-04-01", "Alex Example"),
                                (f"{prefix}renewal-due-2026-04-01", "Alex Example")]

    def test_a_renewal_on_a_leap_day_lapses_on_1_march(self, roles, run):
        roles.owner.ico_renewal_date = datetime.date(2028, 2, 29)
        roles.owner.save(update_fields=["ico_renewal_date"])

        run(datetime.date(2028, 1, 29))
        assert sent(f"ico-{roles.owner.pk}-") == []
        run(datetime.date(2028, 1, 30))
        run(datetime.date(2028, 2, 29))
        run(datetime.date(2028, 3, 1))

        assert [key for key, _ in sent(f"ico-{roles.owner.pk}-")] == [
            f"ico-{roles.owner.pk}-lapsed-2028-02-29", f"ico-{roles.owner.pk}-renewal-due-2028-02-29",
        ]


class TestBreachReminders:
    """A breach discovered on Friday 22 May 2026, before the late May bank holiday (Monday 25
    May): its report is due on the tenth working day after, Monday 8 June."""

    FRIDAY = datetime.datetime(2026, 5, 22, 10, 0, tzinfo=LONDON)

    @pytest.fixture
    def breach(self, roles, clock):
        clock.move_to(self.FRIDAY, tick=False)
        return Breach.objects.create(
            agreement=roles.agreement, reporting_organisation=roles.partner, discovered_at=self.FRIDAY,
            description="A referral was e-mailed to the wrong team.", personal_data_breach=True,
        )

    def test_the_report_is_warned_of_one_working_day_before_and_chased_when_missed(self, roles, run, breach):
        prefix = f"breach-{breach.pk}-report-"

        run(datetime.date(2026, 6, 4))
        assert sent(prefix) == []
        run(datetime.date(2026, 6, 5))  # Friday: the next working day is Monday 8 June, when it is due
        assert sent(prefix) == [(f"{prefix}due-2026-06-08", "Alex Example"), (f"{prefix}due-2026-06-08", "Sam Example")]
        run(datetime.date(2026, 6, 8))
        assert len(sent(prefix)) == 2
        run(datetime.date(2026, 6, 9))
        assert {key for key, _ in sent(prefix)} == {f"{prefix}due-2026-06-08", f"{prefix}overdue"}

    def test_the_icos_72_hours_are_warned_of_the_day_before_they_end(self, roles, run, breach):
        prefix = f"breach-{breach.pk}-ico-"

        run(datetime.date(2026, 5, 23))
        assert sent(prefix) == []
        run(datetime.date(2026, 5, 24))  # 72 hours end on Monday at 10:00
        assert {key for key, _ in sent(prefix)} == {f"{prefix}due-2026-05-25"}
        run(datetime.date(2026, 5, 26))
        assert {key for key, _ in sent(prefix)} == {f"{prefix}due-2026-05-25", f"{prefix}overdue"}

    def test_a_closed_breach_is_not_chased(self, roles, run, breach):
        Breach.objects.filter(pk=breach.pk).update(closed_on=datetime.date(2026, 5, 29))

        run(datetime.date(2026, 6, 9))

        assert sent(f"breach-{breach.pk}-") == []


class TestRequestReminders:
    def test_warned_5_days_before_and_chased_the_day_after(self, roles, run):
        request = InformationRequest.objects.create(
            kind="subject_access", agreement=roles.agreement, party=roles.partner_party, routed_to=roles.partner,
            received_on=TODAY, due_on=TODAY + 30 * DAY, description="Records shared about the requester.",
        )
        prefix = f"request-{request.pk}-"

        run(request.due_on - 6 * DAY)
        assert sent(prefix) == []
        run(request.due_on - 5 * DAY)
        assert sent(prefix) == [(f"{prefix}due-soon-{request.due_on}", "Sam Example")]
        run(request.due_on)
        assert len(sent(prefix)) == 1
        run(request.due_on + DAY)
        assert sent(prefix) == [(f"{prefix}due-soon-{request.due_on}", "Sam Example"),
                                (f"{prefix}overdue-{request.due_on}", "Sam Example")]


class TestWithdrawals:
    def test_warned_7_days_before_and_completed_on_the_day(self, roles, run):
        party = roles.partner_party
        party.status, party.withdrawal_notified_on = PartyStatus.WITHDRAWAL_NOTIFIED, TODAY
        party.withdrawal_effective_on = TODAY + 40 * DAY
        party.save()
        prefix = f"party-{party.pk}-withdrawal-in-7-days-"

        run(party.withdrawal_effective_on - 8 * DAY)
        assert sent(prefix) == []
        run(party.withdrawal_effective_on - 7 * DAY)
        assert {name for _, name in sent(prefix)} == {"Alex Example", "Sam Example"}
        assert run(party.withdrawal_effective_on)["withdrawals"] == 1

        party.refresh_from_db()
        assert party.status == PartyStatus.WITHDRAWN


    def test_a_party_with_nobody_to_tell_is_recorded_and_shown_not_skipped(self, roles, run):
        # Review of issue 13, item 2: a party in force with nobody to tell missed the reminder silently.
        party = roles.partner_party
        party.status, party.withdrawal_notified_on = PartyStatus.WITHDRAWAL_NOTIFIED, TODAY
        party.withdrawal_effective_on = TODAY + 40 * DAY
        party.save()
        roles.spoc_contact.delete()
        key = f"party-{party.pk}-withdrawal-in-7-days-{party.withdrawal_effective_on:%Y-%m-%d}"

        assert run(party.withdrawal_effective_on - 7 * DAY)["withdrawal_reminders"] == 1

        assert sent(key) == [(key, "Alex Example")]
        (undelivered,) = UndeliveredNotice.objects.all()
        assert (undelivered.organisation, undelivered.responsible_organisation, undelivered.event_key) == (
            roles.partner, roles.owner, key)
        assert undelivered.message == "not delivered: Borsetshire Police has nobody to tell"


    def test_an_owner_that_is_a_party_told_through_its_spoc_is_not_nobody_to_tell(self, roles, run):
        party = roles.partner_party
        party.status, party.withdrawal_notified_on = PartyStatus.WITHDRAWAL_NOTIFIED, TODAY
        party.withdrawal_effective_on = TODAY + 40 * DAY
        party.save()
        roles.gm_contact.delete()  # the owner's governance manager has no directory entry…
        spoc = ContactFactory(organisation=roles.owner, name="Chris Example", email="chris@example.org")
        party_contact_add(party=roles.owner_party, contact=spoc, role=ContactRole.SPOC)  # …its named SPOC has
        key = f"party-{party.pk}-withdrawal-in-7-days-{party.withdrawal_effective_on:%Y-%m-%d}"

        run(party.withdrawal_effective_on - 7 * DAY)

        assert sent(key) == [(key, "Chris Example"), (key, "Sam Example")]
        assert UndeliveredNotice.objects.count() == 0


class TestOnceAndAgain:
    @pytest.fixture
    def everything_due(self, roles):
        open_review(roles, due_on=TODAY - DAY)
        roles.owner.ico_renewal_date = TODAY - DAY
        roles.owner.save(update_fields=["ico_renewal_date"])
        roles.spoc_contact.details_confirmed_on = TODAY - 400 * DAY
        roles.spoc_contact.save(update_fields=["details_confirmed_on"])
        Breach.objects.create(agreement=roles.agreement, reporting_organisation=roles.partner,
                              discovered_at=MONDAY - 30 * DAY, description="A letter went to the wrong address.")
        entry = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                  recipient_organisation=roles.partner, disclosed_by=roles.practitioner)
        force_retention_due(entry, TODAY)
        return entry

    def test_running_twice_on_a_day_sends_nothing_twice(self, roles, run, everything_due):
        first = run(TODAY)
        told = Notification.objects.count()

        second = run(TODAY)

        assert first["retention"] == 1 and first["reviews"] == 1
        assert all(first[name] for name in ("review_reminders", "spoc_reminders", "ico_reminders", "breach_reminders"))
        assert second == {name: 0 for name in second}
        assert Notification.objects.count() == told

    def test_a_failed_step_is_rolled_back_and_logged_without_its_message_and_the_others_run(
        self, roles, run, everything_due, monkeypatch, caplog,
    ):
        def failing(*, on, now):
            notification_send(contacts=[roles.gm_contact], subject="Half done", body="-", event_key="half-done")
            raise RuntimeError(f"Entry case {everything_due.case_reference} could not be read")

        steps = list(scheduler.STEPS)
        steps.insert(3, scheduler.Step("broken", "A broken step", failing))
        monkeypatch.setattr(scheduler, "STEPS", tuple(steps))

        with caplog.at_level(logging.ERROR, logger="isa_portal.scheduler"):
            results = run(TODAY)

        assert results["broken"] is None
        assert results["retention"] == 1 and results["ico_reminders"] == 1
        assert Notification.objects.filter(event_key="half-done").exists() is False
        assert caplog.messages == ["Scheduler step broken failed on 2026-03-02: RuntimeError"]
        assert everything_due.case_reference not in caplog.text

    def test_an_interrupted_step_leaves_nothing_half_done_and_the_next_run_finishes_it(
        self, roles, run, everything_due, monkeypatch,
    ):
        from sharing_log.services import retention

        def interrupted(*args):
            raise RuntimeError("interrupted")

        monkeypatch.setattr(retention, "_ask_to_destroy", interrupted)
        assert run(TODAY)["retention"] is None
        assert Disclosure.objects.get(pk=everything_due.pk).purged_at is None

        monkeypatch.undo()
        assert run(TODAY)["retention"] == 1
        assert Disclosure.objects.get(pk=everything_due.pk).purged_at is not None


class TestCommand:
    def test_prints_one_line_of_counts_per_step(self, roles):
        out = StringIO()

        call_command("run_scheduler", "--date", "2026-03-02", stdout=out)

        assert out.getvalue().splitlines() == [f"{step.label}: 0" for step in scheduler.scheduled_steps()]

    def test_the_weekly_option_runs_the_whole_chain_check_alone(self, roles):
        out = StringIO()

        call_command("run_scheduler", "--weekly", "--date", "2026-03-02", stdout=out)

        assert out.getvalue().splitlines() == ["Sharing log chain problems, the whole chain checked: 0"]
        assert list(LogCheckpoint.objects.values_list("full", flat=True)) == [True]

    def test_the_profile_option_adds_each_steps_time_and_queries(self, roles):
        out = StringIO()

        call_command("run_scheduler", "--profile", "--date", "2026-03-02", stdout=out)

        lines = out.getvalue().splitlines()
        assert [line.split(" [")[0] for line in lines] == [f"{step.label}: 0" for step in scheduler.scheduled_steps()]
        assert all(re.fullmatch(r".*: 0 \[\d+\.\d\d s, \d+ queries\]", line) for line in lines), lines

    def test_a_failed_step_makes_it_exit_with_an_error(self, roles, monkeypatch):
        def failing(*, on, now):
            raise RuntimeError("no")

        monkeypatch.setattr(scheduler, "STEPS", (scheduler.Step("broken", "A broken step", failing), *scheduler.STEPS))
        steps = scheduler.scheduled_steps()
        out = StringIO()

        with pytest.raises(CommandError, match=f"1 of {len(steps)} steps failed: broken"):
            call_command("run_scheduler", stdout=out)
        assert out.getvalue().splitlines()[0] == "A broken step: failed (RuntimeError)"
        assert len(out.getvalue().splitlines()) == len(steps)

    def test_the_date_option_runs_as_of_that_day(self, roles):
        review = open_review(roles, due_on=datetime.date(2026, 4, 1))

        call_command("run_scheduler", "--date", "2026-04-02", stdout=StringIO())

        assert [key for key, _ in sent(f"review-{review.pk}-")] == [f"review-{review.pk}-overdue-2026-04-01"]
        assert timezone.localdate() == TODAY

    def test_a_date_that_is_not_one_is_refused(self, roles):
        with pytest.raises(CommandError, match="--date must be a date written YYYY-MM-DD, not '2026-02-30'."):
            call_command("run_scheduler", "--date", "2026-02-30", stdout=StringIO())


def test_the_daily_run_freezes_a_signed_copy_whose_rendering_failed(roles, run, monkeypatch):
    from agreements.models import SignedCopy
    from agreements.services import agreement_version_create, signature_record_paper
    from agreements.services import documents as signed_copies_module

    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    real_render = signed_copies_module.signed_copy_render
    monkeypatch.setattr(signed_copies_module, "signed_copy_render", lambda version: 1 / 0)
    for party in (roles.owner_party, roles.partner_party):
        signature_record_paper(party=party, version=version, signatory_name="Sam Example")
    assert SignedCopy.objects.exists() is False

    monkeypatch.setattr(signed_copies_module, "signed_copy_render", real_render)
    run(TODAY)

    assert SignedCopy.objects.get().version == version


# Issue 12, item 4: the daily check of the sharing log's hash chain ---------------------------


class TestLogChain:
    def test_an_intact_chain_passes(self, roles, run):
        assert roles.disclosure_to_partner.pk
        chain_factory_rows()

        assert run(TODAY)["log_chain"] == 0

    def test_the_daily_run_checks_from_the_last_checkpoint_and_the_weekly_run_the_whole_chain(self, roles, run,
                                                                                             run_weekly):
        """Decisions 0055 and 0066: each intact check leaves a checkpoint; the next day's check
        starts from it; the whole chain is the weekly run's (``run_scheduler --weekly``), and the
        daily run's only the first time, when there is no checkpoint to start from."""
        chain_factory_rows()
        for day in range(9):
            assert run(TODAY + day * DAY)["log_chain"] == 0
            if day == 7:
                assert run_weekly(TODAY + day * DAY) == {"log_chain_whole": 0}

        checkpoints = list(LogCheckpoint.objects.order_by("pk").values_list("full", flat=True))
        assert checkpoints == [True, *[False] * 7, True, False]

    def test_the_daily_run_checks_the_whole_chain_when_the_weekly_run_has_stopped(self, roles, run):
        chain_factory_rows()
        for day in range(chain_checks.FULL_CHAIN_OVERDUE_DAYS + 2):
            assert run(TODAY + day * DAY)["log_chain"] == 0

        checkpoints = list(LogCheckpoint.objects.order_by("pk").values_list("full", flat=True))
        assert checkpoints == [True, *[False] * (chain_checks.FULL_CHAIN_OVERDUE_DAYS - 1), True, False]

    def test_a_change_the_daily_check_cannot_see_fails_the_weekly_run(self, roles, run, run_weekly):
        entry = roles.disclosure_to_partner
        chain_factory_rows()
        assert run(TODAY)["log_chain"] == 0
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # around the guards, as only a superuser can
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("UPDATE sharing_log_disclosure SET summary = 'Rewritten.' WHERE id = %s", [entry.pk])
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = origin")

        assert run(TODAY + DAY)["log_chain"] == 0  # a row chained before the checkpoint, untouched since
        assert run(TODAY + 7 * DAY)["log_chain"] == 0  # the daily run leaves the whole chain to the weekly
        assert run_weekly(TODAY + 7 * DAY) == {"log_chain_whole": None}
        assert LogCheckpoint.objects.filter(checked_at__date__gt=TODAY + 7 * DAY).count() == 0
        assert run(TODAY + 8 * DAY)["log_chain"] == 0
        assert LogCheckpoint.objects.filter(full=True).count() == 1

    def test_a_break_alerts_the_administrators_logs_no_personal_data_and_fails_the_run(self, roles, run, caplog):
        entry = roles.disclosure_to_partner
        chain_factory_rows()
        admin_contact = ContactFactory(organisation=roles.admin.memberships.get().organisation, user=roles.admin,
                                       name="Pat Admin")
        forged = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                   recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                                   case_reference="FORGED-0001", summary="Forged after the event.")

        with caplog.at_level(logging.ERROR, logger="isa_portal.scheduler"):
            results = run(TODAY)

        assert results["log_chain"] is None
        first = (f"Disclosure {forged.pk} (entry {forged.pk}) is not in the chain: it was written around the "
                 "portal's services.")
        assert caplog.messages == [f"The sharing log's hash chain failed verification on 2026-03-02: 1 problems; "
                                   f"the first: {first}"]
        assert "FORGED-0001" not in caplog.text and entry.case_reference not in caplog.text
        told = Notification.objects.get(recipient=admin_contact, event_key__startswith="log-chain-broken-2026-03-02-")
        assert told.subject == "The sharing log's hash chain is broken"
        assert first in told.body and "FORGED-0001" not in told.body
        with pytest.raises(CommandError, match=f"1 of {len(scheduler.scheduled_steps())} steps failed: log_chain"):
            call_command("run_scheduler", stdout=StringIO())
