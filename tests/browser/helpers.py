"""Helpers for browser journeys: signing in (through the real form, or by session), and axe-core checks.

    from tests.browser.helpers import check_page, sign_in_browser

    def test_something(page, live_server, roles):
        sign_in_browser(page, live_server, roles.governance_manager)
        page.goto(f"{live_server.url}/agreements/")
        check_page(page, heading="Agreements")
"""

from __future__ import annotations

import contextlib
import re
import time

from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.auth import device_of, sign_in

# --------------------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright cannot download browsers here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps trying to reach Google (updates, sync, safe browsing,
    # QUIC probes) and floods the closed network with refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # V8's optimising compilers (Maglev, TurboFan) off; its interpreter and baseline compiler
    # (Sparkplug) still run every script. A page here lives for a second or two: optimising
    # axe-core and GOV.UK Frontend again on each one cost Chromium more than it saved, about a
    # sixth of its CPU time per page checked (docs/testing.md, "A fifth round").
    "--js-flags=--no-maglev --no-turbofan",
]

# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------


def wait_for_frontend(page: Page) -> None:
    """Wait until static/js/init.js has run: GOV.UK Frontend's components are initialised.

    Also proves the ES modules (init.js and the vendored govuk-frontend/moj-frontend) loaded.
    """
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))


# --------------------------------------------------------------------------------------
# Files to upload
# --------------------------------------------------------------------------------------


