"""Reviews: the policy's dates, the triggers read from the audit trail (each once), starting and
completing a review, its outcomes, its actions and its findings report, and the rules the
database holds (agreements/models/reviews.py, selectors/reviews.py, services/reviews.py)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import (
    Agreement,
    Breach,
    BreachKind,
    ContactRole,
    Dpia,
    GatewayStatus,
    Review,
    ReviewOutcome,
    ReviewTrigger,
    Status,
)
from agreements.selectors.reviews import (
    agreement_reviews,
    findings_report_due,
    next_review_date,
    policy_text,
    review_triggers_open,
    reviews_ahead,
    scheduled_reviews_to_open,
)
from agreements.services import (
    agreement_review_update,
    agreement_version_create,
    gateway_save,
    party_contact_add,
    review_action_add,
    review_action_done,
    review_complete,
    review_findings_reported,
    review_start,
    reviews_due_create,
    section_create,
    signature_record_paper,
)
from agreements.services.reviews import CHAIR_REQUEST, SCHEDULED
from partners.models import Notification, Role
from tests.agreements.helpers import EFFECTIVE
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    LegalGatewayFactory,
    MembershipFactory,
    OrganisationFactory,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


# A Monday. The cast is built on this day, so its agreement came into force on 2 March 2025.
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


# Every test runs on Monday morning, and the module's shared standard cast is built then too.
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY)]


TODAY = MONDAY.date()


DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock(time_machine):
    # The clock ticks, so each audit row is later than the one before it.
    time_machine.move_to(MONDAY)
    return time_machine


@pytest.fixture
def roles(roles):
    """The standard cast, its agreements' scheduled reviews months away: only triggers open reviews."""
    Agreement.objects.filter(status=Status.IN_FORCE).update(next_review_due=datetime.date(2026, 9, 2))
    roles.agreement.refresh_from_db()
    return roles


def later(clock, days: int = 0, hours: int = 0) -> datetime.date:
    """Move the clock on from Monday morning; the day it now is."""
    clock.move_to(MONDAY + datetime.timedelta(days=days, hours=hours))
    return timezone.localdate()


def breach(agreement, organisation, *, kind=BreachKind.BREACH) -> Breach:
    return Breach.objects.create(
        agreement=agreement, kind=kind, reporting_organisation=organisation,
        discovered_at=timezone.now() - datetime.timedelta(hours=20),
        description="A referral was e-mailed to the wrong team.",
    )


def in_force(**fields) -> Agreement:
    return AgreementFactory(status=Status.IN_FORCE, **fields)


def person(roles, name="Riley Example", organisation=None):
    return ContactFactory(organisation=organisation or roles.partner, name=name)


def complete(review, roles, *, on_day=TODAY, outcome=ReviewOutcome.NO_CHANGE, **fields):
    return review_complete(
        review=review, by_user=roles.governance_manager, completed_on=on_day,
        reviewers=fields.pop("reviewers", [person(roles)]), findings=fields.pop("findings", "Working well."),
        outcome=outcome, **fields,
    )


def keys(events) -> list[str]:
    return [event.key for event in events]


