"""A partnership that is not in the demo starts from an empty database, without opening /admin/
(issue 11's "done when"). The database holds the legal gateway catalogue (as `migrate` leaves it)
and one portal administrator. Through the portal's pages alone:

- the administrator adds the owner council and invites its governance manager, who sets a
  password, enrols an authenticator from the QR code's key and sees the backup codes;
- the governance manager imports a directory spreadsheet (the dry run shows the broken row; the
  import makes the rest) and records the agreement the partners signed on paper in 2019,
  amended from a 2016 version, in force since July 2019, with its paper signatures;
- the governance manager invites the police's first person, a SPOC, who joins and logs a
  disclosure under the agreement.

axe-core checks every page on the way."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from agreements.models import Agreement, Status
from partners.models import Role
from sharing_log.models import Disclosure
from tests.auth import current_code
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .helpers import check_page, sign_in_browser, tiny_pdf

TITLE = "Ambridge Community Safety Information Sharing Agreement"
DIRECTORY = (
    "Organisation,CSP Board Member?,Lead Signatory Name & Role,2018 Signature form returned,"
    "Specific Point of Contact (SPOC) for this agreement,ECINS users\n"
    "Borsetshire Constabulary,Yes,Kenton Archer - Chief Constable,Yes,Insp. Alan Franks,YES\n"
    "RSL: Ambridge Homes,NO,Lilian Bellamy- Chair,Lost in the post,Justin Elliott- Housing Officer,NO\n"
)


def join(page, live_server, *, password: str) -> None:
    """Follow the last e-mailed invitation: password, authenticator, backup codes, home."""
    page.context.clear_cookies()
    page.goto(live_server.url + re.search(r"/join/\S+/", mail.outbox[-1].body).group(0))
    check_page(page, heading="Join ISA Portal")
    page.get_by_label("Create a password").fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name="Continue").click()
    check_page(page, heading="Set up your authenticator app")
    device = TOTPDevice.objects.get(user__username=mail.outbox[-1].to[0], confirmed=False)
    page.get_by_label("Code from the app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    check_page(page, heading="Your backup codes")
    page.get_by_role("button", name="I have kept my codes: continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your information sharing")


def fill_date(scope, day: datetime.date) -> None:
    scope.get_by_label("Day").fill(str(day.day))
    scope.get_by_label("Month").fill(str(day.month))
    scope.get_by_label("Year").fill(str(day.year))


def test_a_new_partnership_gets_in_and_logs_a_disclosure(page, live_server, transactional_db):
    from importlib import import_module

    from django.apps import apps

    import_module("agreements.migrations.0007_legal_gateway_catalogue").add_catalogue(apps, None)
    administrator = UserFactory(first_name="Pat", last_name="Admin")
    MembershipFactory(user=administrator, organisation=OrganisationFactory(name="Felpersham Shared Services"),
                      role=Role.ADMIN)

    # The administrator adds the owner and invites its governance manager.
    sign_in_browser(page, live_server, administrator, next_path="/partners/")
    page.get_by_role("button", name="Add an organisation").click()
    page.get_by_label("Name", exact=True).fill("Ambridge District Council")
    page.get_by_label("Sector").select_option(label="District council")
    page.get_by_role("button", name="Add organisation").click()
    check_page(page, heading="Ambridge District Council")
    page.get_by_role("link", name="People in the portal").click()
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Full name").fill("Helen Archer")
    page.get_by_label("Work e-mail address").fill("helen.archer@ambridge.example")
    page.get_by_label("Governance manager").check()
    page.get_by_role("button", name="Send invitation").click()
    check_page(page, heading="People in the portal")

    join(page, live_server, password="borchester land ambridge hall")

    # The governance manager imports the directory: one broken row, the rest made.
    page.goto(f"{live_server.url}/partners/import/")
    check_page(page, heading="Import a directory")
    page.set_input_files("#id_file", files=[
        {"name": "appendix-1.csv", "mimeType": "text/csv", "buffer": DIRECTORY.encode()},
    ])
    page.get_by_role("button", name="Check the file").click()
    check_page(page, heading="Check the import")
    expect(page.locator("main")).to_contain_text("Unknown signature form status “Lost in the post”")
    page.get_by_role("button", name="Import 1 row").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Imported: 1 organisations and 2 people added; 1 rows with problems left out.",
    )
    check_page(page, heading="Partners")

    # The agreement the partners signed on paper: drafted as it stands, then recorded as it was.
    page.goto(f"{live_server.url}/agreements/new/")
    page.get_by_label("Start with a blank agreement").check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Start the agreement").click()
    check_page(page, heading=TITLE)
    agreement = Agreement.objects.get(title=TITLE)
    base = f"{live_server.url}/agreements/{agreement.pk}"
    page.goto(f"{base}/tasks/purposes/")
    page.get_by_label("Purposes").fill("To reduce crime, disorder and anti-social behaviour in Ambridge")
    page.get_by_role("button", name="Save", exact=True).click()
    page.goto(f"{base}/tasks/sections/add/")
    page.get_by_label("Heading", exact=True).fill("Purpose of the agreement")
    page.get_by_label("Text", exact=True).fill("The partners share information to reduce anti-social behaviour.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.goto(f"{base}/tasks/gateways/")
    page.get_by_label(re.compile(r"^UK GDPR Art 6\(1\)\(e\)")).check()
    page.get_by_label(re.compile(r"^Crime and Disorder Act 1998 s115")).check()
    page.get_by_label(re.compile(r"^Anti-social Behaviour, Crime and Policing Act 2014 s104")).check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.goto(f"{base}/tasks/retention/")
    page.get_by_label("A number of months after the case is closed").check()
    page.get_by_label("Months after the case is closed", exact=True).fill("18")
    page.get_by_role("button", name="Save", exact=True).click()
    page.goto(f"{base}/parties/invite/")
    page.get_by_label("Organisation to invite").select_option(label="Borsetshire Constabulary")
    page.get_by_role("button", name="Invite", exact=True).click()

    page.goto(f"{base}/status/")
    check_page(page, heading="Status")
    page.get_by_role("link", name="record it as an existing agreement").click()
    check_page(page, heading="Record an agreement signed before the portal")
    page.get_by_label("Current version number").fill("2.0")
    fill_date(page.get_by_role("group", name="Date the current version was issued"), datetime.date(2019, 5, 14))
    page.get_by_label("What changed in the current version").fill("The police joined; data items updated.")
    page.get_by_label("Earlier version number").fill("1.0")
    fill_date(page.get_by_role("group", name="Date the earlier version was issued"), datetime.date(2016, 9, 1))
    page.get_by_role("button", name="Record the versions").click()
    check_page(page, heading="Signatures")

    for organisation, signed in (("Ambridge District Council", datetime.date(2019, 6, 3)),
                                 ("Borsetshire Constabulary", datetime.date(2019, 6, 24))):
        page.get_by_role("link", name=f"Record signature form for {organisation}").click()
        check_page(page, heading="Record a returned signature form")
        page.get_by_label("Name of the person who signed").fill("Kenton Archer" if "Constab" in organisation
                                                                 else "Helen Archer")
        page.get_by_label("Their role").fill("Chief Constable" if "Constab" in organisation else "Chief Executive")
        fill_date(page, signed)
        page.set_input_files("#id_scan", files=[
            {"name": "signature-form.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()},
        ])
        page.get_by_role("button", name="Record signature form").click()
        check_page(page, heading="Signatures")

    # Its DPIA screening, recorded before it can be recorded as in force (issue 13, item 2).
    page.goto(f"{base}/dpia/")
    check_page(page, heading="Data protection impact assessment (DPIA)")
    page.locator("input[name=needed][value=no]").check()
    page.get_by_label("If no DPIA is needed, why not?").fill("Screened: a small partnership, no special-category data.")
    page.get_by_role("button", name="Save the DPIA").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The DPIA has been recorded.")

    page.goto(f"{base}/status/")
    page.get_by_role("link", name="record the date it came into force").click()
    check_page(page, heading="Record that it is already in force")
    fill_date(page.get_by_role("group", name="In force since"), datetime.date(2019, 6, 1))
    page.get_by_role("button", name="Record as in force").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "It cannot have come into force before the signatures it needs: the last was on 24 June 2019",
    )
    check_page(page)
    fill_date(page.get_by_role("group", name="In force since"), datetime.date(2019, 7, 1))
    # Reviewed a month ago: a review overdue for longer than its grace would stop the logging below.
    fill_date(page.get_by_role("group", name="Last reviewed on"), timezone.localdate() - datetime.timedelta(days=30))
    page.get_by_role("button", name="Record as in force").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("in force since 1 July 2019.")
    check_page(page, heading=TITLE)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.effective_date) == (Status.IN_FORCE, datetime.date(2019, 7, 1))

    # The police's first person, a SPOC, joins and logs a disclosure under it.
    page.goto(f"{base}/parties/")
    page.get_by_role("link", name=re.compile(r"^Invite their first person")).click()
    check_page(page, heading="Invite the first person from Borsetshire Constabulary")
    page.get_by_label("Full name").fill("Alan Franks")
    page.get_by_label("Work e-mail address").fill("alan.franks@borsetshire-police.example")
    page.get_by_label("Single point of contact (SPOC)").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Invitation sent to")

    join(page, live_server, password="lower loxley grey gables")
    page.goto(f"{live_server.url}/log/new/")
    check_page(page, heading="Log a disclosure or a decision not to share")
    page.get_by_label("Case reference").fill("ASB-2026-0101")
    page.get_by_label("Adult", exact=True).check()
    page.get_by_label("Minimum data (identifying details)").check()
    page.get_by_label("Anti-social behaviour", exact=True).check()
    page.get_by_label("Explicit consent given").check()
    page.get_by_label("Yes, the person was told").check()
    page.get_by_label("Why was sharing necessary and proportionate?").fill("The council cannot act without it.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("alert")).to_contain_text("Disclosure to Ambridge District Council logged")
    check_page(page)
    entry = Disclosure.objects.get()
    assert (entry.agreement, entry.recipient_organisation.name) == (agreement, "Ambridge District Council")
