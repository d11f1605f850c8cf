"""The shared exporter (govuk_blocks/exports.py): one declaration of columns, written as CSV or as
an Excel workbook, read back with the csv module and openpyxl; formula-safe in both; dates as
dates; and the merge that gives a streamed list its related rows."""

import csv
import datetime
import io
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from govuk_blocks.exports import CSV, XLSX, Column, attach_related, download

LONDON = ZoneInfo("Europe/London")
COLUMNS = (
    Column("Text", lambda row: row["text"]),
    Column("Number", lambda row: row["number"]),
    Column("Day", lambda row: row["day"]),
    Column("Moment", lambda row: row["moment"]),
    Column("Flag", lambda row: row["flag"]),
    Column("Nothing", lambda row: None),
)
# OWASP's CSV injection list: = + - @ tab and carriage return, and a sign after blanks.
DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tTAB", "\rCR", ' =HYPERLINK("http://evil.example")',
             "\uff1dFULLWIDTH"]


def row(text="Zoë O'Brien", **fields):
    return {
        "text": text, "number": 42, "day": datetime.date(2026, 3, 27),
        # 14:30:45 in London in summer time, 13:30:45 UTC.
        "moment": datetime.datetime(2026, 6, 27, 13, 30, 45, tzinfo=datetime.UTC), "flag": True, **fields,
    }


def csv_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def sheet_of(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


class TestCsv:
    def test_a_streamed_attachment_with_the_header_and_each_value_as_text(self, settings):
        settings.TIME_ZONE = "Europe/London"
        with timezone.override(LONDON):
            response = download(columns=COLUMNS, objects=[row()], fmt=CSV, filename="things")

        assert response.streaming
        assert response["Content-Disposition"] == 'attachment; filename="things.csv"'
        assert response["Cache-Control"] == "no-store"
        with timezone.override(LONDON):
            assert csv_of(response) == [
                ["Text", "Number", "Day", "Moment", "Flag", "Nothing"],
                ["Zoë O'Brien", "42", "2026-03-27", "2026-06-27 14:30", "Yes", ""],
            ]

    @pytest.mark.parametrize("text", DANGEROUS)
    def test_a_cell_that_would_be_a_formula_is_neutralised(self, text):
        header, written = csv_of(download(columns=COLUMNS, objects=[row(text)], fmt=CSV, filename="x"))

        assert written[0] == f"'{text}"

    def test_a_negative_number_is_a_number_not_a_formula(self):
        header, written = csv_of(download(columns=COLUMNS, objects=[row(number=-3)], fmt=CSV, filename="x"))

        assert written[1] == "-3"


class TestXlsx:
    def test_a_workbook_with_a_bold_header_and_typed_cells(self):
        with timezone.override(LONDON):
            response = download(columns=COLUMNS, objects=[row()], fmt=XLSX, filename="things", title="Things")

        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"] == 'attachment; filename="things.xlsx"'
        assert response["Cache-Control"] == "no-store"
        sheet = sheet_of(response)
        assert sheet.title == "Things"
        header, written = sheet.iter_rows()
        assert [cell.value for cell in header] == ["Text", "Number", "Day", "Moment", "Flag", "Nothing"]
        assert all(cell.font.bold for cell in header)
        assert [cell.value for cell in written] == [
            "Zoë O'Brien", 42, datetime.datetime(2026, 3, 27), datetime.datetime(2026, 6, 27, 14, 30), "Yes", None,
        ]
        # Dates are date cells, shown as dates, not text.
        assert [(cell.is_date, cell.number_format) for cell in written[2:4]] == [
            (True, "yyyy-mm-dd"), (True, "yyyy-mm-dd hh:mm"),
        ]

    @pytest.mark.parametrize("text", DANGEROUS)
    def test_a_cell_that_would_be_a_formula_is_a_neutralised_string(self, text):
        sheet = sheet_of(download(columns=COLUMNS, objects=[row(text)], fmt=XLSX, filename="x"))

        cell = sheet["A2"]
        assert (cell.value, cell.data_type) == (f"'{text}", "s")

    def test_no_text_is_ever_written_as_a_formula(self):
        # Even text the neutraliser would let through is a string cell: it is never typed "f".
        sheet = sheet_of(download(columns=COLUMNS, objects=[row("a = b")], fmt=XLSX, filename="x"))

        assert [cell.data_type for cell in next(sheet.iter_rows(min_row=2))][:1] == ["s"]

    def test_characters_xml_cannot_hold_are_left_out_rather_than_failing(self):
        sheet = sheet_of(download(columns=COLUMNS, objects=[row("bell\x07 and null\x00")], fmt=XLSX, filename="x"))

        assert sheet["A2"].value == "bell and null"

    def test_a_sheet_title_excel_would_refuse_is_made_safe(self):
        sheet = sheet_of(download(columns=COLUMNS, objects=[], fmt=XLSX, filename="x",
                                  title="Breaches: open/overdue [all] of a very long list"))

        assert sheet.title == "Breaches  open overdue  all  of"


def test_a_format_that_is_neither_is_not_found():
    with pytest.raises(Http404):
        download(columns=COLUMNS, objects=[], fmt="pdf", filename="x")


class TestAttachRelated:
    def parents(self, *keys):
        return [SimpleNamespace(key=key) for key in keys]

    def related(self, *pairs):
        return [SimpleNamespace(parent=parent, value=value) for parent, value in pairs]

    def merged(self, parents, related, **kwargs):
        rows = attach_related(parents, related, parent_key=lambda p: p.key, related_key=lambda r: r.parent,
                              to_attr="things", **kwargs)
        return [(parent.key, [r.value for r in parent.things]) for parent in rows]

    def test_each_parent_gets_its_own_rows_in_order_and_none_when_it_has_none(self):
        assert self.merged(self.parents(1, 2, 3, 5), self.related((1, "a"), (1, "b"), (3, "c"), (5, "d"))) == [
            (1, ["a", "b"]), (2, []), (3, ["c"]), (5, ["d"]),
        ]

    def test_rows_of_no_parent_are_skipped(self):
        # A row added between the two queries (key 4) belongs to nobody in the list.
        assert self.merged(self.parents(1, 5), self.related((0, "x"), (1, "a"), (4, "y"), (5, "b"), (6, "z"))) == [
            (1, ["a"]), (5, ["b"]),
        ]

    def test_descending_keys_such_as_newest_first(self):
        assert self.merged(self.parents((9, 3), (9, 2), (7, 8)),
                           self.related(((9, 4), "x"), ((9, 3), "a"), ((7, 8), "b")), descending=True) == [
            ((9, 3), ["a"]), ((9, 2), []), ((7, 8), ["b"]),
        ]

    def test_it_reads_the_related_rows_as_it_goes(self):
        # A generator is read lazily: only what the parents so far need has been taken.
        taken = []

        def related():
            for pair in [(1, "a"), (2, "b"), (3, "c")]:
                taken.append(pair[0])
                yield SimpleNamespace(parent=pair[0], value=pair[1])

        rows = attach_related(iter(self.parents(1, 2, 3)), related(), parent_key=lambda p: p.key,
                              related_key=lambda r: r.parent, to_attr="things")
        next(rows)

        assert taken == [1, 2]
