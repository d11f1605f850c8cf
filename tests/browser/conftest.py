"""Fixtures for browser tests: Debian's Chromium driven by Playwright's sync API.

- ``browser`` (session): one headless Chromium per test process (per xdist worker).
- ``page`` (function): a page in a fresh browser context (no cookies or storage shared
  between tests). Uncaught JavaScript errors on it fail the test; on failure a screenshot
  and the page's HTML are saved under ``test-results/browser/`` (or $BROWSER_ARTIFACTS_DIR).
- ``page_errors`` (function): the uncaught JavaScript errors seen by ``page`` so far; a test
  that expects one clears the list.
- ``policy_violations`` (function): Content-Security-Policy violations and Permissions-Policy
  header errors Chromium reported on ``page``; like uncaught errors, any fails the test, so every
  journey proves its pages work under the portal's policies (docs/decisions/0022).

Journeys also use pytest-django's ``live_server`` (which makes the test transactional: the
server thread must see the test's committed rows) and the shared ``roles`` cast. Every test
in this folder is marked ``browser``: ``pytest -m browser`` runs only these,
``pytest -m "not browser"`` everything else.

Helpers to import: ``tests.browser.helpers`` (``sign_in_browser``, ``check_page``).
"""

import os
import re
from pathlib import Path

# Playwright's sync API drives the browser from an asyncio event loop that it runs in this
# (the test's) thread. Django sees a running event loop and, to stop blocking database calls
# inside async code, raises SynchronousOnlyOperation on every ORM query the test makes after
# Playwright has started: creating users, reading TOTP devices, checking the database after a
# journey. Nothing here is really async and each query finishes before Playwright is used
# again, so the check is switched off. It must happen before Playwright starts; this module is
# imported at collection, before any fixture runs. Django reads the variable on every query.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from .helpers import AXE_SCRIPT, CHROMIUM, CHROMIUM_ARGS  # noqa: E402

BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = Path(os.environ.get("BROWSER_ARTIFACTS_DIR", BROWSER_DIR.parents[1] / "test-results" / "browser"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark every test under tests/browser ``browser``, before ``-m`` selects on marks. (They run
    first: ``tests/conftest.py`` orders them, after pytest-django has ordered the rest.)"""
    for item in items:
        if item.path.is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so ``page`` knows whether the test failed."""
    report = yield
    setattr(item, f"_browser_report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser(tmp_path_factory):
    """Headless Debian Chromium, one per test process; xdist workers get one each.

    Closed, and Playwright stopped, when this folder's tests are done (``package`` scope): they
    run first (``tests/conftest.py``), and Playwright's sync API keeps an asyncio event loop
    running in the test's thread, in which ``asyncio.run`` (pyHanko sealing a signed copy) refuses
    to start. A browser test run later on its own (a worker's share of the queue) starts one
    again."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (scripts/install_chromium.sh).")
    # Debian's chromium writes its profile, crash reports and dconf cache under $HOME and the
    # XDG folders: keep them in this run's temporary folder (per xdist worker).
    home = tmp_path_factory.mktemp("chromium-home")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env,
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page_errors():
    """Uncaught JavaScript errors on ``page``, in order (strings)."""
    return []


@pytest.fixture
def policy_violations():
    """What Chromium reported breaking the Content-Security-Policy or Permissions-Policy (strings)."""
    return []


# Reported to the page's console by Chromium itself and, for CSP, by this init script too, from
# the securitypolicyviolation event (each blocked script, style, image, frame or form action).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `Content Security Policy violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
  + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
));
"""
POLICY_MESSAGE = re.compile(r"Content Security Policy|Content-Security-Policy|Permissions-Policy|Permissions Policy")


@pytest.fixture
def page(browser, page_errors, policy_violations, request):
    """A page in a fresh context: British locale and time zone, a desktop-sized viewport."""
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/London", viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    # axe-core is in every page from its start (``check_page`` runs it): handed to the browser
    # once per context rather than sent over the DevTools pipe again for each page, and
    # compiled once per renderer (V8's script cache), not once per page.
    context.add_init_script(AXE_SCRIPT)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("console", lambda message: (
        policy_violations.append(message.text) if POLICY_MESSAGE.search(message.text) else None
    ))
    yield page

    call = getattr(request.node, "_browser_report_call", None)
    if call is not None and call.failed:
        _save_artifacts(page, request.node.nodeid)
    context.close()
    if page_errors and call is not None and call.passed:
        pytest.fail("Uncaught JavaScript error(s) on the page:\n" + "\n".join(page_errors))
    if policy_violations and call is not None and call.passed:
        pytest.fail("Content-Security-Policy or Permissions-Policy violation(s):\n" + "\n".join(policy_violations))


def _save_artifacts(page, nodeid: str) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS_DIR / re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # the test's own failure matters more
        print(f"Could not save browser artifacts for {nodeid}: {error}")
    else:
        print(f"Browser artifacts: {stem}.png, {stem}.html (page was {page.url})")


@pytest.fixture
def roles(fresh_roles, transactional_db):
    """Journeys are transactional (``live_server``): each builds and commits its own cast."""
    return fresh_roles