class TestPolicy:
    def test_first_review_falls_due_months_after_coming_into_force(self):
        agreement = in_force(effective_date=datetime.date(2025, 4, 1), review_first_after_months=6)

        assert next_review_date(agreement) == datetime.date(2025, 10, 1)

    def test_after_a_completed_review_the_next_is_due_every_months_after_it(self):
        agreement = in_force(
            effective_date=datetime.date(2024, 4, 1), last_review_on=datetime.date(2026, 1, 15),
            review_first_after_months=6, review_every_months=24,
        )

        assert next_review_date(agreement) == datetime.date(2028, 1, 15)

    def test_coming_into_force_on_29_february_puts_an_annual_review_on_28_february(self):
        agreement = in_force(effective_date=datetime.date(2024, 2, 29), review_first_after_months=12)

        assert next_review_date(agreement) == datetime.date(2025, 2, 28)

    def test_six_months_from_the_end_of_august_is_29_february_in_a_leap_year(self):
        agreement = in_force(effective_date=datetime.date(2023, 8, 31), review_first_after_months=6)

        assert next_review_date(agreement) == datetime.date(2024, 2, 29)

    @pytest.mark.parametrize(("months", "due"), [
        (12, datetime.date(2025, 2, 28)), (48, datetime.date(2028, 2, 29)),
    ])
    def test_a_review_held_on_29_february(self, months, due):
        agreement = in_force(
            effective_date=datetime.date(2023, 1, 1), last_review_on=datetime.date(2024, 2, 29),
            review_every_months=months,
        )

        assert next_review_date(agreement) == due

    def test_no_review_date_before_the_agreement_comes_into_force(self):
        assert next_review_date(AgreementFactory()) is None

    def test_no_review_date_and_a_flag_where_the_agreement_sets_no_policy(self):
        # Issue 13 item 11: a seed silent on review (000, 003) leaves the policy unset.
        agreement = in_force(
            effective_date=datetime.date(2006, 4, 1), review_first_after_months=None, review_every_months=None,
        )

        assert agreement.review_policy_set is False
        assert next_review_date(agreement) is None
        assert policy_text(agreement) == "Review policy not set: the agreement does not say when it is reviewed."

    @pytest.mark.parametrize(("completed", "due"), [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)),
        (datetime.date(2026, 3, 2), datetime.date(2026, 4, 2)),
    ])
    def test_findings_report_is_due_one_calendar_month_after_the_review(self, completed, due):
        assert findings_report_due(completed) == due

    def test_changing_the_policy_works_out_the_next_review_again(self, roles):
        agreement_review_update(
            agreement=roles.agreement, by_user=roles.governance_manager, review_first_after_months=6,
            review_every_months=24, review_after_breach=True,
        )
        Agreement.objects.filter(pk=roles.agreement.pk).update(last_review_on=datetime.date(2025, 9, 2))
        roles.agreement.refresh_from_db()

        agreement_review_update(
            agreement=roles.agreement, by_user=roles.governance_manager, review_first_after_months=6,
            review_every_months=12, review_after_breach=True,
        )

        assert roles.agreement.next_review_due == datetime.date(2026, 9, 2)

    def test_saving_the_policy_unchanged_keeps_the_review_date_on_record(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=datetime.date(2026, 5, 1))
        roles.agreement.refresh_from_db()

        agreement_review_update(
            agreement=roles.agreement, by_user=roles.governance_manager,
            review_first_after_months=roles.agreement.review_first_after_months,
            review_every_months=roles.agreement.review_every_months, review_after_breach=False,
        )

        assert roles.agreement.next_review_due == datetime.date(2026, 5, 1)


