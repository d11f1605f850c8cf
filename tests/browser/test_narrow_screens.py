"""Every page fits a 320 px wide screen: a phone, or 1280 px at 400 % zoom (WCAG 1.4.10 Reflow).

The demo is loaded, then the crawl starts from the home page, signed out and then signed in as
each demo login in turn (``isa_portal.demo.DEMO_LOGINS``), at a 320 × 640 viewport. It follows
same-site links breadth-first (GET only: forms are not submitted), one page per URL pattern per
login (``resolve(path).route``: ``/log/<int:pk>/`` is one pattern however many entries the log
holds), skipping signing out, downloads (PDF, CSV, the export) and links that change something.
It opens every <details> on each page and fails on any page wider than the screen
(``scrollWidth > clientWidth`` on the document), listing them all, and runs the suite's axe check
once on each distinct pattern. Two more tests put a page's worst case (long unbroken strings, a
7-column sortable table, one in a closed <details>) on a real page. Signed in, each
login's menu is also checked: one row at 1280 px, folded behind "Menu" at 320 px.
Decision 0044 says how tables and the service navigation fit.
"""

from __future__ import annotations

import io
import re
import threading
import time
from collections import deque
from urllib.parse import urldefrag, urlsplit

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from isa_portal.demo import DEMO_LOGINS

from .helpers import assert_no_axe_violations, sign_in_browser, wait_for_frontend

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}

# Views reached by a GET link that are not pages to look at: files, and links that change
# something (opening a notice marks it read and redirects to what it is about).
NOT_PAGES = {
    "logout",
    "notification_open",
    "agreements:pdf",
    "agreements:signed_copy",
    "agreements:signature_scan",
    "agreements:dpia_document",
    "agreements:record_of_processing",
    "agreements:record_of_processing_pdf",
    "register:pdf",
    "sharing_log:export",
    # Issue 16's exports: files, each behind a download link.
    "sharing_log:export_xlsx", "sharing_log:onward_export", "sharing_log:onward_export_xlsx",
    "agreements:export", "agreements:export_xlsx", "agreements:signatures_export", "agreements:signatures_export_xlsx",
    "breaches:export", "breaches:export_xlsx", "requests:export", "requests:export_xlsx",
    "partners:directory_export", "partners:directory_export_xlsx",
}
# Django's admin is not a GOV.UK page (its own styles, its own reflow).
NOT_CRAWLED_PREFIXES = ("/admin/", "/static/", "/media/")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".zip")

# A generous ceiling on pages per login, so a page that links to endless variations of itself
# cannot make the crawl run away (each pattern is visited once anyway).
MAX_PAGES_PER_LOGIN = 120

OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
    .filter((el) => el.children.length === 0 || el.tagName === "TABLE")
    .slice(0, 3)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest: wide};
}"""

# What a closed <details> holds must fit too ("Parties to chase"): open them all, then wait two
# frames for tables.js, which measures a table when its <details> opens.
OPEN_DETAILS = """() => {
  document.querySelectorAll("details:not([open])").forEach((details) => { details.open = true; });
  return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""

LINKS = "() => [...document.querySelectorAll('a[href]')].filter((a) => !a.hasAttribute('download')).map((a) => a.href)"


def pattern_of(path: str) -> str | None:
    """The URL pattern a path belongs to (its view's name and route), or None if it is not a page."""
    if path.startswith(NOT_CRAWLED_PREFIXES) or path.lower().endswith(DOWNLOAD_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in NOT_PAGES:
        return None
    return f"{match.view_name} ({match.route})"


def crawl(page, base_url: str, *, who: str, overflowing: dict, axed: dict, seen_patterns: set) -> int:
    """Breadth-first from the home page: record each overflowing page, axe-check new patterns."""
    host = urlsplit(base_url).netloc
    queue, queued, visited_patterns, pages = deque(["/"]), {"/"}, set(), 0
    while queue and pages < MAX_PAGES_PER_LOGIN:
        target = queue.popleft()
        pattern = pattern_of(urlsplit(target).path)
        if pattern is None or pattern in visited_patterns:
            continue
        visited_patterns.add(pattern)
        # The page's styles are in by the time init.js has run (wait_for_frontend): scripts wait
        # for the style sheets before them. Images and the favicon need not load.
        response = page.goto(f"{base_url}{target}", wait_until="domcontentloaded")
        pages += 1
        status = response.status if response is not None else None
        assert status is not None and status < 400, f"{who}: {target} answered {status}"
        landed = urlsplit(page.url)
        landed_pattern = pattern_of(landed.path)
        if landed_pattern is not None and landed_pattern != pattern:
            visited_patterns.add(landed_pattern)  # a redirect: the page shown is the other one
        seen_patterns.add(landed_pattern or pattern)
        wait_for_frontend(page)
        page.evaluate(OPEN_DETAILS)
        if (problem := page.evaluate(OVERFLOW)) is not None:
            overflowing.setdefault(landed.path + (f"?{landed.query}" if landed.query else ""), (who, problem))
        if (landed_pattern or pattern) not in axed:
            axed[landed_pattern or pattern] = None
            try:
                assert_no_axe_violations(page)
            except AssertionError as failure:
                axed[landed_pattern or pattern] = f"as {who}: {failure}"
        for href in page.evaluate(LINKS):
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in queued:
                queued.add(local)
                queue.append(local)
    return pages


def load_demo() -> None:
    """``manage.py load_demo``, in a thread of its own: sealing the signed copies runs asyncio,
    which refuses to start inside the event loop Playwright keeps in the test's thread."""
    failures = []

    def run():
        try:
            call_command("load_demo", stdout=io.StringIO())
        except Exception as error:  # handed to the test's thread
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def assert_menu_fits(page, who: str) -> None:
    """At 1280 px the service navigation is one row; at 320 px it folds behind "Menu"."""
    page.set_viewport_size(WIDE)
    tops = page.locator(".govuk-service-navigation__item").evaluate_all(
        "(items) => items.map((item) => Math.round(item.getBoundingClientRect().top))")
    assert tops and len(set(tops)) == 1, f"{who}: the menu wraps into rows at 1280 px (tops {tops})"
    page.set_viewport_size(NARROW)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.locator("#navigation")).to_be_hidden()
    menu.click()
    expect(page.locator("#navigation")).to_be_visible()


def test_every_page_the_demo_logins_reach_fits_320_pixels(page, live_server):
    load_demo()
    User = get_user_model()
    overflowing, axed, counts, seen_by = {}, {}, [], {}

    started = time.monotonic()
    page.set_viewport_size(NARROW)
    seen_by["signed out"] = set()
    counts.append(crawl(page, live_server.url, who="signed out", overflowing=overflowing, axed=axed,
                        seen_patterns=seen_by["signed out"]))
    for login in DEMO_LOGINS:
        page.context.clear_cookies()
        sign_in_browser(page, live_server, User.objects.get(username=login.username))
        assert_menu_fits(page, login.username)
        seen_by[login.username] = set()
        counts.append(crawl(page, live_server.url, who=login.username, overflowing=overflowing,
                            axed=axed, seen_patterns=seen_by[login.username]))
    print(f"320 px crawl: {sum(counts)} pages ({', '.join(map(str, counts))}), "
          f"{len(axed)} patterns axe-checked, {time.monotonic() - started:.0f} s")

    # The crawl reached the pages each login works on, or it would prove little.
    assert "login (sign-in/)" in seen_by["signed out"]
    assert "sharing_log:list (log/)" in seen_by["practitioner"]
    assert "sharing_log:detail (log/<int:pk>/)" in seen_by["spoc"]
    assert "agreements:detail (agreements/<int:pk>/)" in seen_by["governance"]
    assert "agreements:party_sign (agreements/<int:pk>/parties/<int:party_pk>/sign/)" in seen_by["signatory"]
    assert "partners:access_log (partners/access-log/)" in seen_by["auditor"] | seen_by["governance"]
    failures = [failure for failure in axed.values() if failure]
    assert not failures, "\n\n".join(failures)
    assert not overflowing, "Wider than a 320 px screen (scrolls sideways):\n" + "\n".join(
        f"  {url} as {who}: {problem['scrollWidth']} px, widest {', '.join(problem['widest'])}"
        for url, (who, problem) in sorted(overflowing.items())
    )


# A page's worst case, whatever the page: a 7-column table (sortable, as the MOJ sortable table
# makes its headers: buttons), and a summary list, a paragraph and a
# two-column table each holding a 90-character string with nowhere to break (a reference, a hash).
LONG = "SCDC-ASB-2026-" + "0123456789" * 8
WORST_CASE = f"""
<p class="govuk-body" id="long-paragraph">{LONG}</p>
<dl class="govuk-summary-list"><div class="govuk-summary-list__row">
  <dt class="govuk-summary-list__key">Case reference</dt>
  <dd class="govuk-summary-list__value">{LONG}</dd></div></dl>
<table class="govuk-table" id="wide-table"><caption class="govuk-table__caption">Wide</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header" aria-sort="none"><button type="button">Column 1</button></th>
    {"".join(f'<th scope="col" class="govuk-table__header">Column {n}</th>' for n in range(2, 7))}
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Count</th></tr></thead>
  <tbody class="govuk-table__body"><tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header">SCDC-ASB-2026-0163</th>
    {"".join(f'<td class="govuk-table__cell">Cambridgeshire value {n}</td>' for n in range(2, 7))}
    <td class="govuk-table__cell govuk-table__cell--numeric">40</td></tr></tbody></table>
<table class="govuk-table"><caption class="govuk-table__caption">Long</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Reference</th>
    <th scope="col" class="govuk-table__header">Partner</th></tr></thead>
  <tbody class="govuk-table__body"><tr class="govuk-table__row">
    <td class="govuk-table__cell">{LONG}</td><td class="govuk-table__cell">Romsey Mill</td></tr></tbody></table>
"""


def test_long_strings_and_a_wide_table_fit_320_pixels_and_the_table_stacks(page, live_server):
    page.goto(f"{live_server.url}/help/")
    wait_for_frontend(page)
    page.locator("#main-content").evaluate("(main, html) => main.insertAdjacentHTML('afterbegin', html)",
                                           WORST_CASE)
    table = page.locator("#wide-table")
    page.set_viewport_size(WIDE)  # tables.js measures the tables again when the window changes size
    expect(table).not_to_have_class(re.compile("app-table--stacked"))  # at 1280 px it fits

    page.set_viewport_size(NARROW)
    expect(table).to_have_class(re.compile("app-table--stacked"))
    assert page.evaluate(OVERFLOW) is None
    # Each cell is led by its column's header, and the table keeps its table semantics.
    assert table.locator("tbody tr > *").evaluate_all(
        "(cells) => cells.map((cell) => [cell.getAttribute('role'), cell.dataset.appLabel])"
    ) == [["rowheader", "Column 1"]] + [["cell", f"Column {n}"] for n in range(2, 7)] + [["cell", "Count"]]
    expect(page.get_by_role("table", name="Wide")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Column 2")).to_have_count(1)
    expect(page.get_by_role("cell", name="Cambridgeshire value 2")).to_be_visible()
    assert_no_axe_violations(page)
    # The hidden header row shows while a control in it (a sortable table's button) has focus.
    header_row = table.locator("thead")
    assert header_row.bounding_box()["width"] <= 1
    table.get_by_role("button", name="Column 1").focus()
    assert header_row.bounding_box()["width"] > 250
    assert page.evaluate(OVERFLOW) is None

    page.set_viewport_size(WIDE)  # wide again: the columns come back
    expect(table).not_to_have_class(re.compile("app-table--stacked"))


def test_a_wide_table_in_closed_details_stacks_when_opened_at_320_pixels(page, live_server):
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/help/")
    wait_for_frontend(page)
    page.locator("#main-content").evaluate("(main, html) => main.insertAdjacentHTML('afterbegin', html)",
                                           '<details class="govuk-details"><summary class="govuk-details__summary">'
                                           '<span class="govuk-details__summary-text">Parties to chase</span>'
                                           f'</summary><div class="govuk-details__text">{WORST_CASE}</div></details>')
    page.get_by_text("Parties to chase").click()
    expect(page.locator("#wide-table")).to_have_class(re.compile("app-table--stacked"))
    assert page.evaluate(OVERFLOW) is None
