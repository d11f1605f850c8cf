"""Issue 16, item 2 in Chromium: a governance manager filters the sharing log and downloads it as
Excel; the workbook, read back with openpyxl, has every reason column in its header and the
filtered entry's reasons, neutralised where they would be formulas. axe on the page."""

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from sharing_log import exports
from sharing_log.models import Decision, SubjectInformed
from tests.factories import DisclosureFactory

from .helpers import check_page, sign_in_browser
from .test_narrow_screens import OVERFLOW


def test_a_governance_manager_downloads_the_log_as_xlsx_with_every_reason(page, live_server, roles):
    base = {"agreement": roles.agreement, "disclosing_organisation": roles.owner,
            "recipient_organisation": roles.partner, "disclosed_by": roles.governance_manager}
    refused = DisclosureFactory(**base, decision=Decision.NOT_SHARED, case_reference="ASB-REFUSED",
                                decision_reason="=Not necessary: a visit is already planned.",
                                subject_informed=SubjectInformed.NO,
                                subject_not_informed_reason="Telling them would put a child at risk.")
    DisclosureFactory(**base, case_reference="ASB-SHARED")

    sign_in_browser(page, live_server, roles.governance_manager)
    page.goto(f"{live_server.url}/log/?decision=not_shared")
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these entries as Excel (XLSX)").click()

    assert download.value.suggested_filename.endswith(".xlsx")
    # Playwright keeps the file without its extension, which openpyxl insists on: read the bytes.
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).worksheets[0]
    header, *rows = ([cell.value for cell in row] for row in sheet.iter_rows())
    assert [reason for reason in exports.REASON_HEADERS if reason not in header] == []
    (row,) = rows  # the list's filter: the decision not to share alone
    cells = dict(zip(header, row, strict=True))
    assert cells["Entry"] == refused.pk
    assert cells[exports.REASON_FOR_DECISION] == "'=Not necessary: a visit is already planned."
    assert cells[exports.NOT_TOLD_REASON] == "Telling them would put a child at risk."


def test_every_page_with_downloads_fits_320_pixels_and_is_axe_clean(page, live_server, roles):
    """The download links on each list page: a link list that wraps, never a page that scrolls sideways."""
    sign_in_browser(page, live_server, roles.governance_manager)
    page.set_viewport_size({"width": 320, "height": 800})
    paths = ["/log/?decision=not_shared", "/agreements/?status=in_force", "/breaches/?status=open", "/requests/",
             "/partners/?sector=police", "/log/pass-on/", f"/agreements/{roles.agreement.pk}/signatures/"]
    wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("link", name=re.compile(r"^Download .* as Excel \(XLSX\)$"))).to_have_count(1)
        check_page(page)
        if (problem := page.evaluate(OVERFLOW)) is not None:
            wide[path] = problem

    assert wide == {}
