"""The CSV export (sharing_log/exports.py): formula injection defused whatever comes before the
sign, and a file Excel opens as UTF-8 (issue 12, bad input)."""

import csv
import io

import pytest
from django.urls import reverse

from sharing_log.exports import safe_cell
from tests.auth import sign_in
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db

BLANKS = {
    "space": " ", "tab": "\t", "carriage return": "\r", "line feed": "\n", "no-break space": "\u00a0",
    "em space": "\u2003", "ideographic space": "\u3000", "narrow no-break space": "\u202f",
    "zero-width space": "\u200b", "byte order mark": "\ufeff", "two spaces": "  ",
}
SIGNS = {
    "equals": "=", "plus": "+", "minus": "-", "at": "@",
    "fullwidth equals": "\uff1d", "fullwidth plus": "\uff0b", "fullwidth minus": "\uff0d", "fullwidth at": "\uff20",
}


@pytest.mark.parametrize("sign", SIGNS.values(), ids=SIGNS.keys())
@pytest.mark.parametrize("blank", ["", *BLANKS.values()], ids=["nothing", *BLANKS.keys()])
def test_a_formula_sign_after_any_leading_whitespace_is_defused(blank, sign):
    cell = f'{blank}{sign}HYPERLINK("http://evil.example")'

    assert safe_cell(cell) == f"'{cell}"


@pytest.mark.parametrize("start", ["\t", "\r", "\n"])
def test_a_cell_starting_with_a_tab_or_line_break_is_defused(start):
    assert safe_cell(f"{start}ASB-1") == f"'{start}ASB-1"


@pytest.mark.parametrize("cell", ["ASB-2026-0042", "Zoë O'Brien", "a = b", "2026-03-27 14:30", " ASB 1", ""])
def test_a_cell_that_is_no_formula_is_kept_as_it_is(cell):
    assert safe_cell(cell) == cell


def test_the_csv_says_its_charset_starts_with_a_byte_order_mark_and_reads_back(client, roles):
    reference = "\u00a0\uff1dHYPERLINK(\"http://evil.example\") Zoë"
    DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                      recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                      case_reference=reference)

    response = sign_in(client, roles.practitioner).get(reverse("sharing_log:export"))

    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8's byte order mark: Excel then reads UTF-8
    header, row = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert header[0] == "Entry"
    assert row[header.index("Case reference")] == f"'{reference}"