class TestBreachTrigger:
    def test_a_breach_makes_a_review_due_now_with_its_reason(self, roles):
        recorded = breach(roles.agreement, roles.partner)

        opened = reviews_due_create(on=TODAY)

        assert [(r.agreement, r.trigger, r.trigger_key, r.due_on) for r in opened] == [
            (roles.agreement, ReviewTrigger.BREACH, f"breach:{recorded.pk}", TODAY),
        ]
        assert opened[0].reason == (
            "A breach reported by Borsetshire Police, discovered on 1 March 2026, was recorded on "
            "2 March 2026. The agreement is reviewed after any breach."
        )

    def test_a_breach_opens_one_review_however_often_the_check_runs(self, roles, clock):
        breach(roles.agreement, roles.partner)
        reviews_due_create(on=TODAY)

        assert reviews_due_create(on=later(clock, days=1)) == []
        assert roles.agreement.reviews.count() == 1

    def test_a_near_miss_makes_no_review_due(self, roles):
        breach(roles.agreement, roles.partner, kind=BreachKind.NEAR_MISS)

        assert review_triggers_open(on=TODAY) == []

    def test_a_near_miss_recorded_again_as_a_breach_makes_one_due_from_then(self, roles, clock):
        near_miss = breach(roles.agreement, roles.partner, kind=BreachKind.NEAR_MISS)
        later(clock, days=3)
        near_miss.kind = BreachKind.BREACH
        near_miss.save()

        [event] = review_triggers_open(on=timezone.localdate())

        assert event.key == f"breach:{near_miss.pk}"
        assert event.occurred_on == datetime.date(2026, 3, 5)

    def test_no_review_after_a_breach_when_the_policy_says_so(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(review_after_breach=False)
        breach(roles.agreement, roles.partner)

        assert review_triggers_open(on=TODAY) == []

    def test_a_breach_of_an_agreement_no_longer_in_force_makes_no_review_due(self, roles):
        breach(roles.agreement, roles.partner)
        Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.ENDED, ended_on=TODAY - DAY)

        assert reviews_due_create(on=TODAY) == []

    def test_a_review_completed_after_the_breach_answers_it(self, roles, clock):
        breach(roles.agreement, roles.partner)
        chair = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                             reason="The board asked.")
        later(clock, hours=2)
        complete(chair, roles)

        assert review_triggers_open(on=TODAY) == []

    def test_a_review_completed_before_the_breach_does_not_answer_it(self, roles, clock):
        chair = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                             reason="The board asked.")
        complete(chair, roles)
        later(clock, days=1)
        recorded = breach(roles.agreement, roles.partner)

        assert keys(review_triggers_open(on=timezone.localdate())) == [f"breach:{recorded.pk}"]

    def test_a_review_recorded_after_the_breach_but_held_before_it_does_not_answer_it(self, roles, clock):
        chair = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                             reason="The board asked.")
        later(clock, days=2)
        recorded = breach(roles.agreement, roles.partner)
        later(clock, days=2, hours=1)
        complete(chair, roles, on_day=TODAY)

        assert keys(review_triggers_open(on=timezone.localdate())) == [f"breach:{recorded.pk}"]

    def test_the_owners_governance_managers_are_told_once(self, roles, clock):
        contact = ContactFactory(organisation=roles.owner, user=roles.governance_manager, name="Sam Example")
        breach(roles.agreement, roles.partner)

        [review] = reviews_due_create(on=TODAY)
        reviews_due_create(on=later(clock, days=1))

        [notice] = Notification.objects.filter(recipient=contact)
        assert notice.subject == "A review of BCSP ISA is due"
        assert notice.url == review.get_absolute_url()
        assert "Why: After a breach. A breach reported by Borsetshire Police" in notice.body


class TestSubstantiveChangeTrigger:
    def test_a_new_version_while_in_force_makes_a_review_due(self, roles):
        agreement_version_create(agreement=roles.agreement, label="1.0")
        version = agreement_version_create(
            agreement=roles.agreement, label="2.0", change_summary="Section 5 redrafted.",
        )

        [event] = review_triggers_open(on=TODAY)

        assert (event.trigger, event.key) == (ReviewTrigger.SUBSTANTIVE_CHANGE, f"version:{version.pk}")
        assert event.reason == (
            "Version 2.0 was made on 2 March 2026, a substantive change to the agreement while it was "
            "in force. What changed: Section 5 redrafted."
        )

    def test_a_version_made_before_coming_into_force_makes_none(self, roles, clock):
        agreement = AgreementFactory(owner=roles.owner, status=Status.AWAITING_SIGNATURES)
        agreement_version_create(agreement=agreement, label="1.0")
        later(clock, days=1)
        agreement.status, agreement.effective_date = Status.IN_FORCE, TODAY
        agreement.save()

        assert review_triggers_open(on=timezone.localdate()) == []

    def test_the_first_version_of_an_agreement_in_force_records_it_as_published_and_makes_none(self, roles):
        agreement_version_create(agreement=roles.agreement, label="1.0", change_summary="As published.")

        assert review_triggers_open(on=TODAY) == []

    def test_a_version_that_is_not_substantive_makes_none(self, roles):
        agreement_version_create(agreement=roles.agreement, label="1.1", substantive=False)

        assert review_triggers_open(on=TODAY) == []

    def test_a_version_made_during_a_review_is_that_reviews_own_work(self, roles, clock):
        review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST, reason="Why.")
        later(clock, hours=1)
        agreement_version_create(agreement=roles.agreement, label="2.0")

        assert reviews_due_create(on=TODAY) == []

    def test_opens_one_review_however_often_the_check_runs(self, roles, clock):
        agreement_version_create(agreement=roles.agreement, label="1.0")
        agreement_version_create(agreement=roles.agreement, label="2.0")

        assert len(reviews_due_create(on=TODAY)) == 1
        assert reviews_due_create(on=later(clock, days=1)) == []


