"""The governance manager's reviews journey in Chromium: a breach makes a review due, the daily
check opens it and tells the manager, who finds it on the reviews page, completes it with an
action, marks the action done and records that the findings were reported; then starts a
review at the chair's request. axe on every page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Agreement, Breach, ReviewOutcome, Status
from agreements.services import reviews_due_create
from tests.factories import ContactFactory

from .helpers import check_page, sign_in_browser

# The journey runs on Wednesday 17 June 2026 from 10:00 (the clock ticks, for the live server too),
# with its cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = pytest.mark.pinned_clock(PINNED)


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def fill_date(page, name: str, day: datetime.date) -> None:
    page.locator(f"#id_{name}-day").fill(str(day.day))
    page.locator(f"#id_{name}-month").fill(str(day.month))
    page.locator(f"#id_{name}-year").fill(str(day.year))


def test_governance_manager_completes_a_review_a_breach_made_due(page, live_server, roles):
    today = timezone.localdate()
    # The scheduled review is months away: only the breach makes one due.
    Agreement.objects.filter(status=Status.IN_FORCE).update(next_review_due=today + datetime.timedelta(days=120))
    ContactFactory(organisation=roles.owner, user=roles.governance_manager, name="Sam Example")
    ContactFactory(organisation=roles.partner, name="Riley Example", job_title="Analyst")
    Breach.objects.create(
        agreement=roles.agreement, reporting_organisation=roles.partner,
        discovered_at=timezone.now() - datetime.timedelta(hours=3),
        description="A referral was e-mailed to the wrong team.",
    )
    [review] = reviews_due_create()
    reviews_url = f"{live_server.url}/agreements/{roles.agreement.pk}/reviews/"

    # Told by the daily check, the manager follows the notification to the review.
    sign_in_browser(page, live_server, roles.governance_manager)
    page.get_by_role("link", name="Notifications (1 unread)").click()
    check_page(page)
    page.get_by_role("link", name="A review of BCSP ISA is due").click()
    expect(page).to_have_url(f"{live_server.url}{review.get_absolute_url()}")

    # The reviews page, from the agreement's sub-navigation: the review is due now, with why.
    page.goto(f"{live_server.url}{roles.agreement.get_absolute_url()}")
    page.get_by_role("navigation", name="Agreement pages").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews")
    expect(page.locator("main")).to_contain_text("A breach reported by Borsetshire Police")
    check_page(page)
    page.get_by_role("link", name=f"After a breach (due {long_date(today)})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review: After a breach")
    check_page(page)

    # Completing it: nothing filled in first, then the review as held.
    page.locator("#id_completed_on-day").fill("")
    page.get_by_role("button", name="Record the review as completed").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who reviewed the agreement")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date the review was held must include a day")
    check_page(page)
    fill_date(page, "completed_on", today)
    page.get_by_label("Riley Example, Analyst, Borsetshire Police").check()
    page.get_by_label("What did the review find?").fill("The referral route needs a second check before sending.")
    page.get_by_label("Minor change").check()
    page.get_by_role("button", name="Record the review as completed").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The review is recorded as completed. Its findings must be reported by "
        f"{long_date(today + relativedelta(months=1))}."
    )
    check_page(page)

    # An action, with its owner and due date; then done.
    page.get_by_role("button", name="Add an action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    check_page(page)
    page.get_by_label("What needs to be done?").fill("Add a second check to the referral route.")
    page.get_by_label("Who will do it?").select_option(label="Riley Example, Analyst, Borsetshire Police")
    fill_date(page, "due_on", today + datetime.timedelta(days=14))
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Riley Example owns it.")
    expect(page.get_by_role("table")).to_contain_text("Add a second check to the referral route.")
    check_page(page)
    page.get_by_role("link", name=re.compile("^Mark done")).click()
    check_page(page)
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The action is marked done.")

    # The findings reported to the partners.
    page.get_by_role("link", name="Record that the findings were reported").click()
    check_page(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text(f"Reported {long_date(today)}")
    check_page(page)

    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.MINOR
    assert review.actions.get().done_on == today

    # A chair's request: the reason is asked for before the review starts.
    page.goto(reviews_url)
    expect(page.locator("main")).to_contain_text("Completed")
    check_page(page)
    page.get_by_role("button", name="Start a review").click()
    check_page(page)
    page.get_by_label("The chair of the partnership asked for a review").check()
    page.get_by_role("button", name="Start the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what the chair asked the partners to review, and why"
    )
    check_page(page)
    page.get_by_label("Reason").fill("The board asked whether schools should join.")
    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review: Chair's request")
    check_page(page)
