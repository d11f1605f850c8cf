"""A governance manager drafts an agreement from blank to "awaiting signatures" through its task
list, sees why it cannot go for signature yet, finishes the tasks and sends it.

axe-core checks every drafting page on the way, error states included.
"""

from playwright.sync_api import expect

from agreements.models import Agreement, Status
from tests.factories import LegalGatewayFactory

from .helpers import check_page, sign_in_browser

TITLE = "Borsetshire Hate Crime Information Sharing Agreement"


def open_task(page, name: str, heading: str) -> None:
    page.locator(".govuk-task-list").get_by_role("link", name=name, exact=True).click()
    check_page(page, heading=heading)


def save_and_see(page, task: str, status: str) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{task} saved.")
    item = page.locator(".govuk-task-list__item", has=page.get_by_role("link", name=task, exact=True))
    expect(item.locator(".govuk-task-list__status")).to_have_text(status)


def test_governance_manager_drafts_an_agreement_and_sends_it_for_signature(page, live_server, roles):
    LegalGatewayFactory(art6=True)
    LegalGatewayFactory(repealed=True)
    sign_in_browser(page, live_server, roles.governance_manager, next_path="/agreements/")

    # Start from the list: nothing chosen is an error; then a blank agreement with its title.
    page.get_by_role("button", name="Start a new agreement").click()
    check_page(page, heading="Start a new agreement")
    page.get_by_role("button", name="Start the agreement").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(["Select how you want to start the agreement."])
    expect(page).to_have_title("Error: Start a new agreement – ISA Portal")
    check_page(page, heading="Start a new agreement")
    page.get_by_label("Start with a blank agreement").check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Start the agreement").click()
    check_page(page, heading=TITLE)
    agreement = Agreement.objects.get(title=TITLE)
    tasks_url = f"{live_server.url}/agreements/{agreement.pk}/tasks/"
    expect(page).to_have_url(tasks_url)
    expect(page.get_by_text("You have completed 1 of 11 tasks.")).to_be_visible()  # review has its defaults

    # It cannot go for signature yet, and the status page says why.
    page.get_by_role("link", name="status page").click()
    check_page(page, heading="Status")
    refused = page.locator("main ul.govuk-list--bullet").last
    expect(refused.get_by_role("listitem")).to_have_text([
        "Cannot go for signature: add at least one purpose.",
        "Cannot go for signature: add the agreement's sections.",
        "Cannot go for signature: choose the legal gateways it relies on.",
        "Cannot go for signature: invite at least one partner.",
    ])
    expect(page.get_by_role("button", name="Send for signature")).to_have_count(0)
    page.get_by_role("link", name="Back to the tasks").click()

    # Details: the reference.
    open_task(page, "Details", "Details")
    page.get_by_label("Reference (optional)").fill("BHC ISA")
    save_and_see(page, "Details", "Completed")

    # Purposes: an empty box is an error, then one a line.
    open_task(page, "Purposes", "Purposes")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text([
        "Enter at least one purpose, each on its own line."
    ])
    check_page(page, heading="Purposes")
    page.get_by_label("Purposes").fill("To reduce hate crime and support its victims")
    save_and_see(page, "Purposes", "Completed")

    # Sections: add one, from the sections page.
    open_task(page, "Sections", "Sections")
    page.get_by_role("link", name="Add a section").click()
    check_page(page, heading="Section")
    page.get_by_label("Number (optional)").fill("1")
    page.get_by_label("Heading", exact=True).fill("Purpose of the agreement")
    page.get_by_label("Text", exact=True).fill("The partners share information to reduce hate crime.")
    page.get_by_role("button", name="Save", exact=True).click()
    check_page(page, heading="Sections")
    expect(page.get_by_text("Purpose of the agreement", exact=True)).to_be_visible()
    page.get_by_role("link", name="Back to the tasks").first.click()

    # Legal gateways: repealed law is shown but cannot be chosen.
    open_task(page, "Legal gateways", "Legal gateways")
    expect(page.get_by_label("Data Protection Act 1998 s29: Crime and taxation (repealed)")).to_be_disabled()
    page.get_by_label("UK GDPR Art 6(1)(e): Public task").check()
    save_and_see(page, "Legal gateways", "Completed")

    # Retention (issue 13 item 7): the radios reveal the months; a rule without them is an error.
    open_task(page, "Retention", "Retention")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "No retention rule: entries will not be destroyed until one is set."
    )
    expect(page.get_by_label("Months after the disclosure")).to_be_hidden()
    page.get_by_label("A fixed period from the disclosure").check()
    expect(page.get_by_label("Months after the disclosure")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text([
        "Enter how many months after the disclosure shared records are destroyed."
    ])
    check_page(page, heading="Retention")
    page.get_by_label("Months after the disclosure").fill("72")
    save_and_see(page, "Retention", "Completed")

    # Parties: invite the partner on the parties journey's page.
    page.locator(".govuk-task-list").get_by_role("link", name="Parties", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/agreements/{agreement.pk}/parties/")
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/parties/invite/")
    page.get_by_label("Organisation to invite").select_option(label=roles.partner.name)
    page.get_by_role("button", name="Invite", exact=True).click()
    page.goto(tasks_url)
    item = page.locator(".govuk-task-list__item", has=page.get_by_role("link", name="Parties", exact=True))
    expect(item.locator(".govuk-task-list__status")).to_have_text("Completed")
    check_page(page, heading=TITLE)

    # Now it may go for signature.
    page.get_by_role("link", name="Change status").click()
    check_page(page, heading="Status")
    page.get_by_role("button", name="Send for signature").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"“{TITLE}” is now awaiting signatures."
    )
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Awaiting signatures")
    expect(page.locator("main")).to_contain_text("Cannot come into force: the owner has not signed version 1.0.")
    expect(page.get_by_role("button", name="Bring into force")).to_have_count(0)
    check_page(page, heading="Status")

    agreement.refresh_from_db()
    assert (agreement.status, agreement.version) == (Status.AWAITING_SIGNATURES, "1.0")
    assert [party.organisation for party in agreement.parties.order_by("organisation__name")] == [
        roles.owner, roles.partner,
    ]

    # The task list now warns before a change to the substance.
    page.goto(tasks_url)
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "This agreement is awaiting signatures. Saving a change to its substance changes version "
        "1.0, which no party has signed yet."
    )
    check_page(page, heading=TITLE)
