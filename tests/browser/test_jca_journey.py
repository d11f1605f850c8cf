"""A joint controller arrangement from its template, through QA, into force (issue 17's "done
when": "a joint controller arrangement is drafted from its template, passes QA and comes into
force"), through the pages alone, in Chromium:

- the owner's governance manager starts it from the joint controller template, records the
  Article 26 essence and the rest of what going for signature needs, asks a regional QA group's
  reviewer for a QA review and sends it for signature;
- the reviewer, outside every party, follows the portal's notice to the QA page and records the
  checklist and "passed";
- each party's lead signatory signs from the home page; the governance manager screens the DPIA
  and brings it into force; the agreement's page says so, and its PDF's document control carries
  the QA outcome.

axe on every page (``check_page``)."""

import importlib
import re
import subprocess

from django.apps import apps
from playwright.sync_api import expect

from agreements.kind_templates import JOINT_CONTROLLER
from agreements.models import Agreement, Kind, QaCheckpoint, QaOutcome, QaReview, Status
from partners.models import Role
from tests.factories import ContactFactory, LegalGatewayFactory, OrganisationFactory, UserFactory

from .helpers import check_page, fill_essence, mark_every_qa_point, sign_in_browser, sign_out, sign_version

TITLE = "Borsetshire Joint Safeguarding Hub Arrangement"
GROUP = "Borsetshire QA group"
PDFTOTEXT = "/usr/bin/pdftotext"


def open_task(page, name: str, heading: str) -> None:
    page.locator(".govuk-task-list").get_by_role("link", name=name, exact=True).click()
    check_page(page, heading=heading)


def save_task(page, task: str) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{task} saved.")
    check_page(page, heading=TITLE)


def sign_from_home(page, live_server, signatory, organisation: str) -> None:
    sign_in_browser(page, live_server, signatory)
    page.get_by_role("link", name=f"read and sign {TITLE} for {organisation}").click()
    check_page(page, heading="Sign version 1.0")
    sign_version(page, label="1.0", full_name=signatory.get_full_name())
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You have signed version 1.0 for {organisation}.")
    check_page(page)
    sign_out(page)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "arrangement.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"],  # noqa: S603 (fixed arguments)
                            check=True, capture_output=True)
    return " ".join(result.stdout.decode("utf-8").split())


