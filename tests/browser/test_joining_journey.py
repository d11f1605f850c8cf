"""Joining in real Chromium: a governance manager invites a SPOC from the organisation's people
page; the SPOC follows the e-mailed link, chooses a password, scans the QR code (the test reads
its key as an app would), sees the backup codes once and lands on the home page. axe-core checks
every page on the way, error states included."""

import re

from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from partners.models import Role
from tests.auth import current_code

from .helpers import check_page, sign_in_browser


def test_a_spoc_is_invited_and_joins_with_an_authenticator(page, live_server, roles):
    sign_in_browser(page, live_server, roles.governance_manager, next_path=roles.owner.get_absolute_url())
    page.get_by_role("link", name="People in the portal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People in the portal")
    check_page(page)

    page.get_by_role("button", name="Invite someone").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text([
        "Enter the person’s full name.", "Enter their work e-mail address.", "Select their role.",
    ])
    check_page(page)
    page.get_by_label("Full name").fill("Ruth Archer")
    page.get_by_label("Work e-mail address").fill("ruth.archer@borsetshire.example")
    page.get_by_label("Single point of contact", exact=False).first.check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Invitation sent to ruth.archer@borsetshire.example.",
    )
    expect(page.get_by_role("row", name=re.compile("Ruth Archer"))).to_be_visible()
    check_page(page)
    page.context.clear_cookies()

    # The invitee, from the e-mail.
    link = re.search(r"/join/\S+/", mail.outbox[-1].body).group(0)
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join ISA Portal")
    check_page(page)
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Type the password again").fill("short")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This password is too short.")
    check_page(page)
    page.get_by_label("Create a password").fill("ambridge lower loxley felpersham")
    page.get_by_label("Type the password again").fill("ambridge lower loxley felpersham")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check_page(page)
    device = TOTPDevice.objects.get(user__username="ruth.archer@borsetshire.example")
    page.get_by_label("Code from the app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.locator(".app-backup-codes li")).to_have_count(10)
    check_page(page)
    page.get_by_role("button", name="I have kept my codes: continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Single point of contact (SPOC), Borsetshire County Council",
    )
    check_page(page)
    assert device.user.memberships.get().role == Role.SPOC