def tiny_pdf() -> bytes:
    """A real (one blank page) PDF, as a scanner would send, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --------------------------------------------------------------------------------------
# Signing in
# --------------------------------------------------------------------------------------


def unused_code(user) -> str:
    """A 6-digit code the user's authenticator app could show now that the portal will accept.

    django-otp refuses a code whose time step was already used (``last_t``), so a second
    sign-in within the same 30 seconds needs the next step's code. That is within the
    device's tolerance of one step, as an app whose clock runs slightly fast would be.
    """
    device = device_of(user)
    step_now = (int(time.time()) - device.t0) // device.step + device.drift
    drift = device.drift + max(0, device.last_t + 1 - step_now)
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{token:0{device.digits}d}"


def fill_sign_in_form(page: Page, *, username: str, password: str, code: str) -> None:
    """Fill the GOV.UK sign-in form (isa_portal/templates/isa_portal/sign_in.html) and submit it."""
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_otp_token").fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def sign_in_browser(page: Page, live_server, user, *, next_path: str = "/") -> None:
    """Open ``next_path`` in the browser as ``user``, signed in and verified by their authenticator.

    The session is the one the sign-in form leaves (``tests.auth.sign_in``: signed in, with the
    persistent id of the user's confirmed TOTP device), made on the server and handed to the
    browser as its session cookie. The form itself, right and wrong codes included, is the sign-in
    journey's (test_sign_in_journey.py, with ``fill_sign_in_form``); the other journeys start
    signed in, two page loads and a POST sooner.
    """
    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{
        "name": cookie.key, "value": cookie.value, "url": live_server.url,
        "httpOnly": True, "sameSite": "Lax",
    }])
    page.goto(f"{live_server.url}{next_path}")
    if "/sign-in/" in page.url:
        raise AssertionError(f"{user.get_username()!r} was sent to sign in: the session was refused.")


def sign_out(page: Page) -> None:
    """Sign out from the header, and see the sign-in page."""
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()


# --------------------------------------------------------------------------------------
# Steps the agreement journeys share
# --------------------------------------------------------------------------------------

# The Article 26 essence of a joint controller arrangement, as its task page asks for it
# (agreements.forms.kinds.JointControllerForm): label -> answer.
ESSENCE = {
    "Which party answers which data subject rights?":
        "Borsetshire Council answers requests for access; the health board answers the others.",
    "Contact point for data subjects": "The hub's data protection mailbox",
    "Who notifies a personal data breach to the ICO?": "Borsetshire Council",
    "Who tells the people affected by a breach?": "The party whose system was breached",
}


def fill_essence(page: Page, *, leave_out: tuple[str, ...] = ()) -> None:
    """Fill the essence task's answers (``ESSENCE``), but for the labels in ``leave_out``."""
    for label, answer in ESSENCE.items():
        if label not in leave_out:
            page.get_by_label(label).fill(answer)


def mark_every_qa_point(page: Page, checkpoints, *, result: int = 0) -> None:
    """On the QA review page, mark each of ``checkpoints`` met (``result`` 0), not met (1) or not
    applicable (2): the radios of ``agreements.forms.qa_reviews.QaReviewForm``."""
    for point in checkpoints:
        page.locator(f"#id_point_{point.pk}_{result}").check()


def sign_version(page: Page, *, label: str, full_name: str, job_title: str = "Chief Executive") -> None:
    """On the signing page, confirm having read version ``label`` and sign it as ``full_name``,
    ``job_title``."""
    page.get_by_label(re.compile(rf"^I have read version {re.escape(label)} of this agreement")).check()
    page.get_by_label("Your full name").fill(full_name)
    page.get_by_label("Your job title").fill(job_title)
    page.get_by_role("button", name=f"Sign version {label}").click()


# --------------------------------------------------------------------------------------
# Accessibility: axe-core
# --------------------------------------------------------------------------------------

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices. axe-core 4.12 has no
# rule tagged "wcag22a" (WCAG 2.2's new A criterion, 3.2.6 consistent help, is not
# machine-testable); listing it is harmless and picks such rules up if axe ever adds them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def axe_violations(page: Page, *, context: str | dict | None = None) -> list[dict]:
    """Run axe-core on the page (or ``context``: a selector or axe include/exclude) and
    return its violations, each a dict with ``id``, ``impact``, ``help``, ``helpUrl``, ``nodes``.

    axe is the script axe-playwright-python bundles. The ``page`` fixture adds it to every page
    of its context (``add_init_script``); on any other page it is evaluated here. Either way it
    runs through the DevTools protocol, not ``page.add_script_tag``: a strict
    Content-Security-Policy blocks an added <script>, but not code the protocol evaluates.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    # Only the violations cross back from the page: the passes, incomplete and inapplicable
    # lists (every rule's text, a node each) cost a fifth of the check to serialise.
    return page.evaluate(
        "([context, options]) => axe.run(context || document, options).then(results => results.violations)",
        [context, options],
    )


def format_axe_violations(violations: list[dict], url: str) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for number, violation in enumerate(violations, start=1):
        lines.append(
            f"\n{number}. {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']}\n   {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"   - target: {target}")
            lines.append(f"     html:   {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n             ")
            if summary:
                lines.append(f"     why:    {summary}")
    return "\n".join(lines)


# GOV.UK Frontend sets aria-expanded on a radio that reveals a question. ARIA does not allow it
# on a radio, so axe reports it; the Design System keeps it on purpose because screen readers
# announce it (alphagov/govuk-frontend#979, a documented known issue). That one finding, on
# those radios alone, is let through; every other violation fails.
GOVUK_RADIO_REVEAL = re.compile(
    r'^Fix all of the following:\s+ARIA attribute is not allowed: aria-expanded="(true|false)"$',
)


def is_govuk_radio_reveal(violation_id: str, node: dict) -> bool:
    return (
        violation_id == "aria-allowed-attr"
        and 'class="govuk-radios__input"' in node["html"] and "aria-controls=" in node["html"]
        and bool(GOVUK_RADIO_REVEAL.match((node.get("failureSummary") or "").strip()))
    )


def assert_no_axe_violations(page: Page, *, context: str | dict | None = None) -> None:
    """Fail if axe-core finds any violation at all, whatever its impact (minor included), but
    for GOV.UK's known radio-reveal finding above.

    Prints each violation's id, impact, help text and the target selectors of the elements
    that fail it, so the test output says what to fix where.
    """
    violations = []
    for violation in axe_violations(page, context=context):
        nodes = [node for node in violation["nodes"] if not is_govuk_radio_reveal(violation["id"], node)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    if violations:
        report = format_axe_violations(violations, page.url)
        print(report)  # in pytest's captured output too, next to the page's other output
        raise AssertionError(report)


# --------------------------------------------------------------------------------------
# One check for every page a journey visits
# --------------------------------------------------------------------------------------


def check_page(page: Page, *, heading: str | None = None, context: str | dict | None = None) -> None:
    """The page as users see it has no accessibility violation: the journeys' one check.

    With ``heading``, first waits for the page's <h1> to read exactly that. Then waits for GOV.UK
    Frontend to initialise (``wait_for_frontend``), so axe sees the page as users do, and fails
    on any axe-core violation (``assert_no_axe_violations``; ``context`` narrows it).
    """
    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    wait_for_frontend(page)
    assert_no_axe_violations(page, context=context)


# --------------------------------------------------------------------------------------
# Narrow screens
# --------------------------------------------------------------------------------------

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def fits_narrow(page: Page, *, width: int = 320, height: int = 640) -> None:
    """The page, resized to ``width``, does not scroll sideways. ``static/js/tables.js`` stacks a
    wide table when the window is resized, so the check waits for it (up to 5 seconds) before
    failing; measured at once, it failed on a busy machine before the script had run."""
    page.set_viewport_size({"width": width, "height": height})
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"({SIDEWAYS})() <= 0", timeout=5_000)
    overflow = page.evaluate(SIDEWAYS)
    assert overflow <= 0, f"{page.url} scrolls {overflow} px sideways at {width} px"