def test_a_joint_controller_arrangement_from_its_template_passes_qa_and_comes_into_force(
    page, live_server, roles, tmp_path,
):
    importlib.import_module("agreements.migrations.0022_qa_checklist").load(apps, None)
    LegalGatewayFactory(art6=True)
    # The owner's own lead signatory; the QA reviewer works for a regional group, party to nothing,
    # with a directory entry so the portal's notices reach them.
    owner_signatory = roles.member(roles.owner, Role.LEAD_SIGNATORY, first_name="Kit", last_name="Example")
    roles.lead_signatory.first_name, roles.lead_signatory.last_name = "Jo", "Example"
    roles.lead_signatory.save()
    reviewer = UserFactory(first_name="Quinn", last_name="Assurer", email="quinn.assurer@example.gov.uk")
    ContactFactory(organisation=OrganisationFactory(name="Borsetshire QA Network"), user=reviewer,
                   name="Quinn Assurer", email=reviewer.email, job_title="QA reviewer")

    # The governance manager starts the arrangement from its template.
    sign_in_browser(page, live_server, roles.governance_manager, next_path="/agreements/")
    page.get_by_role("button", name="Start a new agreement").click()
    check_page(page, heading="Start a new agreement")
    page.get_by_label("Start from a template").check()
    page.get_by_label("Template", exact=True).select_option(label=str(JOINT_CONTROLLER.label))
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Start the agreement").click()
    check_page(page, heading=TITLE)
    agreement = Agreement.objects.get(title=TITLE)
    assert agreement.kind == Kind.JOINT_CONTROLLER
    base = f"{live_server.url}/agreements/{agreement.pk}"

    # Its Article 26 essence, and what every agreement needs before it goes for signature.
    open_task(page, "Essence of the arrangement", "Essence of the arrangement")
    fill_essence(page)
    save_task(page, "Essence of the arrangement")
    open_task(page, "Purposes", "Purposes")
    page.get_by_label("Purposes").fill("To keep children and adults at risk safe through a joint hub")
    save_task(page, "Purposes")
    open_task(page, "Legal gateways", "Legal gateways")
    page.get_by_label("UK GDPR Art 6(1)(e): Public task").check()
    save_task(page, "Legal gateways")
    open_task(page, "Retention", "Retention")
    page.get_by_label("A number of months after the case is closed").check()
    page.get_by_label("Months after the case is closed", exact=True).fill("18")
    save_task(page, "Retention")
    page.goto(f"{base}/parties/invite/")
    check_page(page)
    page.get_by_label("Organisation to invite").select_option(label=roles.partner.name)
    page.get_by_role("button", name="Invite", exact=True).click()
    check_page(page)
    # The council names its SPOC for the arrangement (a party signs only with one).
    page.get_by_role("link", name=f"Contacts for {roles.owner.name}").click()
    check_page(page)
    page.get_by_label("Single point of contact (SPOC)").check()
    page.get_by_label("Full name").fill("Robin Example")
    page.get_by_label("Email address").fill("robin.example@borsetshire-council.example")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Robin Example")
    check_page(page)

    # A QA review by the regional group is required before it comes into force.
    page.goto(base + "/")
    check_page(page, heading=TITLE)
    page.get_by_role("link", name="Ask for or see the QA review").click()
    check_page(page, heading="Quality assurance review")
    page.locator("#id_required_0").check()
    page.get_by_label("QA group (optional)").fill(GROUP)
    page.get_by_label("Reviewers' email addresses").fill(reviewer.email)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The QA review is now required")
    check_page(page, heading="Quality assurance review")

    # It goes for signature: version 1.0.
    page.goto(f"{base}/status/")
    check_page(page, heading="Status")
    page.get_by_role("button", name="Send for signature").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"“{TITLE}” is now awaiting signatures.")
    expect(page.locator("main")).to_contain_text(
        f"Cannot come into force: the QA review by {GROUP} has not passed version 1.0.")
    check_page(page, heading="Status")
    sign_out(page)

    # The reviewer follows the portal's notice to the QA page and passes version 1.0.
    sign_in_browser(page, live_server, reviewer, next_path="/notifications/")
    check_page(page, heading="Notifications")
    # Asked when QA was required, and again for version 1.0 once it went for signature.
    expect(page.locator("main")).to_contain_text("Please review version 1.0 against the checklist")
    page.get_by_role("link", name=f"QA review needed: {TITLE}").first.click()
    check_page(page, heading="Quality assurance review")
    expect(page.get_by_role("heading", name="Review version 1.0")).to_be_visible()
    mark_every_qa_point(page, QaCheckpoint.objects.filter(active=True))
    page.get_by_label("Passed").check()
    page.get_by_role("button", name="Record QA review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your QA review of version 1.0 is recorded: Passed.")
    expect(page.locator("#qa-outcome")).to_contain_text("Passed (Quinn Assurer")
    check_page(page, heading="Quality assurance review")
    sign_out(page)

    # Each party's lead signatory signs from the home page.
    sign_from_home(page, live_server, owner_signatory, roles.owner.name)
    sign_from_home(page, live_server, roles.lead_signatory, roles.partner.name)

    # The governance manager records the DPIA screening and brings the arrangement into force.
    sign_in_browser(page, live_server, roles.governance_manager, next_path=f"/agreements/{agreement.pk}/dpia/")
    check_page(page, heading="Data protection impact assessment (DPIA)")
    page.locator("input[name=needed][value=no]").check()
    page.get_by_label("If no DPIA is needed, why not?").fill("Screened: the hub shares no more than each party holds.")
    page.get_by_role("button", name="Save the DPIA").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The DPIA has been recorded.")
    check_page(page)
    page.goto(f"{base}/status/")
    check_page(page, heading="Status")
    page.get_by_role("button", name="Bring into force").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"“{TITLE}” is now in force.")
    check_page(page)

    # Its page says it is in force; its PDF's document control carries the QA outcome.
    page.goto(base + "/")
    check_page(page, heading=TITLE)
    status = page.locator(".govuk-summary-list__row").filter(has=page.locator("dt", has_text=re.compile(r"^Status$")))
    expect(status.locator("dd")).to_have_text("In force")
    href = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    text = pdf_text(response.body(), tmp_path)
    control = text[text.index("Document control"):text.index("Version history")]
    assert f"Passed: Quinn Assurer ({GROUP})" in control
    review = QaReview.objects.get(agreement=agreement)
    assert review.outcome == QaOutcome.PASSED
    assert review.content_hash[:16] in control.replace(" ", "")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.version) == (Status.IN_FORCE, "1.0")
