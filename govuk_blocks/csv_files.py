"""CSV files the portal hands out, made safe to open in a spreadsheet.

Every cell that a spreadsheet would read as a formula is prefixed with an apostrophe, so a
record cannot carry a formula into the reader's spreadsheet (CSV injection, OWASP): one that
begins with ``=``, ``+``, ``-`` or ``@`` or their fullwidth forms (``＝`` ``＋`` ``－`` ``＠``,
which spreadsheets in East Asian locales read as the same signs), also after leading
whitespace of any kind (space, tab, CR, LF, no-break space, the other Unicode spaces and the
zero-width ones), since spreadsheets skip it; and any cell that begins with a tab, CR or LF.
Numbers the portal computes are not text and are written as they are.

The file is UTF-8 with a byte order mark, the one sign Excel reads to open a CSV as UTF-8
rather than the local code page (names like "Zoë" or "Łukasz" stay whole), and the response
says its charset (``text/csv; charset=utf-8``). It is never cached.
"""

import csv
import decimal
import itertools
import re
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"
# Whitespace a spreadsheet may skip before a sign: str.isspace()'s (the Unicode spaces, tab, CR,
# LF, the separators \x1c-\x1f) and the invisible ones it leaves out (zero-width space, joiners,
# word joiner, byte order mark).
_LEADING_BLANK = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]*")
CONTROL_STARTS = ("\t", "\r", "\n")

#: What the CSV file starts with: UTF-8's byte order mark, so Excel reads the file as UTF-8.
CSV_BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value) -> str:
    """``value`` as a CSV cell a spreadsheet will not run as a formula. A number (not text)
    is written as it is: the portal's own figures, never typed by anyone, and ``-3`` is minus
    three, not a formula."""
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    first = text[_LEADING_BLANK.match(text).end():][:1]
    return f"'{text}" if (first and first in FORMULA_SIGNS) or text.startswith(CONTROL_STARTS) else text


class _Echo:
    """A file-like object whose ``write`` returns what it is given, for streaming CSV."""

    def write(self, value):
        return value


def csv_download(*, header: list[str], rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """``header`` and ``rows`` as a CSV attachment named ``filename``, every cell through
    ``safe_cell``, streamed, with a byte order mark, and never cached."""
    writer = csv.writer(_Echo())
    lines = (writer.writerow([safe_cell(cell) for cell in row]) for row in itertools.chain([header], rows))
    response = StreamingHttpResponse(itertools.chain([CSV_BOM], lines), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
