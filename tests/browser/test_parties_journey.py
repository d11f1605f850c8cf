"""The governance manager's parties journey in Chromium: invite a partner to an agreement in
force, record that it is awaiting details, name its contacts, record and complete another
partner's withdrawal — and the other SPOCs find it in their inbox. axe on every page."""

import re

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import ContactRole, DataLevel, PartyStatus
from agreements.services import data_item_create, party_contact_add, party_withdrawals_complete
from tests.factories import ContactFactory, OrganisationFactory, PartyFactory

from .helpers import check_page, sign_in_browser

AGREEMENT = "Borsetshire Community Safety Information Sharing Agreement"
NEWCOMER = "Borsetshire Fire and Rescue Service"
LEAVER = "Felpersham College"



def row_of(page, organisation: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(organisation)))


def test_governance_manager_invites_records_and_completes_a_withdrawal(page, live_server, roles):
    spocs_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Riley Example")
    party_contact_add(party=roles.partner_party, contact=spocs_contact, role=ContactRole.SPOC)
    newcomer = OrganisationFactory(name=NEWCOMER)
    leaver = PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name=LEAVER), signed=True)
    # Every notice the rules require reaches someone (issue 13, item 3): the owner and the leaver
    # have a SPOC on record too.
    for party, name in ((roles.owner_party, "Sam Example"), (leaver, "Alex Example")):
        party_contact_add(party=party, contact=ContactFactory(organisation=party.organisation, name=name),
                          role=ContactRole.SPOC)
    data_item_create(
        agreement=roles.agreement, provider_label="Fire and rescue", level=DataLevel.MINIMUM,
        description="Addresses of deliberate fires",
    )
    parties_url = f"{live_server.url}/agreements/{roles.agreement.pk}/parties/"

    sign_in_browser(page, live_server, roles.governance_manager)
    page.goto(parties_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Parties")
    check_page(page)

    # Invite: first without choosing, then the fire service.
    page.get_by_role("button", name="Invite an organisation").click()
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the organisation to invite")
    check_page(page)
    page.get_by_label("Organisation to invite").select_option(label=NEWCOMER)
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{NEWCOMER} has been invited.")
    expect(row_of(page, NEWCOMER)).to_contain_text("Invited")
    check_page(page)

    # Its standing: awaiting details.
    page.get_by_role("link", name=f"Standing of {NEWCOMER}").click()
    check_page(page)
    page.get_by_label("Awaiting details", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(row_of(page, NEWCOMER)).to_contain_text("Awaiting details")

    # Its SPOC, someone new to the directory; the removal asks first.
    page.get_by_role("link", name=f"Contacts for {NEWCOMER}").click()
    check_page(page)
    page.get_by_label("Single point of contact (SPOC)").check()
    page.get_by_label("Full name").fill("Robin Example")
    page.get_by_label("Email address").fill("robin.example@borsetshire-fire.example")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Robin Example")
    page.get_by_role("link", name=re.compile("^Remove Robin Example")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to remove this person?")
    check_page(page)
    page.get_by_role("link", name="Cancel").click()

    # What it provides.
    page.goto(parties_url)
    page.get_by_role("link", name=f"Data provided by {NEWCOMER}").click()
    check_page(page)
    page.get_by_label(re.compile("Addresses of deliberate fires")).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"The data {NEWCOMER} provides")
    provided = roles.agreement.parties.get(organisation=newcomer).data_items
    assert list(provided.values_list("description", flat=True)) == ["Addresses of deliberate fires"]

    # The college gives notice: too short a notice first, then a month after notice.
    page.get_by_role("link", name=f"Record withdrawal of {LEAVER}").click()
    check_page(page)
    today = timezone.localdate()
    page.locator("#id_notice_given_on-day").fill(str(today.day))
    page.locator("#id_notice_given_on-month").fill(str(today.month))
    page.locator("#id_notice_given_on-year").fill(str(today.year))
    effective = today + relativedelta(months=1)
    too_soon = effective - relativedelta(days=1)
    page.locator("#id_effective_on-day").fill(str(too_soon.day))
    page.locator("#id_effective_on-month").fill(str(too_soon.month))
    page.locator("#id_effective_on-year").fill(str(too_soon.year))
    page.get_by_role("button", name="Record withdrawal").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The withdrawal must take effect at least one month after notice is given: "
        f"on or after {effective.day} {effective:%B %Y}."
    )
    check_page(page)
    page.locator("#id_effective_on-day").fill(str(effective.day))
    page.locator("#id_effective_on-month").fill(str(effective.month))
    page.locator("#id_effective_on-year").fill(str(effective.year))
    page.get_by_role("button", name="Record withdrawal").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Every other party's SPOC, and its own, has been told."
    )
    expect(row_of(page, LEAVER)).to_contain_text("Withdrawal notified")
    check_page(page)

    # The daily run on the effective date completes it.
    assert party_withdrawals_complete(on=effective) == [leaver]
    page.reload()
    expect(row_of(page, LEAVER)).to_contain_text("Withdrawn")
    leaver.refresh_from_db()
    assert leaver.status == PartyStatus.WITHDRAWN

    # The police SPOC was told of both, at once, and finds them in the portal.
    page.context.clear_cookies()
    sign_in_browser(page, live_server, roles.spoc)
    notifications = page.get_by_role("link", name="Notifications (2 unread)")
    notifications.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    check_page(page)
    page.get_by_role("link", name=f"{LEAVER} is withdrawing from {AGREEMENT}").click()
    expect(page).to_have_url(parties_url)
    expect(page.get_by_role("link", name="Notifications (1 unread)")).to_be_visible()
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("main")).to_contain_text(f"The withdrawal takes effect on {effective.day} {effective:%B %Y}.")
    expect(page.locator("main")).to_contain_text(f"{NEWCOMER} is joining {AGREEMENT}")
