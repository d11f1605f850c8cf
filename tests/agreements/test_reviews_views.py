"""The reviews pages (agreements/views/reviews.py): what they show, what they save, and the
GOV.UK errors when input is bad.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py);
here, the owner's governance manager uses the pages and a partner's auditor reads them.
"""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Breach, Review, ReviewOutcome, ReviewTrigger, Status
from agreements.services import (
    agreement_version_create,
    review_action_add,
    review_complete,
    review_start,
    reviews_due_create,
)
from agreements.services.reviews import CHAIR_REQUEST
from tests.agreements.helpers import error_summary
from tests.factories import ContactFactory

MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
# Every test runs on Monday morning, and the module's shared standard cast is built then too.
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY)]
TODAY = MONDAY.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(MONDAY)


@pytest.fixture
def roles(roles):
    """The standard cast, its agreements' scheduled reviews months away."""
    Agreement.objects.filter(status=Status.IN_FORCE).update(next_review_due=datetime.date(2026, 9, 2))
    roles.agreement.refresh_from_db()
    return roles


@pytest.fixture
def manager(client, roles, sign_in):
    return sign_in(client, roles.governance_manager)


@pytest.fixture
def riley(roles):
    return ContactFactory(organisation=roles.partner, name="Riley Example", job_title="Analyst")


@pytest.fixture
def review(roles):
    return review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                        reason="The board asked whether schools should join.")


def url(name, roles, review=None, **kwargs):
    args = {"pk": roles.agreement.pk, **kwargs}
    if review is not None:
        args["review_pk"] = review.pk
    return reverse(f"agreements:{name}", kwargs=args)


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def breach(roles) -> Breach:
    return Breach.objects.create(
        agreement=roles.agreement, reporting_organisation=roles.partner,
        discovered_at=timezone.now() - datetime.timedelta(hours=20), description="Sent to the wrong team.",
    )


class TestReviewList:
    def test_an_overdue_review_is_unmistakable(self, manager, roles, review):
        type(review).objects.filter(pk=review.pk).update(due_on=TODAY - DAY)

        content = manager.get(url("reviews", roles)).content.decode()

        overdue = content.split('<h2 class="govuk-heading-m">Overdue</h2>', 1)[1].split("<h2", 1)[0]
        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in overdue
        assert "The board asked whether schools should join." in overdue

    def test_shows_due_and_completed_reviews_with_trigger_and_reason(self, manager, roles, review, riley):
        done = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                            reason="The chair asked about retention.")
        review_complete(review=done, by_user=roles.governance_manager, completed_on=TODAY, reviewers=[riley],
                        findings="Fine.", outcome=ReviewOutcome.NO_CHANGE)

        content = manager.get(url("reviews", roles)).content.decode()

        due, completed = content.split('<h2 class="govuk-heading-m">Due</h2>', 1)[1].split(
            '<h2 class="govuk-heading-m">Completed</h2>', 1,
        )
        assert "The board asked whether schools should join." in due and "govuk-tag--blue" in due
        assert "The chair asked about retention." in completed
        assert "Chair&#x27;s request" in completed and "No change" in completed
        assert "Due by 2 April 2026" in completed  # the findings report

    def test_a_trigger_waiting_for_a_review_is_shown_with_its_reason(self, manager, roles):
        breach(roles)

        content = manager.get(url("reviews", roles)).content.decode()

        assert "Due now, not yet started" in content
        assert "A breach reported by Borsetshire Police, discovered on 1 March 2026" in content

    def test_a_review_opened_by_the_daily_check_is_listed_as_due(self, manager, roles):
        breach(roles)
        [review] = reviews_due_create(on=TODAY)

        content = manager.get(url("reviews", roles)).content.decode()

        assert "Due now, not yet started" not in content
        assert f'href="{review.get_absolute_url()}"' in content

    def test_only_the_owners_governance_managers_are_offered_to_start_one(self, client, roles, sign_in, manager):
        start = url("review_start", roles)

        assert start in manager.get(url("reviews", roles)).content.decode()
        auditor = sign_in(client, roles.auditor).get(url("reviews", roles)).content.decode()
        assert start not in auditor and "Reviews" in auditor

    def test_reviews_are_in_the_agreements_sub_navigation(self, manager, roles):
        content = manager.get(roles.agreement.get_absolute_url()).content.decode()

        assert f'<a class="moj-sub-navigation__link" href="{url("reviews", roles)}">Reviews</a>' in content


