# ruff: noqa: F811 (the scene fixtures are imported from test_qa_reviews)
"""QA review pages (agreements/views/qa_reviews.py, the agreement page's link and the status
page's refusal; decision 0064). Who may reach them is tests/test_permission_matrix.py's business."""

import html

import pytest
from django.urls import reverse

from agreements.models import QaCheckpoint, QaOutcome, QaReview, Status
from partners.models import Notification
from tests.agreements.test_qa_reviews import checklist, s  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def qa_url(s):
    return reverse("agreements:qa_review", kwargs={"pk": s.agreement.pk})


def error_summary(response) -> str:
    content = response.content.decode()
    assert 'class="govuk-error-summary"' in content, "no error summary on the page"
    return content


def review_post(s, **changes):
    data = {"action": "review", "version": s.version.pk, "outcome": QaOutcome.PASSED, "comments": ""}
    for point in QaCheckpoint.objects.filter(active=True):
        data[f"point_{point.pk}"] = "met"
    data.update(changes)
    return data


def test_the_owner_names_the_group_and_its_reviewers(client, sign_in, s):
    s.agreement.qa_required = False
    s.agreement.save()
    s.agreement.qa_reviewers.clear()

    response = sign_in(client, s.manager).post(qa_url(s), {
        "action": "requirement", "required": "yes", "group_name": "Dyfed WASPI QA group",
        "reviewer_emails": "QUINN@example.gov.uk\n",
    })

    assert response.status_code == 302
    s.agreement.refresh_from_db()
    assert (s.agreement.qa_required, s.agreement.qa_group_name) == (True, "Dyfed WASPI QA group")
    assert list(s.agreement.qa_reviewers.all()) == [s.reviewer]


def test_an_address_without_an_account_is_in_the_error_summary(client, sign_in, s):
    response = sign_in(client, s.manager).post(qa_url(s), {
        "action": "requirement", "required": "yes", "reviewer_emails": "nobody@example.gov.uk",
    })

    assert "No ISA Portal account has the address nobody@example.gov.uk" in error_summary(response)


def test_the_reviewer_records_a_pass_and_the_drafter_is_told(client, sign_in, s):
    client = sign_in(client, s.reviewer)
    page = client.get(qa_url(s)).content.decode()
    assert "Review version 1.0" in page and "Lawful basis" in page

    response = client.post(qa_url(s), review_post(s))

    assert response.status_code == 302
    review = QaReview.objects.get()
    assert (review.outcome, review.content_hash, review.reviewer_name) == (
        QaOutcome.PASSED, s.version.content_hash, "Quinn Assurer",
    )
    assert Notification.objects.filter(recipient=s.drafter, subject__startswith="QA review passed").exists()
    page = client.get(qa_url(s)).content.decode()
    assert "Passed (Quinn Assurer" in page


def test_a_point_left_unanswered_is_in_the_error_summary_and_nothing_is_saved(client, sign_in, s):
    point = QaCheckpoint.objects.filter(active=True).first()
    data = review_post(s)
    del data[f"point_{point.pk}"]

    response = sign_in(client, s.reviewer).post(qa_url(s), data)

    assert f"Select met, not met or not applicable for “{point.text}”" in error_summary(response)
    assert not QaReview.objects.exists()


def test_coming_into_force_without_a_pass_is_refused_in_the_error_summary(client, sign_in, s):
    response = sign_in(client, s.manager).post(
        reverse("agreements:status", kwargs={"pk": s.agreement.pk}), {"to": Status.IN_FORCE},
    )

    assert ("Cannot come into force: the QA review by Borsetshire WASPI QA group has not passed version 1.0."
            in error_summary(response))
    s.agreement.refresh_from_db()
    assert s.agreement.status == Status.AWAITING_SIGNATURES


def test_the_agreement_page_links_its_manager_to_the_qa_page(client, sign_in, s):
    page = sign_in(client, s.manager).get(s.agreement.get_absolute_url())

    assert page.status_code == 200
    assert qa_url(s) in page.content.decode()


def test_the_qa_page_and_its_errors_read_in_welsh(client, sign_in, s):
    """Decision 0064, amended: the page, its form and the service's errors are marked and translated."""
    reviewer = sign_in(client, s.reviewer)
    reviewer.post(reverse("language"), {"language": "cy", "next": "/"})

    response = reviewer.post(qa_url(s), review_post(s, outcome=QaOutcome.CHANGES_NEEDED))

    content = html.unescape(error_summary(response))
    assert '<h1 class="govuk-heading-l">Adolygiad sicrhau ansawdd</h1>' in content
    assert "Rhowch y newidiadau sydd eu hangen" in content
    assert "Cofnodi’r adolygiad sicrhau ansawdd" in content
