""""Can I share?" in real Chromium: the questions on at most five pages, each captioned with its
number, to a log form filled in from every answer (carried in the link's query string) and logged
with them; and a branch that ends in "Do not share", logged as a decision not to share. axe-core
checks every page on the way, error states and reveals included. The first journey counts its
clicks: 17 on eight question pages before the questions were put together.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from sharing_log.models import Decision, Disclosure
from tests.factories import LegalGatewayFactory
from tests.sharing_log.helpers.overrides import designated_manager

from .helpers import check_page, sign_in_browser

PURPOSE = "To reduce crime, disorder and anti-social behaviour"


class Clicks:
    """Clicks and choices made (the journey's count), each through ``click`` or ``check``."""

    def __init__(self):
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def check(self, locator) -> None:
        self.count += 1
        locator.check()


def on_question(page, number: int, heading: str) -> None:
    """On question page ``number`` of five, headed ``heading``, checked by axe."""
    expect(page.locator("legend .govuk-caption-l")).to_have_text(f"Can I share? Question {number} of 5")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page).to_have_title(re.compile(rf"– Question {number} of 5 – Can I share\? – ISA Portal$"))
    check_page(page)


def answer(page, number: int, heading: str, *labels: str, clicks: Clicks | None = None) -> None:
    """On question page ``number`` headed ``heading``, choose ``labels`` and continue."""
    clicks = clicks or Clicks()
    on_question(page, number, heading)
    for label in labels:
        clicks.check(page.get_by_label(label, exact=True))
    clicks.click(page.get_by_role("button", name="Continue"))


