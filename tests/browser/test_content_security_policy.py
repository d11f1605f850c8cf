"""The portal's pages work in Chromium under their Content-Security-Policy (docs/decisions/0022):
GOV.UK Frontend initialises, nothing is blocked, and what the policy forbids really is refused.

Every journey in this folder also fails on any violation (the ``page`` fixture's
``policy_violations``); this module holds the policy's own checks, the Django admin's pages
among them, and proves the violation listener hears what it should."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from .helpers import check_page, sign_in_browser, wait_for_frontend

INJECT_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injectedScriptRan = true;";
  document.body.append(script);
}"""
INJECT_INLINE_STYLE = """() => {
  const style = document.createElement("style");
  style.textContent = "body { background: rgb(255, 0, 0); }";
  document.head.append(style);
  return getComputedStyle(document.body).backgroundColor;
}"""


def test_a_public_page_loads_under_the_policy_and_initialises_frontend(page, live_server, policy_violations):
    response = page.goto(f"{live_server.url}{reverse('login')}")

    assert "'nonce-" in response.headers["content-security-policy"]
    check_page(page, heading="Sign in to ISA Portal")
    assert policy_violations == []


def test_the_sharing_log_entry_page_loads_under_the_policy_and_refuses_injected_script_and_style(
    page, live_server, roles, policy_violations,
):
    entry = roles.disclosure
    sign_in_browser(page, live_server, roles.spoc, next_path=reverse("sharing_log:detail", args=[entry.pk]))

    response = page.reload()
    wait_for_frontend(page)
    assert response.headers["cache-control"] == "no-store"
    assert policy_violations == []

    # What an injection would try: an inline script and an inline stylesheet are refused, and
    # the refusals are heard (so an empty list above means nothing was blocked).
    page.evaluate(INJECT_INLINE_SCRIPT)
    background = page.evaluate(INJECT_INLINE_STYLE)
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    assert page.evaluate("() => window.injectedScriptRan") is None
    assert background != "rgb(255, 0, 0)"
    page.wait_for_function("() => true")  # let the violation events reach the console
    assert any("script-src" in message for message in policy_violations), policy_violations
    assert any("style-src" in message for message in policy_violations), policy_violations
    policy_violations.clear()


def test_the_django_admin_works_under_the_policy(page, live_server, roles, policy_violations):
    sign_in_browser(page, live_server, roles.admin, next_path="/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Site administration")

    agreement = roles.agreement
    for path in (
        "/admin/agreements/agreement/",
        f"/admin/agreements/agreement/{agreement.pk}/change/",
        f"/admin/agreements/agreement/{agreement.pk}/history/",
        f"/admin/agreements/agreement/{agreement.pk}/permissions/",
        "/admin/partners/organisation/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert policy_violations == [], path
