"""A governance manager drafts a joint controller arrangement from its template and fills in its
Article 26 essence (issue 17 item 3, decision 0065): an incomplete essence is refused with the
error summary; the complete one shows on the agreement's page. axe on every page; the new pages do
not scroll sideways at 320 px."""

from playwright.sync_api import expect

from agreements.kind_templates import JOINT_CONTROLLER
from agreements.models import Agreement, Kind, KindTerms

from .helpers import check_page, fill_essence, fits_narrow, sign_in_browser

TITLE = "Borsetshire Joint Safeguarding Hub Arrangement"


def fits_320(page) -> None:
    fits_narrow(page)
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
    page.get_by_label("Template", exact=True).select_option(label=str(JOINT_CONTROLLER.label))
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
    fill_essence(page, leave_out=("Contact point for data subjects",))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["Enter the contact point for data subjects."]
    )
    check_page(page, heading="Essence of the arrangement")
    assert not KindTerms.objects.filter(agreement=agreement).exists()
    fill_essence(page)
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


def test_processing_contract_and_data_disclosure_pages(page, live_server, roles):
    """The other kinds' pages: the Article 28 checklist with a sub-processor awaiting approval, the
    sub-processor form's errors, the discloser and recipient. axe on each, none scrolls at 320 px."""
    from agreements.models import SubProcessor

    Agreement.objects.filter(pk=roles.draft.pk).update(kind=Kind.PROCESSING_CONTRACT)
    SubProcessor.objects.create(agreement=roles.draft, name="Example Backup Ltd", activity="Nightly backups")
    sign_in_browser(page, live_server, roles.governance_manager,
                    next_path=f"/agreements/{roles.draft.pk}/tasks/kind/")
    check_page(page, heading="Article 28 terms")
    expect(page.get_by_role("row", name="Example Backup Ltd")).to_contain_text("Not approved")
    fits_320(page)

    page.get_by_role("link", name="Add a sub-processor").click()
    check_page(page, heading="Sub-processor")
    page.get_by_label("Name of the sub-processor").fill("Example Print Ltd")
    page.get_by_label("What does it do with the data?").fill("Prints letters")
    page.get_by_label("Approved by").fill("Head of Information Governance")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(["Enter the date it was approved"])
    check_page(page, heading="Sub-processor")
    fits_320(page)
    page.locator("#id_approved_on-day").fill("2")
    page.locator("#id_approved_on-month").fill("11")
    page.locator("#id_approved_on-year").fill("2026")
    page.get_by_role("button", name="Save", exact=True).click()
    check_page(page, heading="Article 28 terms")
    expect(page.get_by_role("row", name="Example Print Ltd")).to_contain_text(
        "Approved by Head of Information Governance on 2 November 2026"
    )

    Agreement.objects.filter(pk=roles.draft.pk).update(kind=Kind.DATA_DISCLOSURE)
    page.goto(f"{live_server.url}/agreements/{roles.draft.pk}/tasks/kind/")
    check_page(page, heading="Discloser and recipient")
    fits_320(page)