class TestReviewStart:
    def test_offers_the_waiting_triggers_and_a_chairs_request(self, manager, roles):
        recorded = breach(roles)

        content = manager.get(url("review_start", roles)).content.decode()

        assert f'value="breach:{recorded.pk}"' in content
        assert "The chair of the partnership asked for a review" in content
        assert "The scheduled review, due 2 September 2026" in content

    def test_nothing_chosen_shows_the_error_summary_and_saves_nothing(self, manager, roles):
        response = manager.post(url("review_start", roles), {})

        assert response.status_code == 200
        assert "Choose why the agreement is being reviewed" in error_summary(response)
        assert not roles.agreement.reviews.exists()

    def test_a_chairs_request_without_a_reason_is_refused(self, manager, roles):
        response = manager.post(url("review_start", roles), {"why": CHAIR_REQUEST, "reason": ""})

        assert "Enter what the chair asked the partners to review, and why" in error_summary(response)
        assert not roles.agreement.reviews.exists()

    def test_a_trigger_answered_meanwhile_is_refused(self, manager, roles):
        recorded = breach(roles)
        reviews_due_create(on=TODAY)

        response = manager.post(url("review_start", roles), {"why": f"breach:{recorded.pk}"})

        assert "That reason has already been answered by a review. Choose another" in error_summary(response)
        assert roles.agreement.reviews.count() == 1

    def test_a_chairs_request_is_started_and_shown(self, manager, roles):
        response = manager.post(url("review_start", roles), {"why": CHAIR_REQUEST, "reason": "Schools joining."})

        review = roles.agreement.reviews.get()
        assert (review.trigger, review.reason, review.due_on) == (
            ReviewTrigger.CHAIR_REQUEST, "Schools joining.", TODAY,
        )
        assert response["Location"] == review.get_absolute_url()
        page = manager.get(response["Location"]).content.decode()
        assert "The review is started. It is due by 2 March 2026." in page


class TestReviewComplete:
    def test_an_empty_form_shows_every_error_and_saves_nothing(self, manager, roles, review):
        response = manager.post(url("review_detail", roles, review), {})

        summary = error_summary(response)
        for message in ("Enter the date the review was held", "Choose who reviewed the agreement",
                        "Enter what the review found", "Choose the outcome of the review"):
            assert message in summary
        review.refresh_from_db()
        assert review.completed_on is None

    def test_a_date_in_the_future_is_refused_by_the_service_and_nothing_is_saved(self, manager, roles, review, riley):
        response = manager.post(url("review_detail", roles, review), {
            **date_fields("completed_on", TODAY + DAY), "reviewers": [riley.pk], "findings": "Fine.",
            "outcome": ReviewOutcome.NO_CHANGE,
        })

        assert "The date the review was held must be today or in the past" in error_summary(response)
        review.refresh_from_db()
        roles.agreement.refresh_from_db()
        assert (review.completed_on, review.reviewers.count(), roles.agreement.last_review_on) == (None, 0, None)

    def test_a_substantive_change_with_nothing_changed_is_refused(self, manager, roles, riley):
        roles.agreement.status = Status.AWAITING_SIGNATURES
        roles.agreement.save()
        agreement_version_create(agreement=roles.agreement, label="1.0")
        roles.agreement.status = Status.IN_FORCE
        roles.agreement.save()
        review = review_start(agreement=roles.agreement, by_user=roles.governance_manager, why=CHAIR_REQUEST,
                              reason="The board asked.")

        response = manager.post(url("review_detail", roles, review), {
            **date_fields("completed_on", TODAY), "reviewers": [riley.pk], "findings": "Needs a new section.",
            "outcome": ReviewOutcome.SUBSTANTIVE,
        })

        assert "Nothing in the agreement has changed since version 1.0 was made." in error_summary(response)
        review.refresh_from_db()
        assert review.completed_on is None

    def test_completing_records_the_review_and_says_when_the_findings_are_due(self, manager, roles, review, riley):
        response = manager.post(url("review_detail", roles, review), {
            **date_fields("completed_on", TODAY), "reviewers": [riley.pk], "findings": "Working well.",
            "outcome": ReviewOutcome.MINOR,
        }, follow=True)

        content = response.content.decode()
        assert "The review is recorded as completed. Its findings must be reported by 2 April 2026." in content
        assert "Riley Example, Analyst, Borsetshire Police" in content
        assert "Record the review as completed" not in content
        review.refresh_from_db()
        assert (review.completed_on, review.outcome) == (TODAY, ReviewOutcome.MINOR)

    def test_a_completed_review_cannot_be_completed_again(self, manager, roles, review, riley):
        data = {**date_fields("completed_on", TODAY), "reviewers": [riley.pk], "findings": "Fine.",
                "outcome": ReviewOutcome.NO_CHANGE}
        manager.post(url("review_detail", roles, review), data)

        response = manager.post(url("review_detail", roles, review), {**data, "findings": "Changed my mind."})

        assert "This review was completed on 2 March 2026." in error_summary(response)
        review.refresh_from_db()
        assert review.findings == "Fine."

    def test_a_reader_sees_the_review_without_the_form(self, client, roles, review, sign_in):
        content = sign_in(client, roles.auditor).get(url("review_detail", roles, review)).content.decode()

        assert "The board asked whether schools should join." in content
        assert "Record the review as completed" not in content
        assert "Add an action" not in content


