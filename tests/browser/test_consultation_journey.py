"""A draft's consultation in real Chromium (decision 0070): the owner's governance manager sends
the draft out for consultation; the partner's SPOC finds it on the agreement's page, sends an
empty comment (the GOV.UK error summary), then a comment; the governance manager answers it, and
the SPOC reads the answer. axe-core checks every page on the way."""

from playwright.sync_api import expect

from agreements.models import Agreement, Status
from tests.factories import ContactFactory, LegalGatewayFactory, PurposeFactory, SectionFactory

from .helpers import check_page, sign_in_browser

COMMENT = "Section 1 should say the police keep what they receive for 12 months only."
ANSWER = "Done: section 1 now says 12 months."


def test_a_partner_comments_on_the_draft_and_the_owner_answers(page, live_server, roles):
    draft = roles.draft
    PurposeFactory(agreement=draft)
    SectionFactory(agreement=draft)
    draft.gateways.add(LegalGatewayFactory(art6=True))
    ContactFactory(organisation=roles.owner, user=roles.governance_manager, name="Alex Example")
    ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example")

    # The owner sends the draft out for consultation.
    sign_in_browser(page, live_server, roles.governance_manager, next_path=f"/agreements/{draft.pk}/status/")
    page.get_by_role("button", name="Send for consultation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is now out for consultation")
    assert Agreement.objects.get(pk=draft.pk).status == Status.CONSULTATION

    # The partner's SPOC comments: nothing first, then the comment.
    page.context.clear_cookies()
    sign_in_browser(page, live_server, roles.spoc, next_path=f"/agreements/{draft.pk}/")
    page.get_by_role("link", name="Comment on the draft, and read the comments made").click()
    check_page(page, heading="Consultation")
    expect(page.get_by_text("Nobody has commented yet.")).to_be_visible()
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your comment")
    check_page(page)
    page.get_by_label("Your comment").fill(COMMENT)
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your comment for Borsetshire Police is recorded.")
    expect(page.locator("main")).to_contain_text(COMMENT)
    expect(page.locator("main")).to_contain_text("Not answered yet")
    check_page(page)

    # The owner answers it.
    page.context.clear_cookies()
    sign_in_browser(page, live_server, roles.governance_manager, next_path=f"/agreements/{draft.pk}/consultation/")
    page.get_by_role("link", name="Answer the comment of Borsetshire Police").click()
    check_page(page, heading="Answer Borsetshire Police's comment")
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your answer to Borsetshire Police's comment is recorded")
    expect(page.locator("main")).to_contain_text(ANSWER)
    check_page(page)

    # The partner's SPOC reads the answer.
    page.context.clear_cookies()
    sign_in_browser(page, live_server, roles.spoc, next_path=f"/agreements/{draft.pk}/consultation/")
    expect(page.locator("main")).to_contain_text(ANSWER)