class TestLegislationTrigger:
    @pytest.fixture
    def cited(self, roles):
        gateway = LegalGatewayFactory(key="dpa-1998-s29", instrument="Data Protection Act 1998", provision="s29",
                                      title="Crime and taxation")
        roles.agreement.gateways.add(gateway)
        return gateway

    def repeal(self, gateway, **fields):
        return gateway_save(key=gateway.key, status=GatewayStatus.REPEALED, **fields)

    def test_a_cited_gateway_marked_repealed_makes_a_review_due(self, roles, cited):
        replacement = LegalGatewayFactory(schedule1=True)
        self.repeal(cited, replaced_by=replacement)

        [review] = reviews_due_create(on=TODAY)

        assert review.trigger == ReviewTrigger.LEGISLATION_CHANGE
        assert review.trigger_key.startswith(f"gateway:{cited.pk}:")
        assert review.reason == (
            "Data Protection Act 1998 s29 (Crime and taxation), which the agreement cites, was marked "
            "repealed on 2 March 2026. It is replaced by Data Protection Act 2018 Sch 1 Pt 2 para 10."
        )

    def test_marked_superseded_makes_a_review_due_too(self, roles, cited):
        gateway_save(key=cited.key, status=GatewayStatus.SUPERSEDED)

        [event] = review_triggers_open(on=TODAY)

        assert "was marked superseded on 2 March 2026" in event.reason

    def test_opens_one_review_however_often_the_check_runs(self, roles, cited, clock):
        self.repeal(cited)
        reviews_due_create(on=TODAY)
        gateway_save(key=cited.key, note="Repealed by the Data Protection Act 2018.")  # another save, still repealed

        assert reviews_due_create(on=later(clock, days=1)) == []

    def test_a_gateway_entered_already_repealed_was_never_marked_so(self, roles):
        roles.agreement.gateways.add(LegalGatewayFactory(repealed=True))

        assert review_triggers_open(on=TODAY) == []

    def test_a_gateway_the_agreement_does_not_cite_makes_none(self, roles):
        gateway = LegalGatewayFactory()
        self.repeal(gateway)

        assert review_triggers_open(on=TODAY) == []


class TestReviewStart:
    def test_a_chairs_request_is_due_now_with_its_reason(self, roles):
        review = review_start(
            agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
            reason="The board asked whether schools should join.",
        )

        assert (review.trigger, review.due_on, review.reason) == (
            ReviewTrigger.CHAIR_REQUEST, TODAY, "The board asked whether schools should join.",
        )

    def test_a_chairs_request_needs_a_reason(self, roles):
        with pytest.raises(ValidationError) as refused:
            review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST, reason=" ")

        assert refused.value.message_dict == {"reason": ["Enter what the chair asked the partners to review, and why"]}
        assert not Review.objects.exists()

    def test_an_agreement_not_in_force_cannot_be_reviewed(self, roles):
        with pytest.raises(ValidationError) as refused:
            review_start(agreement=roles.draft, by_user=roles.governance_manager, why=CHAIR_REQUEST, reason="Why.")

        assert refused.value.messages == ["Only an agreement in force can be reviewed. This agreement is draft."]

    def test_a_waiting_trigger_started_by_hand_is_not_opened_again(self, roles):
        recorded = breach(roles.agreement, roles.partner)

        review = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=f"breach:{recorded.pk}",
                              reason="Police asked for an early meeting.")

        assert review.trigger == ReviewTrigger.BREACH
        assert review.reason.endswith("reviewed after any breach.\n\nPolice asked for an early meeting.")
        assert reviews_due_create(on=TODAY) == []

    def test_a_trigger_already_answered_is_refused(self, roles):
        recorded = breach(roles.agreement, roles.partner)
        reviews_due_create(on=TODAY)

        with pytest.raises(ValidationError) as refused:
            review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=f"breach:{recorded.pk}")

        assert refused.value.message_dict == {
            "why": ["That reason has already been answered by a review. Choose another"],
        }
        assert roles.agreement.reviews.count() == 1

    def test_the_scheduled_review_started_early_is_due_on_its_date(self, roles):
        review = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=SCHEDULED)

        assert (review.trigger, review.due_on) == (ReviewTrigger.SCHEDULED, datetime.date(2026, 9, 2))

    def test_the_scheduled_review_is_started_once(self, roles):
        review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=SCHEDULED)

        with pytest.raises(ValidationError) as refused:
            review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=SCHEDULED)

        assert refused.value.message_dict == {"why": ["The scheduled review has already been started"]}


