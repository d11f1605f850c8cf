"""What's due in real Chromium: the owner's governance manager records a breach on the breaches page,
sees its deadlines, and — once the daily scheduler has run — finds on "What's due" the review the
breach triggered and the breach's overdue ICO deadline under a red "Overdue" tag, and follows the
review's link to where it is done. axe-core checks every page on the way.
"""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from agreements.clocks import ENGLAND_AND_WALES, add_working_days
from agreements.models import Agreement, Breach, Review, ReviewTrigger, Status
from tests.factories import ContactFactory, DisclosureFactory

from .helpers import check_page, sign_in_browser

# The journey runs on Wednesday 17 June 2026 from 10:00 (the clock ticks, for the live server too),
# with its cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = pytest.mark.pinned_clock(PINNED)


def long_day(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_governance_manager_records_a_breach_and_finds_the_review_it_triggered_on_whats_due(
    page, live_server, roles,
):
    # No scheduled review is near: the only review due is the one the breach triggers.
    Agreement.objects.filter(status=Status.IN_FORCE).update(next_review_due=timezone.localdate() + datetime.timedelta(
        days=400))
    ContactFactory(organisation=roles.owner, user=roles.governance_manager, name="Alex Example")
    roles.name_spocs()  # every party has named its SPOC: nothing is due of that
    discovered_on = timezone.localdate() - datetime.timedelta(days=6)

    sign_in_browser(page, live_server, roles.governance_manager, next_path="/due/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What's due")
    expect(page.get_by_text("Nothing is due or overdue for you.")).to_be_visible()
    check_page(page)

    page.goto(f"{live_server.url}/breaches/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a breach or near miss")
    page.get_by_label("Agreement", exact=True).select_option(label=str(roles.agreement))
    page.get_by_label("Organisation reporting it").select_option(label="Borsetshire Police")
    page.get_by_label("Breach of the agreement").check()
    discovered = page.get_by_role("group", name="Date it was discovered")
    discovered.get_by_label("Day").fill(str(discovered_on.day))
    discovered.get_by_label("Month").fill(str(discovered_on.month))
    discovered.get_by_label("Year").fill(str(discovered_on.year))
    page.get_by_label("Time it was discovered").fill("09:15")
    page.get_by_label("What happened?").fill("A referral was sent to the wrong partner's shared mailbox.")
    page.get_by_label("What data was involved?").fill("Addresses of 2 adults.")
    page.get_by_label("Yes", exact=True).check()
    check_page(page)
    page.get_by_role("button", name="Record and tell the partners").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Breach discovered {discovered_on.day} "
                                                              f"{discovered_on:%B %Y}")
    report_due = add_working_days(discovered_on, 10, jurisdiction=ENGLAND_AND_WALES)
    expect(page.get_by_role("row", name=re.compile("^Report from the partner in breach"))).to_contain_text(
        long_day(report_due))
    check_page(page)
    breach = Breach.objects.get()

    # The daily run opens the review the breach makes due (001 §6.4).
    call_command("run_scheduler", stdout=StringIO())
    review = Review.objects.get(trigger=ReviewTrigger.BREACH)

    page.get_by_role("link", name="What's due").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What's due")
    overdue = page.locator("table", has=page.get_by_text("Overdue, longest overdue first"))
    ico_row = overdue.get_by_role("row", name=re.compile("^Breach Reported to the ICO"))
    expect(ico_row.locator(".govuk-tag--red")).to_have_text("Overdue")
    expect(ico_row.get_by_role("link")).to_have_attribute("href", breach.get_absolute_url())
    review_row = page.get_by_role("row", name=re.compile("^Review Carry out the review of BCSP ISA"))
    expect(review_row).to_contain_text("After a breach")
    expect(review_row).to_contain_text(f"{timezone.localdate().day} {timezone.localdate():%B %Y}")
    check_page(page)

    review_row.get_by_role("link", name="Carry out the review of BCSP ISA").click()
    expect(page).to_have_url(re.compile(f"{re.escape(review.get_absolute_url())}$"))
    check_page(page)


def test_a_spoc_pages_through_whats_due_and_the_inbox(page, live_server, roles):
    # More receipts than a page of either holds (50): numbered pages, each passing axe.
    for number in range(52):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner,
                          occurred_at=timezone.now() - datetime.timedelta(days=10, minutes=number))

    sign_in_browser(page, live_server, roles.spoc, next_path="/due/")
    expect(page.get_by_text("Showing 1 to 50 of")).to_be_visible()
    check_page(page)
    page.get_by_role("navigation", name="Pages of what's due").get_by_role("link", name="Next").click()
    expect(page).to_have_title(re.compile(r"^What's due \(page 2 of 2\)"))
    check_page(page)

    page.goto(f"{live_server.url}/log/inbox/")
    expect(page.get_by_text(re.compile(r"^Showing 1 to 50 of 5\d, oldest first\.$"))).to_be_visible()
    page.get_by_role("navigation", name="Pages of information awaiting acknowledgement").get_by_role(
        "link", name="Page 2").click()
    expect(page).to_have_title(re.compile(r"^Awaiting acknowledgement \(page 2 of 2\)"))
    check_page(page)