class TestActions:
    def test_an_empty_form_shows_every_error_and_saves_nothing(self, manager, roles, review):
        response = manager.post(url("review_action_add", roles, review), {})

        summary = error_summary(response)
        for message in ("Enter what needs to be done", "Choose who will do it", "Enter the date it is due"):
            assert message in summary
        assert not review.actions.exists()

    def test_an_owner_from_outside_the_parties_is_refused(self, manager, roles, review):
        outsider = ContactFactory(organisation=roles.unrelated_organisation)

        response = manager.post(url("review_action_add", roles, review), {
            "description": "Update the SPOC list.", "owner": outsider.pk, **date_fields("due_on", TODAY),
        })

        assert "Choose someone from the parties to the agreement" in error_summary(response)
        assert not review.actions.exists()

    def test_an_action_is_added_and_marked_done(self, manager, roles, review, riley):
        manager.post(url("review_action_add", roles, review), {
            "description": "Update the SPOC list.", "owner": riley.pk, **date_fields("due_on", TODAY + 30 * DAY),
        })
        action = review.actions.get()

        response = manager.post(
            url("review_action_done", roles, review, action_pk=action.pk), date_fields("done_on", TODAY), follow=True,
        )

        action.refresh_from_db()
        assert (action.owner, action.due_on, action.done_on) == (riley, TODAY + 30 * DAY, TODAY)
        assert "The action is marked done." in response.content.decode()

    def test_an_overdue_action_is_marked_overdue(self, manager, roles, review, riley):
        Review.objects.filter(pk=review.pk).update(created_at=review.created_at - 10 * DAY)  # started earlier
        review.refresh_from_db()
        review_action_add(review=review, description="Update the SPOC list.", owner=riley, due_on=TODAY - DAY)

        content = manager.get(url("review_detail", roles, review)).content.decode()

        assert '1 March 2026 <strong class="govuk-tag govuk-tag--red">Overdue</strong>' in content

    def test_a_date_that_does_not_exist_is_refused(self, manager, roles, review, riley):
        action = review_action_add(review=review, description="Update the SPOC list.", owner=riley, due_on=TODAY)

        response = manager.post(url("review_action_done", roles, review, action_pk=action.pk), {
            "done_on-day": "30", "done_on-month": "2", "done_on-year": "2026",
        })

        assert "The date it was done must be a real date" in error_summary(response)
        action.refresh_from_db()
        assert action.done_on is None


class TestFindingsReported:
    def test_refused_before_the_review_is_completed(self, manager, roles, review):
        response = manager.post(url("review_findings_reported", roles, review), date_fields("reported_on", TODAY))

        assert "Record the review as completed before recording that its findings were reported." in error_summary(
            response,
        )
        review.refresh_from_db()
        assert review.findings_reported_on is None

    def test_recorded_and_shown(self, manager, roles, review, riley):
        review_complete(review=review, by_user=roles.governance_manager, completed_on=TODAY, reviewers=[riley],
                        findings="Fine.", outcome=ReviewOutcome.NO_CHANGE)

        response = manager.post(
            url("review_findings_reported", roles, review), date_fields("reported_on", TODAY), follow=True,
        )

        assert "Reported 2 March 2026" in response.content.decode()