class TestScheduledReview:
    def test_opened_thirty_days_before_it_is_due(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY + 30 * DAY)

        [review] = reviews_due_create(on=TODAY)

        assert (review.trigger, review.due_on) == (ReviewTrigger.SCHEDULED, TODAY + 30 * DAY)
        assert review.reason.startswith("First review 6 months after the agreement comes into force")

    def test_not_opened_earlier(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY + 31 * DAY)

        assert reviews_due_create(on=TODAY) == []

    def test_opened_once_however_often_the_check_runs(self, roles, clock):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY + 7 * DAY)
        reviews_due_create(on=TODAY)

        assert reviews_due_create(on=later(clock, days=1)) == []

    def test_a_review_date_that_has_passed_opens_an_overdue_review(self, roles):
        # No date on record: the policy's, six months after coming into force on 2 March 2025.
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=None)

        [review] = reviews_due_create(on=TODAY)

        board = agreement_reviews(roles.agreement, on=TODAY)
        assert review.due_on == datetime.date(2025, 9, 2)
        assert board.overdue == [review]
        assert board.overdue[0].state == "overdue"


    def test_finding_them_asks_once_whatever_the_number_of_agreements(self, roles, django_assert_num_queries):
        """Issue 15: one or two queries an agreement before (is it in force, is a scheduled review open)."""
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY)
        roles.agreement.reviews.create(trigger=ReviewTrigger.SCHEDULED, due_on=TODAY, reason="Open already.")
        due_soon = AgreementFactory(in_force=True, next_review_due=TODAY + 10 * DAY)
        AgreementFactory(in_force=True, next_review_due=TODAY + 31 * DAY)
        AgreementFactory(next_review_due=TODAY)  # a draft: not in force

        with django_assert_num_queries(1):
            due = scheduled_reviews_to_open(on=TODAY)

        assert [(agreement.pk, on) for agreement, on in due] == [(due_soon.pk, TODAY + 10 * DAY)]


@pytest.fixture
def review(roles):
    return review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                        reason="The board asked.")


class TestReviewComplete:
    def test_records_who_what_and_the_outcome_and_the_findings_report_falls_due(self, roles, review):
        owner_person = person(roles, "Alex Example", roles.owner)
        partner_person = person(roles)

        complete(review, roles, on_day=TODAY - DAY, reviewers=[owner_person, partner_person],
                 findings="Sharing works; the consent section is unclear.", outcome=ReviewOutcome.MINOR)

        review.refresh_from_db()
        assert review.completed_on == TODAY - DAY
        assert set(review.reviewers.all()) == {owner_person, partner_person}
        assert review.findings == "Sharing works; the consent section is unclear."
        assert review.outcome == ReviewOutcome.MINOR
        assert review.findings_report_due_on == datetime.date(2026, 4, 1)

    def test_sets_the_last_review_and_the_next_one(self, roles, review):
        complete(review, roles)

        roles.agreement.refresh_from_db()
        assert roles.agreement.last_review_on == TODAY
        assert roles.agreement.next_review_due == datetime.date(2027, 3, 2)

    def test_an_open_scheduled_review_moves_to_the_new_date(self, roles, review):
        scheduled = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=SCHEDULED)

        complete(review, roles)

        scheduled.refresh_from_db()
        assert (scheduled.due_on, scheduled.completed_on) == (datetime.date(2027, 3, 2), None)

    @pytest.mark.parametrize(("fields", "errors"), [
        ({"on_day": TODAY + DAY}, {"completed_on": ["The date the review was held must be today or in the past"]}),
        ({"on_day": datetime.date(2025, 3, 1)}, {"completed_on": [
            "The date the review was held must be on or after the day the agreement came into force, 2 March 2025",
        ]}),
        ({"reviewers": []}, {"reviewers": ["Choose who reviewed the agreement"]}),
        ({"findings": "  "}, {"findings": ["Enter what the review found"]}),
        ({"outcome": ""}, {"outcome": ["Choose the outcome of the review"]}),
    ])
    def test_refuses_bad_input_and_saves_nothing(self, roles, review, fields, errors):
        with pytest.raises(ValidationError) as refused:
            complete(review, roles, **fields)

        assert refused.value.message_dict == errors
        review.refresh_from_db()
        roles.agreement.refresh_from_db()
        assert (review.completed_on, review.outcome, review.reviewers.count()) == (None, "", 0)
        assert roles.agreement.last_review_on is None

    def test_reviewers_come_from_the_parties(self, roles, review):
        outsider = person(roles, "Jo Example", roles.unrelated_organisation)

        with pytest.raises(ValidationError) as refused:
            complete(review, roles, reviewers=[outsider])

        assert refused.value.message_dict == {"reviewers": ["Choose reviewers from the parties to the agreement"]}

    def test_a_review_is_completed_once(self, roles, review):
        complete(review, roles)

        with pytest.raises(ValidationError) as refused:
            complete(review, roles)

        assert refused.value.messages == ["This review was completed on 2 March 2026."]


