"""Retention in real Chromium: an entry the owner shared with the partner passes its retention date;
after the daily scheduler runs, the partner's SPOC finds on "What's due" that its copy must be
destroyed, confirms it (first without ticking, to see the error summary), and reads on the entry's
page that it was destroyed under the retention rule, with what remains of it. axe-core checks
every page on the way.
"""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from sharing_log.models import RecipientDestructionConfirmation
from tests.factories import ContactFactory, DisclosureFactory
from tests.sharing_log.helpers.database import force_retention_due

from .helpers import check_page, sign_in_browser

# The journey runs on Wednesday 17 June 2026 from 10:00 (the clock ticks, for the live server too),
# with its cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = pytest.mark.pinned_clock(PINNED)

CASE = "BCSP-RET-0099"



def test_partners_spoc_confirms_its_copy_of_a_destroyed_entry_destroyed(page, live_server, roles):
    ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example",
                   details_confirmed_on=timezone.localdate())
    entry = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                              recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                              case_reference=CASE)
    force_retention_due(entry, timezone.localdate())  # issue 12: the rules refuse a past date

    call_command("run_scheduler", stdout=StringIO())

    sign_in_browser(page, live_server, roles.spoc, next_path="/due/")
    row = page.get_by_role("row", name=re.compile("^Copy Destroy your copy and confirm it"))
    expect(row).to_contain_text("Destroyed under the retention rule")
    check_page(page)

    page.goto(f"{live_server.url}/log/copies/")
    expect(page.get_by_role("row", name=re.compile("Borsetshire County Council"))).to_contain_text(
        "Destroyed under the retention rule")
    check_page(page)

    page.goto(f"{live_server.url}/due/")
    row.get_by_role("link", name="Destroy your copy and confirm it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Destroy your copy of information from Borsetshire County Council")
    check_page(page)

    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that your organisation destroyed its copy")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)

    page.get_by_label("My organisation has destroyed its copy").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("Borsetshire Police's copy confirmed destroyed")
    check_page(page)
    assert RecipientDestructionConfirmation.objects.get(reason="retention").outcome == "destroyed"

    page.goto(f"{live_server.url}/log/{entry.pk}/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("under the retention rule")
    expect(page.get_by_role("heading", name="What remains of the entry")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Borsetshire Police"))).to_contain_text("Destroyed")
    expect(page.get_by_text(CASE)).to_have_count(0)
    check_page(page)
