"""A QA review passes an agreement, which then comes back into force (issue 17, item 4; decision
0064), in Chromium: the owner asks a named WASPI QA group's reviewer for a QA review; coming into
force is refused (the status page says why); the reviewer, outside every party, records met /
not met / not applicable per point — "passed" with a point not met is refused — and then a pass; the owner
brings the agreement into force. axe on every page, and the QA page fits 320 px."""

import importlib

from django.apps import apps
from playwright.sync_api import expect

from agreements.models import Agreement, QaCheckpoint, QaReview, Status
from agreements.services import agreement_version_create
from agreements.services.lifecycle import move_problems
from tests.factories import LegalGatewayFactory, UserFactory

from .helpers import check_page, fits_narrow, mark_every_qa_point, sign_in_browser, sign_out

REFUSAL = "Cannot come into force: the QA review by Dyfed WASPI QA group has not passed version"


def test_a_qa_reviewer_passes_the_version_and_the_agreement_comes_into_force(page, live_server, roles):
    importlib.import_module("agreements.migrations.0022_qa_checklist").load(apps, None)
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.UNDER_REVIEW)
    roles.agreement.refresh_from_db()
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True))
    assert move_problems(roles.agreement, Status.IN_FORCE) == []
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    reviewer = UserFactory(first_name="Quinn", last_name="Assurer", email="quinn.assurer@example.gov.uk")
    qa = f"{live_server.url}/agreements/{roles.agreement.pk}/qa-review/"
    status = f"{live_server.url}/agreements/{roles.agreement.pk}/status/"

    # The owner's governance manager asks for the QA review, naming the group and its reviewer.
    sign_in_browser(page, live_server, roles.governance_manager)
    page.goto(live_server.url + roles.agreement.get_absolute_url())
    page.get_by_role("link", name="Ask for or see the QA review").click()
    check_page(page, heading="Quality assurance review")
    page.locator("#id_required_0").check()
    page.get_by_label("QA group (optional)").fill("Dyfed WASPI QA group")
    page.get_by_label("Reviewers' email addresses").fill("quinn.assurer@example.gov.uk")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The QA review is now required")
    check_page(page)
    # Coming back into force is refused: the status page says why, and offers no button for it.
    page.goto(status)
    expect(page.locator("main")).to_contain_text(REFUSAL)
    expect(page.get_by_role("button", name="Bring into force")).to_have_count(0)
    check_page(page)
    sign_out(page)

    # The reviewer, outside every party, reviews: a pass with a point not met is refused.
    sign_in_browser(page, live_server, reviewer)
    page.goto(qa)
    check_page(page, heading="Quality assurance review")
    points = list(QaCheckpoint.objects.filter(active=True))
    mark_every_qa_point(page, points)
    page.locator(f"#id_point_{points[0].pk}_1").check()
    page.locator(f"#id_point_{points[0].pk}_comment").fill("The purpose is not specific enough.")
    page.get_by_label("Passed").check()
    page.get_by_role("button", name="Record QA review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("A version with a point not met cannot pass")
    check_page(page)
    page.locator(f"#id_point_{points[0].pk}_0").check()
    page.locator(f"#id_point_{points[0].pk}_comment").fill("")
    page.locator(f"#id_point_{points[-1].pk}_2").check()
    page.get_by_label("Passed").check()
    page.get_by_role("button", name="Record QA review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Passed")
    expect(page.locator("#qa-outcome")).to_contain_text("Passed (Quinn Assurer")
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    fits_narrow(page)  # waits for tables.js to stack the tables
    check_page(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    review = QaReview.objects.get()
    assert (review.outcome, review.content_hash, review.group_name) == (
        "passed", version.content_hash, "Dyfed WASPI QA group")
    sign_out(page)

    # The owner brings the agreement back into force.
    sign_in_browser(page, live_server, roles.governance_manager)
    page.goto(status)
    page.get_by_role("button", name="Bring into force").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is now in force")
    check_page(page)
    roles.agreement.refresh_from_db()
    assert roles.agreement.status == Status.IN_FORCE