class TestSubstantiveOutcome:
    @pytest.fixture
    def signed(self, roles):
        """Version 1.0, made and signed by the partner before the agreement came into force; the
        partner's lead signatory is named."""
        roles.agreement.status = Status.AWAITING_SIGNATURES
        roles.agreement.save()
        version = agreement_version_create(agreement=roles.agreement, label="1.0")
        signature_record_paper(party=roles.partner_party, version=version, signatory_name="Alex Example")
        roles.agreement.status = Status.IN_FORCE
        roles.agreement.save()
        signatory = ContactFactory(organisation=roles.partner, name="Alex Example", email="alex@police.example")
        party_contact_add(party=roles.partner_party, contact=signatory, role=ContactRole.LEAD_SIGNATORY)
        return signatory

    def test_a_change_made_for_the_review_becomes_a_new_version_every_party_signs_again(self, roles, signed, clock):
        review = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                              reason="Add a section on schools.")
        section_create(agreement=roles.agreement, number="9", heading="Schools")  # not yet in a version

        complete(review, roles, outcome=ReviewOutcome.SUBSTANTIVE)

        review.refresh_from_db()
        roles.agreement.refresh_from_db()
        assert review.resulting_version.label == "2.0"
        assert roles.agreement.version == "2.0"
        assert Notification.objects.filter(recipient=signed, subject__startswith="Please sign version 2.0").exists()
        # The new version is the review's own outcome: it makes no further review due.
        assert reviews_due_create(on=later(clock, days=1)) == []

    def test_a_version_already_made_during_the_review_is_its_outcome(self, roles, signed, clock):
        review = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                              reason="Add a section on schools.")
        later(clock, hours=1)
        section_create(agreement=roles.agreement, number="9", heading="Schools")
        made = agreement_version_create(agreement=roles.agreement, label="2.0")

        complete(review, roles, outcome=ReviewOutcome.SUBSTANTIVE)

        review.refresh_from_db()
        assert review.resulting_version == made
        assert roles.agreement.versions.count() == 2

    def test_refused_when_nothing_has_changed_and_nothing_is_saved(self, roles, signed, review):
        with pytest.raises(ValidationError) as refused:
            complete(review, roles, outcome=ReviewOutcome.SUBSTANTIVE)

        assert refused.value.message_dict == {"outcome": [
            "Nothing in the agreement has changed since version 1.0 was made. Make the change in the "
            "drafting tasks first, then record a substantive change",
        ]}
        review.refresh_from_db()
        assert review.completed_on is None
        assert roles.agreement.versions.count() == 1


