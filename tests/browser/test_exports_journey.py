"""Issue 16, item 2 in Chromium: a governance manager filters the sharing log and downloads it as
Excel; the workbook, read back with openpyxl, has every reason column in its header and the
filtered entry's reasons, neutralised where they would be formulas. axe on the page."""

import io

from openpyxl import load_workbook

from sharing_log import exports
from sharing_log.models import Decision, SubjectInformed
from tests.factories import DisclosureFactory

from .helpers import check_page, sign_in_browser


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
