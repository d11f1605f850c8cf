"""The sharing log in real Chromium: log a share in one page and one submit, log a decision not
to share with its reasons, find both in the log; the recipient's SPOC acknowledges; an entry is
corrected and voided. axe-core checks every page on the way, error states and reveals included.
"""

import re

from playwright.sync_api import expect

from sharing_log.models import Acknowledgement, Amendment, Decision, Disclosure
from tests.factories import DisclosureFactory, LegalGatewayFactory

from .helpers import check_page, sign_in_browser


def test_practitioner_logs_a_share_and_a_decision_not_to_share(page, live_server, roles):
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True), LegalGatewayFactory())
    LegalGatewayFactory(art9=True)
    log_posts = []
    page.on("request", lambda request: log_posts.append(request.url)
            if request.method == "POST" and request.url.endswith("/log/new/") else None)
    sign_in_browser(page, live_server, roles.practitioner, next_path="/log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sharing log")
    check_page(page)

    # A routine share: the agreement, partner, purpose, lawful basis and time are already chosen.
    page.get_by_role("button", name="Log a disclosure or a decision not to share").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a disclosure or a decision not to share")
    check_page(page)
    page.get_by_label("Case reference").fill("ASB-2026-0042")
    page.get_by_label("Adult", exact=True).check()
    page.get_by_label("Minimum data (identifying details)").check()
    page.get_by_label("Anti-social behaviour").check()

    # Special category data reveals which, and the Article 9 conditions it needs.
    art9 = page.get_by_role("group", name="Article 9 conditions")
    expect(art9).to_be_hidden()
    page.get_by_label("Special category data", exact=True).check()
    expect(art9).to_be_visible()
    page.get_by_label("Health (physical or mental)").check()
    art9.get_by_label("UK GDPR Art 9(2)(g)").check()
    check_page(page)

    page.get_by_label("Explicit consent given").check()
    page.get_by_label("Yes, the person was told").check()
    page.get_by_label("Why was sharing necessary and proportionate?").fill(
        "The joint visit cannot be planned safely without the tenancy status.")
    page.get_by_role("button", name="Save entry").click()

    expect(page.get_by_role("alert")).to_contain_text("Disclosure to Borsetshire Police logged")
    expect(page.get_by_role("heading", level=1)).to_have_text("Disclosure to Borsetshire Police")
    check_page(page)
    assert len(log_posts) == 1, "a routine share needs one page and one submit"
    shared = Disclosure.objects.get()
    assert (shared.special_categories, shared.recipient_organisation) == (["health"], roles.partner)

    # A decision not to share: first with nothing filled in, to see the error summary.
    page.goto(f"{live_server.url}/log/new/")
    page.get_by_label("Case reference").fill("")
    page.get_by_label("Decided not to share").check()
    reason = page.get_by_label("Why did you decide not to share?")
    expect(reason).to_be_visible()
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for deciding not to share.")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    assert Disclosure.objects.count() == 1

    reason.fill("Not necessary: the police already hold the tenancy details.")
    page.get_by_label("Case reference").fill("ASB-2026-0043")
    page.get_by_label("Young person").check()
    # Nothing was shared: how much, the consent position and telling the person are not asked.
    expect(page.get_by_label("Minimum data (identifying details)")).to_be_hidden()
    expect(page.get_by_label("Explicit consent given")).to_be_hidden()
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("alert")).to_contain_text("Decision not to share with Borsetshire Police logged")
    check_page(page)
    refused = Disclosure.objects.get(case_reference="ASB-2026-0043")
    assert (refused.decision, refused.decision_reason) == (
        Decision.NOT_SHARED, "Not necessary: the police already hold the tenancy details.",
    )

    # Both are in the organisation's log.
    page.get_by_role("link", name="Sharing log").first.click()
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("ASB-2026-0043")
    expect(rows.nth(0)).to_contain_text("Decided not to share")
    expect(rows.nth(1)).to_contain_text("ASB-2026-0042")
    check_page(page)

    # Filtered, with the filters kept in the address.
    page.get_by_text("Filter the log").click()
    page.get_by_label("Decision").select_option(label="Shared")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"decision=shared"))
    expect(rows).to_have_count(1)
    check_page(page)


def test_recipient_acknowledges_and_author_corrects_and_voids(page, live_server, roles):
    entry = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, case_reference="ASB-2026-0050",
    )

    # The partner's SPOC acknowledges receipt from the inbox.
    sign_in_browser(page, live_server, roles.spoc, next_path="/log/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Awaiting acknowledgement")
    check_page(page)
    page.get_by_role("button", name=f"Acknowledge receipt of entry {entry.pk}").click()
    expect(page.get_by_role("alert")).to_contain_text("Receipt from Borsetshire County Council acknowledged")
    expect(page.get_by_text("Nothing is waiting for acknowledgement.")).to_be_visible()
    check_page(page)
    assert Acknowledgement.objects.get().acknowledged_by == roles.spoc
    page.goto(f"{live_server.url}/log/received/")
    expect(page.locator("table.govuk-table tbody tr")).to_contain_text("ASB-2026-0050")
    check_page(page)
    page.get_by_role("button", name="Sign out").click()

    # The author corrects the case reference, then voids the entry.
    sign_in_browser(page, live_server, roles.practitioner, next_path=f"/log/{entry.pk}/")
    check_page(page)
    page.get_by_role("button", name="Amend this entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amend this entry")
    check_page(page)
    page.get_by_role("button", name="Save amendment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the detail to correct")
    check_page(page)
    page.get_by_label("Case reference", exact=True).check()
    page.get_by_label("New case reference").fill("ASB-2026-0051")
    page.get_by_label("Why is it being amended?").fill("Typed the wrong case number.")
    page.get_by_role("button", name="Save amendment").click()
    expect(page.get_by_role("alert")).to_contain_text("Amendment recorded")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("ASB-2026-0051")
    expect(page.locator("main")).to_contain_text("has not closed case ASB-2026-0051.")  # the corrected one
    check_page(page)

    page.get_by_role("button", name="Void this entry").click()
    check_page(page)
    page.get_by_label("Why is this entry being voided?").fill("Logged under the wrong agreement.")
    page.get_by_role("button", name="Void entry").click()
    expect(page.get_by_role("alert")).to_contain_text("Entry voided")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Logged under the wrong agreement.")
    check_page(page)
    assert [amendment.kind for amendment in Amendment.objects.order_by("pk")] == ["correction", "void"]
