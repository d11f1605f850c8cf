"""Welsh in real Chromium (issue 16, item 5; docs/decisions/0058): a SPOC switches to Cymraeg with
the header's switch (a POST button, no script needed), and the home page, "What's due" and "Can I
share?" read in Welsh, page after page, at 1280 px and at 320 px without sideways scrolling;
switching back gives English again. axe-core checks every page, the language attributes
included. Then, in Cymraeg, the SPOC logs a routine share on the Welsh log form (headings, labels,
choices and Save in Welsh) and reads the Welsh confirmation; the entry is in the log.
"""

from playwright.sync_api import expect

from sharing_log.models import Decision, Disclosure

from .helpers import check_page, sign_in_browser

NARROW = {"width": 320, "height": 640}
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_a_spoc_switches_to_welsh_and_the_pages_read_in_welsh(page, live_server, roles):
    sign_in_browser(page, live_server, roles.spoc)
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your information sharing")
    language = page.get_by_role("navigation", name="Language")
    expect(language.get_by_text("English")).to_have_attribute("aria-current", "true")
    check_page(page)

    language.get_by_role("button", name="Cymraeg").click()

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eich rhannu gwybodaeth")
    expect(page.get_by_role("link", name="Neidio i’r prif gynnwys")).to_be_attached()
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    expect(page.get_by_role("button", name="Cofnodi datgeliad neu benderfyniad i beidio â rhannu")).to_be_visible()
    expect(page.get_by_role("navigation", name="Iaith").get_by_text("Cymraeg")).to_have_attribute(
        "aria-current", "true")
    check_page(page)

    # Remembered from page to page: the menu's "What's due", then "Can I share?".
    page.get_by_role("navigation", name="Dewislen").get_by_role("link", name="Beth sy’n ddyledus").click()
    check_page(page, heading="Beth sy’n ddyledus")
    page.goto(f"{live_server.url}/log/can-i-share/")
    check_page(page, heading="A gaf i rannu?")
    page.get_by_role("button", name="Dechrau nawr").click()
    expect(page.get_by_text("A gaf i rannu? Cwestiwn 1 o 5")).to_be_visible()
    page.get_by_role("button", name="Parhau").click()
    expect(page.get_by_role("heading", level=2, name="Mae problem wedi codi")).to_be_visible()
    expect(page).to_have_title("Gwall: A oes diben clir a dilys dros rannu’r wybodaeth? – Cwestiwn 1 o 5 – "
                               "A gaf i rannu? – ISA Portal")
    check_page(page)

    # The longer Welsh words still fit a 320 px screen.
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eich rhannu gwybodaeth")
    assert page.evaluate(FITS), "the Welsh home page scrolls sideways at 320 px"
    check_page(page)

    page.get_by_role("navigation", name="Iaith").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your information sharing")
    assert page.evaluate(FITS), "the English home page, with the switch in its header, scrolls sideways at 320 px"


def test_a_spoc_logs_a_disclosure_in_welsh(page, live_server, roles, art6):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_browser(page, live_server, roles.spoc)
    page.get_by_role("navigation", name="Language").get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")

    page.get_by_role("button", name="Cofnodi datgeliad neu benderfyniad i beidio â rhannu").click()
    check_page(page, heading="Cofnodi datgeliad neu benderfyniad i beidio â rhannu")
    expect(page).to_have_title("Cofnodi datgeliad neu benderfyniad i beidio â rhannu – ISA Portal")
    for heading in ("Y derbynnydd", "Beth ddigwyddodd?", "Sail gyfreithlon", "Yr achos"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(page.get_by_text("Pryd y digwyddodd: nawr")).to_be_visible()
    expect(page.get_by_text("Ychwanegu crynodeb (dewisol)")).to_be_visible()
    save = page.get_by_role("button", name="Cadw’r cofnod")

    page.get_by_label("Sefydliad partner").select_option(str(roles.owner.pk))
    page.get_by_label("Cyfeirnod yr achos (byth enw)").fill("ASB-2026-0042")
    page.get_by_label("Oedolyn", exact=True).check()
    page.get_by_label("Pam roedd rhannu’n angenrheidiol ac yn gymesur?").fill(
        "Ni ellir cynllunio’r ymweliad ar y cyd yn ddiogel heb statws y denantiaeth.")
    page.get_by_label("Isafswm data (manylion adnabod)").check()
    page.get_by_label("Tai a thenantiaeth").check()
    page.get_by_label("Caniatâd penodol wedi’i roi").check()
    page.get_by_label("Do, dywedwyd wrth y person").check()
    check_page(page)
    save.click()

    expect(page.get_by_role("alert")).to_contain_text(f"Cofnodwyd datgeliad i {roles.owner.name}")
    check_page(page, heading=f"Datgeliad i {roles.owner.name}")
    expect(page.get_by_role("heading", level=2, name="Y cofnod fel y’i cofnodwyd")).to_be_visible()
    expect(page.get_by_role("link", name="Cofnodi un arall ar gyfer yr achos hwn")).to_be_visible()
    entry = Disclosure.objects.get()
    assert (entry.decision, entry.disclosing_organisation, entry.recipient_organisation, entry.data_categories) == (
        Decision.SHARED, roles.partner, roles.owner, ["housing"])

    # The entry is in the log.
    page.goto(f"{live_server.url}/log/")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="ASB-2026-0042", exact=True))
    expect(row).to_have_count(1)
    expect(row.get_by_text("Rhannwyd", exact=True)).to_be_visible()
    check_page(page)

    # The Welsh form, and the entry, fit a 320 px screen.
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/log/new/")
    check_page(page, heading="Cofnodi datgeliad neu benderfyniad i beidio â rhannu")
    assert page.evaluate(FITS), "the Welsh log form scrolls sideways at 320 px"
    page.goto(f"{live_server.url}/log/{entry.pk}/")
    check_page(page, heading=f"Datgeliad i {roles.owner.name}")
    assert page.evaluate(FITS), "the Welsh entry page scrolls sideways at 320 px"
