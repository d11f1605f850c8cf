"""The flow map in real Chromium (issue 17, item 6, Done-when): on the demo, seed 001's CSP ISA's
map shows the demo log's actual flows beside the flows the agreement declares, the diagram an
image with a name and its table beside it; axe-core finds nothing; no sideways scroll at 320 px;
a bad period shows the error summary. The organisation's map and the links to both too."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from agreements.models import Agreement

from .helpers import check_page, fits_narrow, sign_in_browser


@pytest.fixture
def demo_in_live_server(live_server):
    """The demo, loaded for the live server (committed; the live server's test flushes it)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=io.StringIO())
    return live_server


def test_seed_001s_flow_map_shows_the_logs_flows_beside_the_declared_ones(page, demo_in_live_server):
    live_server = demo_in_live_server
    agreement = Agreement.objects.get(reference="CSP ISA")
    governance = get_user_model().objects.get(username="governance")
    sign_in_browser(page, live_server, governance, next_path=f"/agreements/{agreement.pk}/")

    page.get_by_role("link", name="See the flow map").click()
    check_page(page, heading="Flow map")
    diagram = page.get_by_role("img", name=f"Flows under {agreement}")
    expect(diagram.first).to_be_visible()

    table = page.get_by_role("table", name=f"Flows under {agreement}")
    # Actual flows from the demo log: the district council's shares with Clarion Housing.
    council_to_clarion = table.get_by_role("row").filter(has_text="Clarion").filter(
        has_text="South Cambridgeshire District Council").first
    expect(council_to_clarion).to_contain_text("fewer than 5")
    # Declared flows beside them: partners that declare data and logged nothing in the period.
    expect(table.get_by_role("row").filter(has_text="Declared, not used in the period").first).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Any other party").first).to_be_visible()
    # The diagram says the same: the arrows' words, not their colours alone.
    expect(page.locator("svg.app-chart__svg--wide text", has_text="Declared, not used").first).to_be_attached()
    expect(page.locator("svg.app-chart__svg--wide text", has_text="Shared: fewer than 5").first).to_be_attached()

    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    fits_narrow(page)  # waits for tables.js to stack the tables
    check_page(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.get_by_role("textbox", name="From").fill("31/3/2026")
    page.get_by_role("textbox", name="To").fill("1/3/2026")
    page.get_by_role("button", name="Show the flows").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date to must be the same as or after the date from")
    check_page(page)

    # The organisation's own map, from its page.
    page.goto(f"{live_server.url}/partners/{governance.memberships.first().organisation_id}/")
    page.get_by_role("link", name="See its flow map").click()
    check_page(page, heading="Flow map")
    expect(page.get_by_role("img", name=f"Flows under {agreement}").first).to_be_visible()
