"""Lists the portal hands out as files: CSV or Excel (XLSX), from one declaration of columns.

An export is a tuple of ``Column``\\s, each a header and a function of one row object, declared
once in the app that owns the page (``sharing_log.exports``, ``agreements.exports``,
``partners.exports``). ``download`` serves it in either format:

- **CSV** is streamed (``StreamingHttpResponse``) through ``csv_files.csv_download``: a line is
  written as its row is read, so a log of a million entries never sits in memory.
- **XLSX** is written by openpyxl in write-only mode: each row goes to a temporary file as it is
  appended, strings are written inline (openpyxl keeps no shared-string table), and the
  finished workbook is sent from that file. Memory stays flat however many rows there are
  (docs/decisions/0056).

Both formats are formula-safe (OWASP, CSV injection): a text cell beginning with ``=``, ``+``,
``-``, ``@``, a tab or a line break — also after leading blanks, and the fullwidth signs — is
prefixed with an apostrophe (``csv_files.safe_cell``), and an XLSX text cell is always a string
cell, never a formula. Dates stay dates: ISO text in the CSV, date cells in the workbook (a
moment in the portal's local time, to the minute). Numbers stay numbers; ``True``/``False``
become "Yes"/"No".

Rows come from ``streamed`` (``QuerySet.iterator()``, ``CHUNK_SIZE`` rows at a time); what each
row needs of other tables is joined in the query (``select_related``, annotations) or read by
``attach_related``, one more streamed query a relation: the number of queries does not grow with
the number of rows.

openpyxl is the one package here that is not Django's: already a dependency for reading a
directory upload (docs/decisions/0020), it is allowed in this module alone
(tests/test_architecture.py).
"""

import datetime
import decimal
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .csv_files import csv_download, safe_cell

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "yyyy-mm-dd"
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
# Characters XML 1.0 cannot hold (openpyxl refuses them): the C0 controls but tab, LF and CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's limit on a sheet's name.
SHEET_TITLE_LENGTH = 31
# Rows fetched from the database at a time (``streamed``): what an export holds in memory at once,
# whatever the length of the list. Django's own default, 2,000, holds four times as much.
CHUNK_SIZE = 500


@dataclass(frozen=True)
class Column:
    """One column of an export: its ``header`` and the ``value`` of one row object (text, a
    number, a date, an aware datetime, a bool or ``None``)."""

    header: str
    value: Callable[[Any], Any]


def headers(columns: Iterable[Column]) -> list[str]:
    return [column.header for column in columns]


def values(columns: tuple[Column, ...], objects: Iterable) -> Iterator[list]:
    """Each of ``objects`` as the list of its columns' values, in order."""
    for obj in objects:
        yield [column.value(obj) for column in columns]


def download(*, columns: tuple[Column, ...], objects: Iterable, fmt: str, filename: str, title: str = ""):
    """``objects`` as a file of ``columns`` in ``fmt`` (``CSV`` or ``XLSX``), an attachment named
    ``filename`` plus the format's extension, never cached. ``title`` names the workbook's sheet."""
    rows = values(columns, objects)
    if fmt == CSV:
        return csv_download(header=headers(columns), rows=(_csv_row(row) for row in rows), filename=f"{filename}.csv")
    if fmt == XLSX:
        return xlsx_download(header=headers(columns), rows=rows, filename=f"{filename}.xlsx", title=title)
    raise Http404("No such format.")


# CSV -----------------------------------------------------------------------------------------

def csv_value(value) -> Any:
    """``value`` as a CSV cell's text before ``safe_cell``: numbers as they are, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    return value


def _csv_row(row: list) -> list:
    return [csv_value(value) for value in row]


# XLSX ----------------------------------------------------------------------------------------

def xlsx_cell(sheet, value) -> WriteOnlyCell:
    """``value`` as a write-only cell: a number, a date (in the portal's time zone, which Excel
    has no notion of), or a string cell made safe by ``safe_cell`` and typed as a string, so no
    text is ever read as a formula."""
    if value is None:
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if isinstance(value, int | float | decimal.Decimal):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        moment = timezone.make_naive(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=moment.replace(second=0, microsecond=0))
        cell.number_format = DATE_TIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=safe_cell(_ILLEGAL.sub("", str(value))))
    cell.data_type = "s"
    return cell


def xlsx_download(*, header: list[str], rows: Iterable[list], filename: str, title: str = "") -> FileResponse:
    """``header`` (in bold, frozen) and ``rows`` as one sheet of a workbook, written row by row
    to a temporary file and sent from it, never cached."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title or filename))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    first = []
    for text in header:
        cell = xlsx_cell(sheet, text)
        cell.font = bold
        first.append(cell)
    sheet.append(first)
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    # Deleted when closed, which FileResponse does once it is sent.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        workbook.save(file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _sheet_title(title: str) -> str:
    # Excel refuses []:*?/\ in a sheet's name, and more than 31 characters.
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:SHEET_TITLE_LENGTH].strip() or "Export"


# Rows with what they need of other tables ------------------------------------------------------

def streamed(queryset: QuerySet) -> Iterator:
    """``queryset`` read ``CHUNK_SIZE`` rows at a time (a server-side cursor on PostgreSQL)."""
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def attach_related(parents: Iterable, related: Iterable, *, parent_key: Callable, related_key: Callable,
                   to_attr: str, descending: bool = False) -> Iterator:
    """Each of ``parents`` with ``to_attr`` set to the list of ``related`` rows whose key is its own.

    Both come in the order of their keys — ascending, or all ``descending`` — and a parent's key
    is unique among them: a merge, as a database joins two sorted inputs, reading one parent's
    rows at a time. Related rows whose key no parent has (a row added between the two queries)
    are skipped. So a list streamed from ``QuerySet.iterator()`` is given a many-to-many or a
    reverse foreign key with one more streamed query, however long the list.

    The keys must sort the same in Python as in the database: numbers and dates, not text
    (which a database orders by its collation).
    """
    related = iter(related)
    pending = next(related, None)
    for parent in parents:
        key = parent_key(parent)
        while pending is not None and (related_key(pending) > key if descending else related_key(pending) < key):
            pending = next(related, None)
        rows = []
        while pending is not None and related_key(pending) == key:
            rows.append(pending)
            pending = next(related, None)
        setattr(parent, to_attr, rows)
        yield parent
