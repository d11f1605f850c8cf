"""A governance manager drafts a joint controller arrangement from its template and fills in its
Article 26 essence (issue 17 item 3, decision 0065): an incomplete essence is refused with the
error summary; the complete one shows on the agreement's page. axe on every page; the new pages do
not scroll sideways at 320 px."""

from playwright.sync_api import expect

from agreements.kind_templates import JOINT_CONTROLLER
from agreements.models import Agreement, Kind, KindTerms

from .helpers import check_page, sign_in_browser

TITLE = "Borsetshire Joint Safeguarding Hub Arrangement"
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def fits_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(SIDEWAYS) <= 0, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_governance_manager_drafts_a_joint_controller_arrangement_from_its_template(page, live_server, roles):
    sign_in_browser(page, live_server, roles.governance_manager, next_path="/agreements/new/")
    check_page(page, heading="Start a new agreement")

    # Choosing "from a template" without a template is an error.
    page.get_by_label("Start from a template").check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Start the agreement").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["Select the template to start from."]
    )
    check_page(page, heading="Start a new agreement")
    fits_320(page)
    page.get_by_label("Template", exact=True).select_option(label=JOINT_CONTROLLER.label)
    page.get_by_role("button", name="Start the agreement").click()
    check_page(page, heading=TITLE)
    agreement = Agreement.objects.get(title=TITLE)
    assert agreement.kind == Kind.JOINT_CONTROLLER
    assert agreement.sections.count() == len(JOINT_CONTROLLER.sections)
    task = page.locator(".govuk-task-list__item",
                        has=page.get_by_role("link", name="Essence of the arrangement", exact=True))
    expect(task.locator(".govuk-task-list__status")).to_have_text("Incomplete")

    # The essence: one answer missing is refused, nothing saved; then all of it.
    task.get_by_role("link").click()
    check_page(page, heading="Essence of the arrangement")
    fits_320(page)
    page.get_by_label("Which party answers which data subject rights?").fill(
        "Borsetshire Council answers requests for access; the health board answers the others."
    )
    page.get_by_label("Who notifies a personal data breach to the ICO?").fill("Borsetshire Council")
    page.get_by_label("Who tells the people affected by a breach?").fill("The party whose system was breached")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["Enter the contact point for data subjects."]
    )
    check_page(page, heading="Essence of the arrangement")
    assert not KindTerms.objects.filter(agreement=agreement).exists()
    page.get_by_label("Contact point for data subjects").fill("The hub's data protection mailbox")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Essence of the arrangement saved.")
    expect(task.locator(".govuk-task-list__status")).to_have_text("Completed")
    check_page(page, heading=TITLE)

    # The agreement's page shows the essence.
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    check_page(page, heading=TITLE)
    essence = page.get_by_role("heading", name="Essence of the joint controller arrangement (UK GDPR Article 26)")
    expect(essence).to_be_visible()
    expect(page.get_by_text("The hub's data protection mailbox")).to_be_visible()
    fits_320(page)