class TestActions:
    def test_an_action_has_an_owner_and_a_due_date_and_is_marked_done(self, roles, review):
        owner = person(roles)
        action = review_action_add(review=review, description="Update the SPOC list.", owner=owner,
                                   due_on=TODAY + 30 * DAY)

        review_action_done(action=action, done_on=TODAY)

        action.refresh_from_db()
        assert (action.owner, action.due_on, action.done_on) == (owner, TODAY + 30 * DAY, TODAY)

    def test_refuses_an_action_without_what_who_or_when(self, roles, review):
        with pytest.raises(ValidationError) as refused:
            review_action_add(review=review, description=" ", owner=None, due_on=None)

        assert refused.value.message_dict == {
            "description": ["Enter what needs to be done"], "owner": ["Choose who will do it"],
            "due_on": ["Enter the date it is due"],
        }
        assert not review.actions.exists()

    def test_not_due_before_the_review_started(self, roles, review):
        # The Safe and Well trial (P17): an action due on 1 January 2020 was added, overdue at once.
        started = timezone.localdate(review.created_at)
        with pytest.raises(ValidationError) as refused:
            review_action_add(review=review, description="Update the SPOC list.", owner=person(roles),
                              due_on=started - DAY)

        assert refused.value.message_dict == {"due_on": [
            f"The date it is due must be on or after {started.day} {started:%B %Y}, when the review started"]}
        assert review_action_add(review=review, description="Update the SPOC list.", owner=person(roles),
                                 due_on=started).due_on == started

    def test_the_owner_comes_from_the_parties(self, roles, review):
        with pytest.raises(ValidationError) as refused:
            review_action_add(review=review, description="Update the SPOC list.",
                              owner=person(roles, "Jo Example", roles.unrelated_organisation), due_on=TODAY)

        assert refused.value.message_dict == {"owner": ["Choose someone from the parties to the agreement"]}

    def test_done_today_or_earlier_and_only_once(self, roles, review):
        action = review_action_add(review=review, description="Update the SPOC list.", owner=person(roles),
                                   due_on=TODAY)

        with pytest.raises(ValidationError) as future:
            review_action_done(action=action, done_on=TODAY + DAY)
        review_action_done(action=action, done_on=TODAY - DAY)
        with pytest.raises(ValidationError) as twice:
            review_action_done(action=action, done_on=TODAY)

        assert future.value.message_dict == {"done_on": ["The date it was done must be today or in the past"]}
        assert twice.value.messages == ["This action was marked done on 1 March 2026."]
        action.refresh_from_db()
        assert action.done_on == TODAY - DAY


class TestFindingsReport:
    def test_recorded_when_reported(self, roles, review):
        complete(review, roles, on_day=TODAY - 3 * DAY)

        review_findings_reported(review=review, reported_on=TODAY)

        review.refresh_from_db()
        assert review.findings_reported_on == TODAY

    def test_overdue_once_a_calendar_month_has_passed_unreported(self, roles, review, clock):
        complete(review, roles, on_day=datetime.date(2026, 1, 31))

        assert agreement_reviews(roles.agreement, on=datetime.date(2026, 2, 28)).completed[0].findings_overdue is False
        assert agreement_reviews(roles.agreement, on=datetime.date(2026, 3, 1)).completed[0].findings_overdue is True

    @pytest.mark.parametrize(("reported_on", "errors"), [
        (TODAY + DAY, {"reported_on": ["The date the findings were reported must be today or in the past"]}),
        (TODAY - 4 * DAY, {"reported_on": [
            "The date the findings were reported must be on or after the day the review was held, 27 February 2026",
        ]}),
    ])
    def test_refuses_a_date_in_the_future_or_before_the_review(self, roles, review, reported_on, errors):
        complete(review, roles, on_day=TODAY - 3 * DAY)

        with pytest.raises(ValidationError) as refused:
            review_findings_reported(review=review, reported_on=reported_on)

        assert refused.value.message_dict == errors
        review.refresh_from_db()
        assert review.findings_reported_on is None

    def test_refused_before_the_review_is_completed_and_a_second_time(self, roles, review):
        with pytest.raises(ValidationError) as early:
            review_findings_reported(review=review, reported_on=TODAY)
        complete(review, roles)
        review_findings_reported(review=review, reported_on=TODAY)
        with pytest.raises(ValidationError) as twice:
            review_findings_reported(review=review, reported_on=TODAY)

        assert early.value.messages == [
            "Record the review as completed before recording that its findings were reported.",
        ]
        assert twice.value.messages == ["The findings were recorded as reported on 2 March 2026."]