def test_practitioner_answers_the_questions_and_logs_the_pre_filled_share(page, live_server, roles):
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True))
    LegalGatewayFactory(art9=True)
    designated_manager(roles.owner_party, job_title="Head of Children's Services")
    log_posts = []
    page.on("request", lambda request: log_posts.append(request.url)
            if request.method == "POST" and "/log/new/" in request.url else None)
    sign_in_browser(page, live_server, roles.practitioner, next_path="/log/")
    clicks = Clicks()

    clicks.click(page.get_by_role("link", name="Can I share? Answer a few questions first"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Can I share?")
    check_page(page)
    clicks.click(page.get_by_role("button", name="Start now"))

    answer(page, 1, "Is there a clear and legitimate purpose for sharing the information?", PURPOSE, clicks=clicks)
    answer(page, 2, "Does the information identify a living person, and is it confidential?",
           "Yes, it identifies someone and it is confidential", clicks=clicks)
    answer(page, 3, "Do you have consent to share?", "No, consent was refused", clicks=clicks)

    # "Yes" reveals the question of why.
    on_question(page, 4, "Is there a sufficient public interest to share without consent?")
    reason = page.get_by_label("Why does the public interest justify sharing without consent?")
    expect(reason).to_be_hidden()
    clicks.check(page.get_by_label("Yes", exact=True))
    expect(reason).to_be_visible()
    check_page(page)
    reason.fill("A child is at risk of significant harm.")
    clicks.click(page.get_by_role("button", name="Continue"))

    # "Yes" reveals the special category question on the same page.
    on_question(page, 5, "Is sharing necessary, proportionate, relevant, accurate, timely and secure?")
    special = page.get_by_label("Special category data", exact=True)
    expect(special).to_be_hidden()
    clicks.check(page.get_by_label("Yes", exact=True))
    expect(special).to_be_visible()
    check_page(page)
    clicks.check(special)
    clicks.click(page.get_by_role("button", name="Continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Yes: A child is at risk of significant harm.")
    expect(page.locator(".govuk-summary-list__row")).to_have_count(7)
    check_page(page)
    assert Disclosure.objects.exists() is False

    # The log form, filled in from every answer: the person completes the rest and saves once.
    clicks.click(page.get_by_role("button", name="Continue to the log form"))
    assert clicks.count == 14, "17 clicks on eight question pages before; 14 on five now"
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a disclosure or a decision not to share")
    check_page(page)
    expect(page.locator("#id_agreement")).to_have_value(str(roles.agreement.pk))
    expect(page.locator("#id_purpose")).to_have_value(str(roles.agreement.purposes.get().pk))
    expect(page.get_by_label("Shared", exact=True)).to_be_checked()
    expect(page.get_by_label("Consent refused but overridden")).to_be_checked()
    expect(page.get_by_label("Why was the refusal overridden?")).to_have_value(
        "A child is at risk of significant harm.")
    expect(page.get_by_label("Confidential information was shared without consent")).to_be_checked()
    expect(page.get_by_label("Special category data", exact=True)).to_be_checked()
    expect(page.get_by_label("Criminal offence data", exact=True)).not_to_be_checked()
    page.get_by_label("Case reference").fill("CP-2026-0007")
    page.get_by_label("Child", exact=True).check()
    page.get_by_label("Detailed", exact=True).check()
    page.get_by_label("Health (physical or mental)").check()
    page.get_by_role("group", name="Article 9 conditions").get_by_label("UK GDPR Art 9(2)(g)").check()
    page.locator("#id_override_designated_manager").select_option(label="Alex Example, Head of Children's Services")
    page.locator("#id_breach_designated_manager").select_option(label="Alex Example, Head of Children's Services")
    page.get_by_label("Yes, the person was told").check()
    page.get_by_label("Risk and safeguarding concerns").check()
    page.get_by_label("Why was sharing necessary and proportionate?").fill(
        "The child's safety plan cannot be made without the health details.")
    check_page(page)
    page.get_by_role("button", name="Save entry").click()

    expect(page.get_by_role("alert")).to_contain_text("Disclosure to Borsetshire Police logged")
    expect(page.get_by_role("heading", name="Can I share? answers")).to_be_visible()
    expect(page.get_by_text("No, consent was refused")).to_be_visible()
    check_page(page)
    assert len(log_posts) == 1, "the pre-filled log form is one page and one submit"
    entry = Disclosure.objects.get()
    assert entry.can_i_share_answers["outcome"].startswith("You may share")
    assert entry.consent_reason == "A child is at risk of significant harm."


def test_answers_that_mean_do_not_share_are_logged_as_a_decision_not_to_share(page, live_server, roles):
    sign_in_browser(page, live_server, roles.practitioner, next_path="/log/new/")

    page.get_by_role("link", name="Not sure? Answer a few questions first").click()
    check_page(page)
    page.get_by_role("button", name="Start now").click()

    # A question left unanswered is refused with the error summary.
    on_question(page, 1, "Is there a clear and legitimate purpose for sharing the information?")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the purpose sharing would serve, or that there is no clear and legitimate purpose")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    answer(page, 1, "Is there a clear and legitimate purpose for sharing the information?", PURPOSE)
    answer(page, 2, "Does the information identify a living person, and is it confidential?",
           "Yes, it identifies someone but it is not confidential")

    # "Back" returns to the page before, with its answer kept.
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_label("Yes, it identifies someone but it is not confidential")).to_be_checked()
    page.get_by_role("button", name="Continue").click()

    # "Not sought" reveals why, on the same page; left unanswered it is refused.
    on_question(page, 3, "Do you have consent to share?")
    page.get_by_label("No, consent has not been sought").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why consent has not been sought")
    check_page(page)
    page.get_by_label("None of these").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator(".govuk-summary-list")).to_contain_text("None of these")
    check_page(page)

    # "Change" goes back to the page that asked, and its answer comes back to "Check your answers".
    page.get_by_role("link", name="Change your answer to “Is the information confidential?”").click()
    on_question(page, 2, "Does the information identify a living person, and is it confidential?")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Do not share")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Consent has not been sought and there is no reason not to seek it: seek consent before sharing.")
    check_page(page)
    assert Disclosure.objects.exists() is False

    page.get_by_role("button", name="Log a decision not to share").click()
    expect(page.get_by_label("Decided not to share")).to_be_checked()
    expect(page.get_by_label("Why did you decide not to share?")).to_have_value(
        "Consent has not been sought and there is no reason not to seek it: seek consent before sharing.")
    # A decision not to share is not asked the consent position (issue 14): the answer carried
    # stays in the page, out of sight, and nothing of it is kept with the entry.
    expect(page.get_by_role("radio", name="Consent not sought")).to_be_hidden()
    check_page(page)
    page.get_by_label("Case reference").fill("ASB-2026-0100")
    page.get_by_label("Adult", exact=True).check()
    page.get_by_label("Not yet, they will be told").check()
    page.get_by_label("When and how will they be told?").fill("When consent is sought this week.")
    tell_by = timezone.localdate() + datetime.timedelta(days=3)
    page.locator("#id_subject_told_by-day").fill(str(tell_by.day))
    page.locator("#id_subject_told_by-month").fill(str(tell_by.month))
    page.locator("#id_subject_told_by-year").fill(str(tell_by.year))
    page.get_by_role("button", name="Save entry").click()

    expect(page.get_by_role("alert")).to_contain_text("Decision not to share with Borsetshire Police logged")
    expect(page.get_by_role("heading", name="Can I share? answers")).to_be_visible()
    check_page(page)
    entry = Disclosure.objects.get()
    assert (entry.decision, entry.can_i_share_answers["outcome"]) == (
        Decision.NOT_SHARED,
        "Do not share: Consent has not been sought and there is no reason not to seek it: seek consent before "
        "sharing.",
    )
