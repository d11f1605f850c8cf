"""Breaches in real Chromium: the owner's governance manager records a personal data breach (first
with nothing filled in, to see the error summary), sees its deadlines in working days and the
ICO's 72 hours, with what is overdue marked; the partner's SPOC, told of it, acknowledges it for
the partner. axe-core checks every page on the way.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements.clocks import ENGLAND_AND_WALES, add_working_days, ico_due
from agreements.models import Breach
from partners.models import Notification
from tests.factories import ContactFactory

from .helpers import check_page, sign_in_browser

# The journey runs on Wednesday 17 June 2026 from 10:00 (the clock ticks, for the live server too),
# with its cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = pytest.mark.pinned_clock(PINNED)


def long_day(day) -> str:
    """Monday 1 June 2026, as the pages show a due date."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_governance_manager_records_a_breach_and_the_partners_spoc_acknowledges_it(page, live_server, roles):
    spoc_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example")
    discovered_on = timezone.localdate() - datetime.timedelta(days=10)

    sign_in_browser(page, live_server, roles.governance_manager, next_path="/breaches/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Breaches and near misses")
    check_page(page)

    page.get_by_role("button", name="Record a breach or near miss").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a breach or near miss")
    check_page(page)

    page.get_by_role("button", name="Record and tell the partners").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the agreement that was breached")
    expect(summary).to_contain_text("Enter the date it was discovered")
    expect(summary).to_contain_text("Select yes if it is a personal data breach")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    assert Breach.objects.exists() is False

    page.get_by_label("Agreement", exact=True).select_option(label=str(roles.agreement))
    page.get_by_label("Organisation reporting it").select_option(label="Borsetshire County Council")
    page.get_by_label("Breach of the agreement").check()
    discovered = page.get_by_role("group", name="Date it was discovered")
    discovered.get_by_label("Day").fill(str(discovered_on.day))
    discovered.get_by_label("Month").fill(str(discovered_on.month))
    discovered.get_by_label("Year").fill(str(discovered_on.year))
    page.get_by_label("Time it was discovered").fill("09:15")
    page.get_by_label("What happened?").fill("A case summary was e-mailed to the wrong partner's shared mailbox.")
    page.get_by_label("What data was involved?").fill("Names, addresses and offence details of 2 adults.")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record and tell the partners").click()

    expect(page.get_by_role("alert")).to_contain_text("Breach of the agreement recorded. Every other partner's SPOC "
                                                      "has been told.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Breach discovered {discovered_on.day} "
                                                              f"{discovered_on:%B %Y}")
    breach = Breach.objects.get()

    # Working days from the day of discovery, and the ICO's 72 hours to the minute.
    for label, days in (("Other partners told", 5), ("Report from the partner in breach", 10),
                        ("Partners' meeting", 20)):
        due = add_working_days(discovered_on, days, jurisdiction=ENGLAND_AND_WALES)
        expect(page.get_by_role("row", name=re.compile(f"^{label}"))).to_contain_text(long_day(due))
    ico = timezone.localtime(ico_due(breach.discovered_at))
    ico_row = page.get_by_role("row", name=re.compile("^Reported to the ICO"))
    expect(ico_row).to_contain_text(f"{long_day(ico)}, 09:15")
    expect(ico_row.locator(".govuk-tag--red")).to_have_text("Overdue")
    expect(page.locator(".govuk-warning-text").first).to_contain_text("Overdue – Reported to the ICO")
    check_page(page)
    assert Notification.objects.filter(recipient=spoc_contact, url=breach.get_absolute_url()).exists()
    page.get_by_role("button", name="Sign out").click()

    # The partner's SPOC finds it among the breaches and acknowledges it for the partner.
    sign_in_browser(page, live_server, roles.spoc, next_path="/breaches/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Breaches and near misses")
    check_page(page)
    page.get_by_role("link", name=re.compile(r"^Breach of the agreement discovered")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Breach discovered"))
    expect(page.get_by_role("button", name="Record progress")).to_have_count(0)
    check_page(page)

    page.get_by_role("button", name="Acknowledge for Borsetshire Police").click()
    expect(page.get_by_role("alert")).to_contain_text("Acknowledged for Borsetshire Police")
    expect(page.get_by_role("row", name=re.compile("^Borsetshire Police"))).not_to_contain_text("Not yet")
    check_page(page)
    notification = breach.notifications.get()
    assert notification.acknowledged_by == roles.spoc
