"""The daily run's follow-ups of issue 13 (isa_portal/follow_ups.py): an Article 34 decision still
undecided, an override its designated manager has not confirmed, a withdrawn party silent about
what it held, a case open longer than its agreement allows. Each is sent on its day and not
before, once per event key however often the run repeats, and carries no case detail.

The clock is frozen on Monday 2 March 2026 (no bank holiday within the working days counted).
"""

import datetime
import zoneinfo

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Breach, HoldingsOutcome, PartyStatus, WithdrawalHoldings
from isa_portal import follow_ups, scheduler
from partners.models import Notification
from sharing_log.models import OverrideAuthorisation, OverrideConfirmation
from tests.factories import ContactFactory, DisclosureFactory, OrganisationFactory, PartyFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 3, 2, 6, 15, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY, tick=False)]
TODAY = MONDAY.date()
DAY = datetime.timedelta(days=1)
CASE = "BCSP-2026-0142"


def open_case_queries(on) -> int:
    """The queries one run of the open-case reminders asks on ``on``."""
    with CaptureQueriesContext(connection) as captured:
        follow_ups.remind_open_cases(on=on, now=MONDAY)
    return len(captured.captured_queries)


@pytest.fixture
def roles(roles):
    """The cast with a directory entry for the owner's governance manager and the partner's SPOC."""
    roles.gm_contact = ContactFactory(organisation=roles.owner, user=roles.governance_manager, name="Alex Example")
    roles.spoc_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example")
    return roles


def sent(prefix: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(event_key__startswith=prefix).values_list(
        "event_key", "recipient__name"))


class TestArticle34Decisions:
    @pytest.fixture
    def breach(self, roles):
        """A personal data breach discovered on Monday and reported to the ICO on Tuesday."""
        return Breach.objects.create(
            agreement=roles.agreement, reporting_organisation=roles.partner, discovered_at=MONDAY,
            description="A referral about a named child was e-mailed to the wrong team.",
            personal_data_breach=True, ico_reported_at=MONDAY + DAY,
        )

    def test_reminded_after_3_days_and_again_when_7_have_passed_each_once(self, roles, breach):
        prefix = f"breach-{breach.pk}-affected-"
        remind = follow_ups.remind_affected_decisions

        assert remind(on=TODAY + 2 * DAY, now=MONDAY) == 0
        assert (remind(on=TODAY + 3 * DAY, now=MONDAY), remind(on=TODAY + 4 * DAY, now=MONDAY)) == (1, 0)
        assert sent(prefix) == [(f"{prefix}3-days-2026-03-02", "Alex Example")]
        assert (remind(on=TODAY + 7 * DAY, now=MONDAY), remind(on=TODAY + 8 * DAY, now=MONDAY)) == (1, 0)
        assert sent(prefix)[-1] == (f"{prefix}7-days-2026-03-02", "Alex Example")

    def test_the_text_names_no_case_detail(self, roles, breach):
        follow_ups.remind_affected_decisions(on=TODAY + 3 * DAY, now=MONDAY)

        notification = Notification.objects.get()
        assert notification.subject == f"Decide whether to tell the people affected by a breach under " \
                                       f"{roles.agreement.reference}"
        assert notification.body.startswith(
            f"The breach of the agreement under “{roles.agreement.title}” reported by {roles.partner}, "
            "discovered on 2 March 2026, still has no decision on telling the people affected (UK GDPR Article 34)")
        assert "child" not in notification.body
        assert notification.url == breach.get_absolute_url()

    def test_a_missed_day_sends_only_the_latest_reminder(self, roles, breach):
        assert follow_ups.remind_affected_decisions(on=TODAY + 9 * DAY, now=MONDAY) == 1
        assert [key for key, _ in sent(f"breach-{breach.pk}-affected-")] == [
            f"breach-{breach.pk}-affected-7-days-2026-03-02"]

    def test_a_breach_judged_high_risk_but_not_reported_is_reminded_too(self, roles, breach):
        Breach.objects.filter(pk=breach.pk).update(ico_reported_at=None, ico_not_reported_reason="Contained.",
                                                   affected_high_risk=True)

        assert follow_ups.remind_affected_decisions(on=TODAY + 3 * DAY, now=MONDAY) == 1

    def test_a_decided_or_closed_breach_is_not_reminded(self, roles, breach):
        Breach.objects.filter(pk=breach.pk).update(affected_high_risk=False, affected_note="Encrypted laptop.")
        assert follow_ups.remind_affected_decisions(on=TODAY + 7 * DAY, now=MONDAY) == 0
        Breach.objects.filter(pk=breach.pk).update(affected_high_risk=None, closed_on=TODAY + DAY)
        assert follow_ups.remind_affected_decisions(on=TODAY + 7 * DAY, now=MONDAY) == 0
        assert Notification.objects.count() == 0

    def test_a_breach_neither_reported_nor_high_risk_is_not_reminded(self, roles, breach):
        Breach.objects.filter(pk=breach.pk).update(ico_reported_at=None, ico_not_reported_reason="No risk.")

        assert follow_ups.remind_affected_decisions(on=TODAY + 7 * DAY, now=MONDAY) == 0