def test_a_governance_manager_at_a_party_is_not_told_of_the_owners_reviews(roles):
    partner_manager = MembershipFactory(organisation=roles.partner, role=Role.GOVERNANCE_MANAGER).user
    ContactFactory(organisation=roles.partner, user=partner_manager)
    breach(roles.agreement, OrganisationFactory())

    reviews_due_create(on=TODAY)

    assert not Notification.objects.filter(recipient__user=partner_manager).exists()


class TestReview:
    def test_completed_review_needs_an_outcome(self):
        agreement = AgreementFactory()

        with violates(Review, "review_completed_has_outcome"):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE, completed_on=EFFECTIVE)

    def test_completed_review_with_an_outcome_is_accepted(self):
        agreement = AgreementFactory()

        Review.objects.create(
            agreement=agreement, due_on=EFFECTIVE, completed_on=EFFECTIVE,
            outcome=ReviewOutcome.NO_CHANGE,
        )

        assert agreement.reviews.count() == 1

    def test_open_review_needs_no_outcome(self):
        agreement = AgreementFactory()

        Review.objects.create(agreement=agreement, due_on=EFFECTIVE)

        assert agreement.reviews.count() == 1

    def test_one_review_per_trigger(self):
        agreement = AgreementFactory()
        Review.objects.create(agreement=agreement, due_on=EFFECTIVE, trigger="breach", trigger_key="breach:1")

        with violates(Review, "review_once_per_trigger"):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE, trigger="breach", trigger_key="breach:1")

    def test_reviews_without_a_trigger_key_may_be_many(self):
        agreement = AgreementFactory()

        for _ in range(2):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE, trigger="chair_request")

        assert agreement.reviews.count() == 2

    def test_one_open_scheduled_review_at_a_time(self):
        agreement = AgreementFactory()
        Review.objects.create(
            agreement=agreement, due_on=EFFECTIVE, completed_on=EFFECTIVE, outcome=ReviewOutcome.NO_CHANGE,
        )
        Review.objects.create(agreement=agreement, due_on=EFFECTIVE + DAY)

        with violates(Review, "review_one_open_scheduled"):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE + 2 * DAY)

    def test_findings_are_reported_only_after_the_review(self):
        agreement = AgreementFactory()

        with violates(Review, "review_findings_reported_after_completion"):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE, findings_reported_on=EFFECTIVE)
        with violates(Review, "review_findings_reported_after_completion"):
            Review.objects.create(
                agreement=agreement, due_on=EFFECTIVE, completed_on=EFFECTIVE, outcome=ReviewOutcome.NO_CHANGE,
                findings_reported_on=EFFECTIVE - DAY,
            )


def test_reviews_ahead_reads_the_open_triggers_and_the_dpia_reviews_coming_at_once(roles):
    # "What's due" read the agreements in force three times, and their DPIAs twice (issue 15).
    breach(roles.agreement, roles.partner)
    for agreement, review_on in ((roles.agreement, TODAY + 10 * DAY), (roles.unrelated_agreement, TODAY - DAY)):
        Dpia.objects.update_or_create(agreement=agreement, defaults={
            "needed": True, "reference": f"DPIA-{agreement.pk}", "review_on": review_on})
    agreements = Agreement.objects.all()
    with CaptureQueriesContext(connection) as open_alone:
        open_events = review_triggers_open(on=TODAY, agreements=agreements)

    with CaptureQueriesContext(connection) as together:
        ahead = reviews_ahead(on=TODAY, within_days=30, agreements=agreements)

    assert ahead.open == open_events
    assert [event.key for event in ahead.open] == [f"dpia:{roles.unrelated_agreement.dpia.pk}:{TODAY - DAY}",
                                                   f"breach:{Breach.objects.get().pk}"]
    assert [event.key for event in ahead.coming] == [f"dpia:{roles.agreement.dpia.pk}:{TODAY + 10 * DAY}"]
    assert {agreement.pk for agreement in ahead.in_force} == {roles.agreement.pk, roles.unrelated_agreement.pk}
    # The DPIA reviews coming and the agreements in force cost nothing more than the open triggers.
    assert len(together) == len(open_alone)
