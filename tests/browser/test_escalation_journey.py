"""Escalation and case closure in real Chromium: the partner refused escalates the refusal, the
agreement owner's governance manager resolves it; a SPOC closes a case and sees the retention due
date on the entry. axe-core checks every page on the way, error states included.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from sharing_log.models import CaseClosure, Decision, Disclosure, Escalation, EscalationOutcome, EscalationStatus
from tests.factories import DisclosureFactory

from .helpers import check_page, sign_in_browser

# The journey runs on Wednesday 17 June 2026 from 10:00 (the clock ticks, for the live server too),
# with its cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = pytest.mark.pinned_clock(PINNED)

CONCERN = "Our referral says the child may be at risk at home: the incident history is needed for the strategy meeting."



def test_partner_escalates_a_refusal_and_the_owners_governance_manager_resolves_it(page, live_server, roles):
    refusal = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
        disclosed_by=roles.spoc, decision=Decision.REQUEST_REFUSED, art6_basis=None, case_reference="BP-2026-0311",
        decision_reason="Disclosure would prejudice an ongoing investigation.",
    )

    # The County Council asked and was refused: its practitioner escalates.
    sign_in_browser(page, live_server, roles.practitioner, next_path=f"/log/{refusal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request refused: Borsetshire County Council")
    expect(page.get_by_text("This refusal has not been escalated.")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Escalate this refusal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalate this refusal")
    check_page(page)

    page.get_by_role("button", name="Escalate refusal").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say why the information is needed to keep a child safe")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    assert Escalation.objects.exists() is False

    page.get_by_label("Why is the information needed to keep a child safe?").fill(CONCERN)
    page.get_by_role("button", name="Escalate refusal").click()
    expect(page.get_by_role("alert")).to_contain_text("Refusal escalated to Borsetshire County Council")
    expect(page.get_by_text("Waiting for the lead's decision")).to_be_visible()
    check_page(page)
    escalation = Escalation.objects.get()
    assert (escalation.raised_by, escalation.concern) == (roles.practitioner, CONCERN)
    page.get_by_role("button", name="Sign out").click()

    # The owner's governance manager, the agreement's lead, finds it on the home page's count of
    # what is overdue, first on "What's due" (decided at pace), and in the list of escalations.
    sign_in_browser(page, live_server, roles.governance_manager, next_path="/")
    check_page(page)
    page.get_by_role("link", name=re.compile(r"^What's due: [1-9]\d* overdue, \d+ coming up$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What's due")
    check_page(page)
    overdue = page.locator("table", has=page.get_by_text("Overdue, longest overdue first"))
    first = overdue.locator("tbody tr").first
    expect(first).to_contain_text("Escalation")
    expect(first.locator(".govuk-tag--red")).to_have_text("Overdue")
    expect(first.get_by_role("link")).to_have_text(
        "Decide the refusal Borsetshire County Council escalated to keep a child safe")
    expect(first.get_by_role("link")).to_have_attribute("href", escalation.get_absolute_url())
    page.goto(f"{live_server.url}/log/escalations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalations")
    check_page(page)
    page.get_by_role("link", name=re.compile(f"escalation {escalation.pk}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalation of a refusal by Borsetshire Police")
    expect(page.get_by_text("Disclosure would prejudice an ongoing investigation.")).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Resolve this escalation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resolve this escalation")
    check_page(page)
    page.get_by_role("button", name="Resolve escalation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the outcome")
    expect(summary).to_contain_text("Give the reasons for the decision")
    check_page(page)

    page.get_by_label("Information shared after escalation").check()
    page.get_by_label("Reasons for the decision").fill("Lead safeguarding partners agreed the history is needed.")
    page.get_by_role("button", name="Resolve escalation").click()
    expect(page.get_by_role("alert")).to_contain_text("Escalation resolved")
    expect(page.locator("main .govuk-tag").first).to_have_text("Information shared after escalation")
    check_page(page)
    escalation.refresh_from_db()
    assert (escalation.status, escalation.outcome, escalation.resolved_by) == (
        EscalationStatus.RESOLVED, EscalationOutcome.SHARED, roles.governance_manager,
    )

    # The entry shows its escalation and outcome.
    page.goto(f"{live_server.url}/log/{refusal.pk}/")
    expect(page.locator("table.govuk-table").last).to_contain_text("Information shared after escalation")
    check_page(page)


def test_spoc_closes_a_case_and_sees_the_retention_due_date(page, live_server, roles):
    roles.agreement.retention_months_after_closure = 18
    roles.agreement.save(update_fields=["retention_months_after_closure"])
    entry = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
        disclosed_by=roles.spoc, case_reference="BP-2026-0142",
        occurred_at=timezone.now() - datetime.timedelta(days=20),
    )
    closed_on = timezone.localdate() - datetime.timedelta(days=3)
    due = closed_on + relativedelta(months=18)

    sign_in_browser(page, live_server, roles.spoc, next_path=f"/log/{entry.pk}/")
    expect(page.get_by_text("Not set: it is set when the case is closed")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Close case BP-2026-0142").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close a case")
    expect(page.get_by_label("Case reference")).to_have_value("BP-2026-0142")
    check_page(page)

    # A date in the future is refused.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_role("button", name="Close case").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date the case closed must be today or in the past.")
    check_page(page)
    assert CaseClosure.objects.exists() is False

    page.get_by_label("Day").fill(str(closed_on.day))
    page.get_by_label("Month").fill(str(closed_on.month))
    page.get_by_label("Year").fill(str(closed_on.year))
    page.get_by_role("button", name="Close case").click()
    expect(page.get_by_role("alert")).to_contain_text("Case BP-2026-0142 closed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case BP-2026-0142")
    expect(page.locator("table.govuk-table")).to_contain_text(f"{due:%-d %b %Y}")
    check_page(page)
    assert Disclosure.objects.get(pk=entry.pk).retention_due_on == due

    page.get_by_role("link", name=re.compile(f"entry {entry.pk}$")).click()
    expect(page.get_by_text(f"{due:%-d %B %Y} – 18 months after the case was closed")).to_be_visible()
    check_page(page)

    page.goto(f"{live_server.url}/log/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Closed cases")
    expect(page.locator("table.govuk-table")).to_contain_text("BP-2026-0142")
    check_page(page)