class TestOverridesAwaitingConfirmation:
    @pytest.fixture
    def authorisation(self, roles):
        """The owner's practitioner overrode a refusal on Monday, naming a designated manager."""
        manager = ContactFactory(organisation=roles.owner, user=roles.member(roles.owner, "practitioner"),
                                 name="Pat Example")
        entry = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            disclosed_by=roles.practitioner, occurred_at=MONDAY, case_reference=CASE,
        )
        return OverrideAuthorisation.objects.create(disclosure=entry, designated_manager=manager,
                                                    requested_by=roles.practitioner)

    def test_the_manager_after_2_working_days_and_the_governance_managers_after_5(self, roles, authorisation):
        prefix = f"override-{authorisation.pk}-unconfirmed-"
        remind = follow_ups.remind_override_confirmations

        assert remind(on=datetime.date(2026, 3, 4), now=MONDAY) == 0  # Wednesday: 2 working days
        assert remind(on=datetime.date(2026, 3, 5), now=MONDAY) == 1
        assert sent(prefix) == [(f"{prefix}2-working-days", "Pat Example")]
        assert remind(on=datetime.date(2026, 3, 9), now=MONDAY) == 0  # Monday: 5 working days
        assert remind(on=datetime.date(2026, 3, 10), now=MONDAY) == 1
        assert remind(on=datetime.date(2026, 3, 11), now=MONDAY) == 0
        assert sent(prefix) == [(f"{prefix}2-working-days", "Pat Example"), (f"{prefix}5-working-days", "Alex Example")]

    def test_the_text_names_no_case_detail(self, roles, authorisation):
        follow_ups.remind_override_confirmations(on=datetime.date(2026, 3, 5), now=MONDAY)

        notification = Notification.objects.get()
        entry = authorisation.disclosure
        assert notification.subject == f"Confirm the override you authorised on sharing log entry {entry.pk}"
        assert CASE not in notification.body
        assert notification.url == authorisation.get_absolute_url()

    def test_a_confirmed_override_is_not_chased(self, roles, authorisation):
        OverrideConfirmation.objects.create(authorisation=authorisation, confirmed_by=roles.practitioner,
                                            confirmed_at=MONDAY)

        assert follow_ups.remind_override_confirmations(on=datetime.date(2026, 3, 10), now=MONDAY) == 0


class TestWithdrawnPartiesHoldings:
    @pytest.fixture
    def withdrawn(self, roles):
        party = roles.partner_party
        party.status, party.withdrawal_notified_on, party.withdrawal_effective_on = (
            PartyStatus.WITHDRAWN, TODAY - 60 * DAY, TODAY)
        party.save()
        return party

    def test_its_spocs_are_reminded_14_days_after_it_took_effect_once(self, roles, withdrawn):
        prefix = f"party-{withdrawn.pk}-holdings-"
        remind = follow_ups.remind_withdrawn_holdings

        assert remind(on=TODAY + 13 * DAY, now=MONDAY) == 0
        assert (remind(on=TODAY + 14 * DAY, now=MONDAY), remind(on=TODAY + 15 * DAY, now=MONDAY)) == (1, 0)
        assert sent(prefix) == [(f"{prefix}14-days-2026-03-02", "Sam Example")]
        notification = Notification.objects.get()
        assert notification.subject == (f"Confirm what {roles.partner} did with what it held under "
                                        f"{roles.agreement.reference}")
        assert notification.url == f"/agreements/{roles.agreement.pk}/parties/{withdrawn.pk}/holdings/"

    def test_a_party_that_has_confirmed_is_not_reminded(self, roles, withdrawn):
        WithdrawalHoldings.objects.create(party=withdrawn, outcome=HoldingsOutcome.DESTROYED,
                                          confirmed_by=roles.spoc, confirmed_at=MONDAY)

        assert follow_ups.remind_withdrawn_holdings(on=TODAY + 14 * DAY, now=MONDAY) == 0


