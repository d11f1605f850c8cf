"""The first journey: sign in with username, password and code, look around, sign out.

axe-core checks every page on the way, error states included.
"""

import re
import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from isa_portal.middleware import SESSION_SEEN_KEY
from tests.factories import PASSWORD, ContactFactory, LegalGatewayFactory

from .helpers import check_page, fill_sign_in_form, unused_code, wait_for_frontend


def visit(page, live_server, path: str, *, heading: str) -> None:
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    check_page(page)


def test_sign_in_look_around_and_sign_out(page, live_server, roles):
    user = roles.governance_manager  # governance manager at the owner, Borsetshire County Council
    agreement, partner = roles.agreement, roles.partner
    # Give the pages more to show (and axe more to check): a repealed gateway puts a warning
    # on the agreement, a contact fills the partner's table with a mailto link.
    agreement.gateways.add(LegalGatewayFactory(art6=True), LegalGatewayFactory(repealed=True))
    ContactFactory(organisation=partner, name="Sam Fairbrother", job_title="Partnership analyst")

    # Anonymous: the home page sends you to sign in.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=/")
    expect(page).to_have_title("Sign in – ISA Portal")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ISA Portal")
    check_page(page)

    # An empty form: the GOV.UK error summary, focused, with a link to each field.
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_title("Error: Sign in – ISA Portal")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text([
        "Enter your username.",
        "Enter your password.",
        "Enter the 6-digit code from your authenticator app.",
    ])
    wait_for_frontend(page)
    expect(summary).to_be_focused()
    expect(page.locator("#id_otp_token-error")).to_contain_text("Enter the 6-digit code")
    check_page(page)
    for link_text, field in [
        ("Enter your password.", "#id_password"),
        ("Enter the 6-digit code from your authenticator app.", "#id_otp_token"),
        ("Enter your username.", "#id_username"),
    ]:
        summary.get_by_role("link", name=link_text).click()
        expect(page.locator(field)).to_be_focused()

    # Username, password and the code from the authenticator app: home, with the agreement.
    fill_sign_in_form(page, username=user.username, password=PASSWORD, code=unused_code(user))
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).to_have_title("Home – ISA Portal")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your information sharing")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Governance manager, Borsetshire County Council"
    )
    table = page.get_by_role("table", name="Agreements your organisation owns or is party to")
    expect(table.get_by_role("link", name=agreement.title)).to_be_visible()
    header = page.locator("header")
    expect(header).to_contain_text(user.get_full_name())
    check_page(page)

    # Around the portal, axe on every page.
    visit(page, live_server, "/agreements/", heading="Agreements")
    page.get_by_role("link", name=agreement.title).click()
    expect(page).to_have_url(f"{live_server.url}{agreement.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(agreement.title)
    expect(page.locator(".govuk-warning-text")).to_contain_text("Data Protection Act 1998 s29")
    check_page(page)

    visit(page, live_server, "/partners/", heading="Partners")
    page.get_by_role("link", name=partner.name).click()
    expect(page).to_have_url(f"{live_server.url}{partner.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(partner.name)
    expect(page.get_by_role("table")).to_contain_text("Sam Fairbrother")
    check_page(page)

    visit(page, live_server, "/privacy/", heading="Privacy")
    visit(page, live_server, "/accessibility/", heading="Accessibility")

    # Sign out with the header's POST control: back to the sign-in page, and signed out.
    header.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ISA Portal")
    expect(page.locator("header")).not_to_contain_text("Sign out")
    page.goto(f"{live_server.url}/agreements/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/agreements/$"))


def test_wrong_code_is_refused(page, live_server, roles):
    """A wrong code: one message for the whole form, naming no field, and axe still passes."""
    user = roles.practitioner
    page.goto(f"{live_server.url}/sign-in/")
    right = unused_code(user)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    fill_sign_in_form(page, username=user.username, password=PASSWORD, code=wrong)

    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username, password and security code.")
    # The password is not sent back; the username is kept.
    expect(page.locator("#id_username")).to_have_value(user.username)
    expect(page.locator("#id_password")).to_have_value("")
    check_page(page)


def test_too_many_wrong_tries_show_the_locked_page(page, live_server, roles):
    """Issue 12: the fifth wrong try at one account from one address is answered with a GOV.UK
    page and HTTP 429, and so is the right password and code after it."""
    user = roles.practitioner
    page.goto(f"{live_server.url}/sign-in/")
    for n in range(5):
        fill_sign_in_form(page, username=user.username, password=f"guess-{n}", code="123456")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")
    expect(page).to_have_title("Too many attempts – ISA Portal")
    check_page(page)

    page.goto(f"{live_server.url}/sign-in/")
    with page.expect_response(re.compile(r"/sign-in/$")) as answer:
        fill_sign_in_form(page, username=user.username, password=PASSWORD, code=unused_code(user))
    assert answer.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")


def test_an_idle_session_ends_and_the_sign_in_page_says_why(page, live_server, roles):
    """Issue 12: 30 minutes unused end the session; the sign-in page says so in a banner."""
    user = roles.practitioner
    page.goto(f"{live_server.url}/sign-in/")
    fill_sign_in_form(page, username=user.username, password=PASSWORD, code=unused_code(user))
    expect(page).to_have_url(f"{live_server.url}/")
    [cookie] = [c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    session = SessionStore(cookie["value"])
    session[SESSION_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 1  # as if 30 minutes idle
    session.save()

    page.goto(f"{live_server.url}/agreements/")

    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/agreements/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You were signed out because you had not used the portal for 30 minutes.")
    check_page(page)
