"""The log page and stale agreements (issue 13, item 8): the warning while an overdue review is
in its grace period, the refusal after it, shown on the page and against the question."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from sharing_log.models import Disclosure
from tests.auth import sign_in
from tests.sharing_log.helpers import day, error_summary
from tests.sharing_log.helpers.disclosures import routine_share, with_token

pytestmark = pytest.mark.django_db

CREATE = reverse("sharing_log:create")



def review_overdue_by(agreement, days: int, *, grace: int = 90) -> datetime.date:
    due = timezone.localdate() - datetime.timedelta(days=days)
    Agreement.objects.filter(pk=agreement.pk).update(next_review_due=due, review_overdue_grace_days=grace)
    return due


def test_the_log_page_warns_of_an_overdue_review_and_the_entry_is_logged_with_the_warning(client, roles, art6):
    due = review_overdue_by(roles.agreement, 10)
    warning = (
        f"The review of {roles.agreement} has been overdue since {day(due)}. Sharing under it will be refused "
        f"after {day(due + datetime.timedelta(days=90))} unless the review is completed."
    )
    sign_in(client, roles.practitioner)

    page = html.unescape(client.get(CREATE).content.decode())
    response = client.post(CREATE, with_token(client, routine_share(roles, art6)), follow=True)

    assert warning in page
    assert Disclosure.objects.count() == 1
    assert warning in html.unescape(response.content.decode())


def test_after_the_grace_period_the_page_says_so_and_the_entry_is_refused(client, roles, art6):
    due = review_overdue_by(roles.agreement, 100)
    refusal = (
        f"The review of {roles.agreement} has been overdue since {day(due)}, longer than the 90 days the agreement "
        "allows: nothing more may be shared under it until its review is completed. Ask its governance manager "
        "to complete the review. A decision not to share may still be logged."
    )
    sign_in(client, roles.practitioner)

    page = html.unescape(client.get(CREATE).content.decode())
    response = client.post(CREATE, with_token(client, routine_share(roles, art6)))

    assert refusal in page
    assert response.status_code == 200
    assert refusal in html.unescape(error_summary(response))
    assert Disclosure.objects.count() == 0


def test_a_day_still_to_come_is_refused_alone_not_with_a_review_overdue_by_then(client, roles, art6):
    """An agreement whose review falls due in six months, logged against a day eighteen months
    ahead by mistake: the date is the problem, not a review "overdue" by a day that has not come."""
    Agreement.objects.filter(pk=roles.agreement.pk).update(
        next_review_due=timezone.localdate() + datetime.timedelta(days=180), review_overdue_grace_days=90)
    ahead = timezone.localtime() + datetime.timedelta(days=540)
    sign_in(client, roles.practitioner)

    response = client.post(CREATE, with_token(client, routine_share(
        roles, art6, **{"occurred_on-day": ahead.day, "occurred_on-month": ahead.month,
                        "occurred_on-year": ahead.year})))

    assert response.status_code == 200
    summary = html.unescape(error_summary(response))
    assert "The date and time it happened must be now or in the past." in summary
    assert "overdue" not in summary
    assert Disclosure.objects.count() == 0