class TestCasesOpenTooLong:
    @pytest.fixture
    def case(self, roles):
        """The owner's case, open since 2 March 2025 under an agreement that flags it after 12 months."""
        agreement = roles.agreement
        agreement.case_open_limit_months = 12
        agreement.save()
        opened = timezone.make_aware(datetime.datetime.combine(TODAY - relativedelta(months=12), datetime.time(10)))
        return DisclosureFactory(
            agreement=agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            disclosed_by=roles.practitioner, case_reference=CASE, occurred_at=opened + DAY,
        )

    def test_one_reminder_when_flagged_to_the_organisations_spocs_and_governance_managers(self, roles, case):
        remind = follow_ups.remind_open_cases

        assert remind(on=TODAY, now=MONDAY) == 0
        assert (remind(on=TODAY + DAY, now=MONDAY), remind(on=TODAY + 30 * DAY, now=MONDAY)) == (1, 0)
        notification = Notification.objects.get()
        assert notification.recipient == roles.gm_contact
        assert notification.subject == (f"A case of {roles.owner} under {roles.agreement.reference} has been "
                                        "open too long")
        assert "open since 3 March 2025: the agreement flags a case still open after 12 months" in notification.body

    def test_the_case_reference_is_nowhere_in_the_reminder(self, roles, case):
        follow_ups.remind_open_cases(on=TODAY + DAY, now=MONDAY)

        notification = Notification.objects.get()
        for text in (notification.subject, notification.body, notification.url, notification.event_key):
            assert CASE.lower() not in text.lower()


    def test_a_case_more_costs_only_the_check_that_its_reminder_went(self, roles, case):
        # Issue 15: each entry's corrections and each case's people were read one by one.
        follow_ups.remind_open_cases(on=TODAY + DAY, now=MONDAY)
        fewer = open_case_queries(TODAY + 2 * DAY)
        for number in range(3):
            DisclosureFactory(
                agreement=case.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
                disclosed_by=roles.practitioner, case_reference=f"BCSP-2026-02{number}", occurred_at=case.occurred_at,
            )
        follow_ups.remind_open_cases(on=TODAY + DAY, now=MONDAY)

        assert open_case_queries(TODAY + 2 * DAY) - fewer == 3


    def test_cases_of_more_organisations_ask_no_more_for_their_people(self, roles, case):
        # Issue 15: each organisation's SPOCs and governance managers were read one organisation
        # at a time: 1,873 queries at a million entries. Organisations with nobody to tell cost nothing.
        follow_ups.remind_open_cases(on=TODAY + DAY, now=MONDAY)
        fewer = open_case_queries(TODAY + 2 * DAY)
        for number in range(3):
            logger = OrganisationFactory(name=f"Borsetshire Parish {number}")
            PartyFactory(agreement=case.agreement, organisation=logger, signed=True)
            DisclosureFactory(
                agreement=case.agreement, disclosing_organisation=logger, recipient_organisation=roles.partner,
                disclosed_by=roles.practitioner, case_reference=f"BCSP-2026-03{number}", occurred_at=case.occurred_at,
            )

        assert open_case_queries(TODAY + 2 * DAY) == fewer

def test_the_four_run_as_steps_of_the_daily_run(roles):
    names = [step.name for step in scheduler.STEPS]

    assert {"affected_reminders", "override_reminders", "holdings_reminders", "open_case_reminders"} <= set(names)
    assert names[-1] == "log_chain"
