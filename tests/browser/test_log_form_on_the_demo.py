"""The log form on the demo's own data (issue 14, item 1; decisions 0040 and 0047): for every demo
login that may log, and every agreement they may log under, Save starts within two screen-heights
at 1280 × 800 — the Done-when line, measured where it is hardest (seed 001's CSP ISA cites several
Article 6 bases and its organisations receive entries), not only in the journey test's setting."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from isa_portal.demo import DEMO_LOGINS
from sharing_log import selectors
from sharing_log.permissions import can_log

from .helpers import check_page, sign_in_browser
from .test_log_form_journey import SCREEN, TWO_SCREENS, save_top
from .test_narrow_screens import load_demo

# Where each of the form's three columns ends, to say which one is too long.
COLUMNS = """() => [...document.querySelectorAll('form[data-log-form] .govuk-grid-column-one-third')].map(
    (column) => Math.round(column.getBoundingClientRect().bottom + window.scrollY))"""


def test_save_is_within_two_screens_for_every_demo_login_and_agreement(page, live_server):
    load_demo()
    User = get_user_model()
    page.set_viewport_size(SCREEN)
    measured, too_low = [], []
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        if not can_log(user):
            continue
        agreements = list(selectors.agreements_to_log_under(user, on=timezone.localdate()))
        page.context.clear_cookies()
        sign_in_browser(page, live_server, user)
        for agreement in agreements:
            page.goto(f"{live_server.url}/log/new/?agreement={agreement.pk}")
            check_page(page, heading="Log a disclosure or a decision not to share")
            measured.append(login.username)
            tops = [save_top(page)]
            # Choosing a partner the person last shared with fills in what was shared, and says so.
            last = next(iter(selectors.last_shared_to_each(user, agreement=agreement)), None)
            if last is not None:
                page.get_by_label("Partner organisation").select_option(str(last))
                expect(page.locator("[data-filled-from-last]")).to_be_visible()
                tops.append(save_top(page))
            if max(tops) > TWO_SCREENS:
                too_low.append(f"{login.username} under {agreement.title!r}: Save at y = {max(tops):.0f} "
                               f"(columns end at {page.evaluate(COLUMNS)})")
    # Every login that logs in the demo was measured, under each of its agreements.
    assert {"practitioner", "spoc", "governance"} <= set(measured), measured
    assert not too_low, "Save is below two screen-heights (1,600 px):\n" + "\n".join(too_low)
