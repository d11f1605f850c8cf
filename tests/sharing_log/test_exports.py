"""The log's export (sharing_log/exports.py): formula injection defused whatever comes before the
sign, and a file Excel opens as UTF-8 (issue 12, bad input); as CSV and XLSX, every reason
included, read back, with the list's filters, in a constant number of queries and flat memory
(issue 16)."""

import csv
import datetime
import io
import tracemalloc

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govuk_blocks import exports as blocks
from isa_portal import middleware
from sharing_log import exports
from sharing_log.exports import safe_cell
from sharing_log.models import (
    Amendment,
    AmendmentKind,
    CanIShareOutcome,
    ConsentStatus,
    Decision,
    Disclosure,
    SubjectInformed,
    SubjectType,
)
from sharing_log.services import disclosure_amend, disclosure_void
from tests.auth import sign_in
from tests.factories import DisclosureFactory, LegalGatewayFactory, PurposeFactory

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


# Issue 16: the log as CSV and XLSX, every reason included, formula-safe, bounded. -------------

def _csv(response) -> list[dict]:
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"), newline=""))
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def _xlsx(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return names, [dict(zip(names, (cell.value for cell in row), strict=True)) for row in rows]


REASONS = {
    exports.REASON_FOR_DECISION: "=Not necessary: the visit is already planned.",
    exports.NECESSITY_REASON: "The joint visit cannot be planned safely without it.",
    exports.DEPARTURE_REASON: "+A court order requires it.",
    exports.CONSENT_REASON: "-Asking would put the child at risk.",
    exports.NOT_TOLD_REASON: "@Telling them would prejudice the investigation.",
    exports.AGAINST_ADVICE_REASON: "A court order was served after the questions.",
    exports.LATE_REASON: "\tThe officer was on leave.",
    exports.CORRECTION_REASONS: "Wrong case.",
    exports.VOID_REASON: "=Logged twice.",
}


@pytest.fixture
def reasoned(roles):
    """One entry with every reason the log holds, one of them corrected and voided."""
    base = {"agreement": roles.agreement, "disclosing_organisation": roles.owner,
            "recipient_organisation": roles.partner, "disclosed_by": roles.practitioner}
    entry = DisclosureFactory(
        **base, decision=Decision.NOT_SHARED, decision_reason=REASONS[exports.REASON_FOR_DECISION],
        necessity_reason=REASONS[exports.NECESSITY_REASON],
        art6_departure_reason=REASONS[exports.DEPARTURE_REASON],
        consent_status=ConsentStatus.NOT_SOUGHT, consent_reason=REASONS[exports.CONSENT_REASON],
        subject_informed=SubjectInformed.NO, subject_not_informed_reason=REASONS[exports.NOT_TOLD_REASON],
        can_i_share_outcome=CanIShareOutcome.DO_NOT_SHARE,
        against_advice_reason=REASONS[exports.AGAINST_ADVICE_REASON],
        late_logging_reason=REASONS[exports.LATE_REASON], case_reference="=HYPERLINK(\"http://evil.example\")",
        summary="@SUM(1+1) tenancy status only", retention_due_on=datetime.date(2028, 1, 31),
        request_received_on=datetime.date(2026, 6, 9),
        gateways=[LegalGatewayFactory(instrument="Crime and Disorder Act 1998", provision="s115")],
    )
    disclosure_amend(disclosure=entry, by_user=roles.practitioner, field="recipient_name", value="Sam Example",
                     reason=REASONS[exports.CORRECTION_REASONS])
    disclosure_void(disclosure=entry, by_user=roles.practitioner, reason=REASONS[exports.VOID_REASON])
    return entry


def _defused(text: str) -> str:
    return safe_cell(text)


@pytest.mark.parametrize("name, read", [("export", _csv), ("export_xlsx", _xlsx)])
def test_every_reason_is_exported_and_every_dangerous_cell_neutralised(client, roles, reasoned, name, read):
    header, rows = read(sign_in(client, roles.governance_manager).get(reverse(f"sharing_log:{name}")))

    assert set(exports.REASON_HEADERS) <= set(header)
    (row,) = rows
    assert {reason: row[reason] for reason in exports.REASON_HEADERS} == {
        reason: _defused(text) for reason, text in REASONS.items()
    }
    assert row["Case reference"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["Summary"] == "'@SUM(1+1) tenancy status only"
    assert row["Recipient's name"] == "Sam Example"  # as corrected
    assert (row["Decision"], row["Voided"], row["Corrections"]) == ("Decided not to share", "Yes",
                                                                    1 if name == "export_xlsx" else "1")
    assert row["Legal gateways"] == "Crime and Disorder Act 1998 s115"


def test_the_workbook_has_dates_as_dates_and_every_text_cell_as_a_string(client, roles, reasoned):
    response = sign_in(client, roles.governance_manager).get(reverse("sharing_log:export_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]

    def cell(name):
        return row[header.index(name)]

    assert (cell("Retention due").value, cell("Retention due").is_date) == (datetime.datetime(2028, 1, 31), True)
    assert (cell("Request received").value, cell("Request received").is_date) == (datetime.datetime(2026, 6, 9),
                                                                                   True)
    assert cell("When it happened").is_date
    assert {c.data_type for c in row if isinstance(c.value, str)} == {"s"}
    assert response["Content-Disposition"] == (
        f'attachment; filename="sharing-log-shared-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )


@pytest.mark.parametrize("name", ["export", "export_xlsx"])
def test_the_filters_of_the_list_choose_the_rows_in_both_formats(client, roles, reasoned, name):
    shared = roles.disclosure_to_partner
    read = _csv if name == "export" else _xlsx

    header, rows = read(sign_in(client, roles.practitioner).get(reverse(f"sharing_log:{name}"),
                                                                {"decision": "shared"}))

    assert [str(row["Entry"]) for row in rows] == [str(shared.pk)]


@pytest.mark.parametrize("name", ["export", "export_xlsx"])
def test_another_organisation_gets_nothing_of_the_log(client, roles, reasoned, name):
    read = _csv if name == "export" else _xlsx

    header, rows = read(sign_in(client, roles.unrelated).get(reverse(f"sharing_log:{name}")))

    assert rows == []
    assert header == exports.EXPORT_HEADER


def test_the_received_list_exports_what_was_shared_with_the_organisation(client, roles, reasoned):
    received = roles.disclosure  # the partner's SPOC shared with the owner

    header, rows = _xlsx(sign_in(client, roles.practitioner).get(reverse("sharing_log:export_xlsx"),
                                                                 {"list": "received"}))

    assert [row["Entry"] for row in rows] == [received.pk]


def test_the_list_links_to_both_downloads_with_its_filters(client, roles):
    page = sign_in(client, roles.practitioner).get(reverse("sharing_log:received"),
                                                   {"decision": "shared", "after": "x"}).content.decode()

    query = "?decision=shared&amp;list=received"
    assert f'href="{reverse("sharing_log:export")}{query}" download>Download these entries as CSV</a>' in page
    assert (f'href="{reverse("sharing_log:export_xlsx")}{query}" download>'
            "Download these entries as Excel (XLSX)</a>") in page


# Bounded: the same number of queries, and roughly the same memory, for 4 times the entries. ---

def _volume(roles, count: int, *, start: int = 0) -> None:
    """``count`` entries with two legal gateways, an Article 9 condition and a correction each,
    written in bulk (a few queries, no history: these tests read, they do not log)."""
    gateways = [LegalGatewayFactory(provision=f"s{n}") for n in range(2)]
    art9 = LegalGatewayFactory(art9=True)
    art6 = LegalGatewayFactory(art6=True)
    purpose = roles.agreement.purposes.first() or PurposeFactory(agreement=roles.agreement)
    moment = timezone.now()
    with transaction.atomic():
        entries = Disclosure.objects.bulk_create([
            Disclosure(
                agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
                disclosed_by=roles.practitioner, occurred_at=moment - datetime.timedelta(minutes=n),
                case_reference=f"VOL-{n:06d}", subject_type=SubjectType.ADULT, purpose=purpose,
                data_categories=["identity"], summary=f"Summary {n} " + "x" * 200,
                decision_reason=f"Reason {n} " + "y" * 200, consent_status=ConsentStatus.EXPLICIT, art6_basis=art6,
            )
            for n in range(start, start + count)
        ])
        Disclosure.gateways.through.objects.bulk_create([
            Disclosure.gateways.through(disclosure_id=entry.pk, legalgateway_id=gateway.pk)
            for entry in entries for gateway in gateways
        ])
        Disclosure.art9_conditions.through.objects.bulk_create([
            Disclosure.art9_conditions.through(disclosure_id=entry.pk, legalgateway_id=art9.pk) for entry in entries
        ])
        Amendment.objects.bulk_create([
            Amendment(disclosure=entry, kind=AmendmentKind.CORRECTION, changes={"case_reference": f"FIX-{entry.pk}"},
                      reason="Typed wrongly.", made_by=roles.practitioner)
            for entry in entries
        ])


def _export_measured(client, name: str) -> tuple[int, int, int]:
    """(queries, peak bytes allocated by Python, rows) of one export, read to the end."""
    with CaptureQueriesContext(connection) as queries:
        tracemalloc.start()
        try:
            response = client.get(reverse(f"sharing_log:{name}"))
            lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return len(queries), peak, lines


N = 150


@pytest.mark.parametrize("name", ["export", "export_xlsx"])
def test_four_times_the_entries_take_the_same_queries_and_about_the_same_memory(client, roles, name, monkeypatch):
    # Memory is bounded by the rows read at a time: fewer than N here, so the test stays small.
    monkeypatch.setattr(blocks, "CHUNK_SIZE", 25)
    # Nor does the session's "last seen" get saved in the middle: the same queries each time.
    monkeypatch.setattr(middleware, "SEEN_RESOLUTION_SECONDS", 24 * 60 * 60)
    sign_in(client, roles.governance_manager)
    _volume(roles, N)
    client.get(reverse(f"sharing_log:{name}"))  # warm: imports, templates, caches
    queries, peak, _ = _export_measured(client, name)
    _volume(roles, 3 * N, start=N)

    queries_4n, peak_4n, _ = _export_measured(client, name)

    assert Disclosure.objects.count() == 4 * N
    assert queries_4n == queries
    # Flat, not proportional: kept, the 3N more rows (each over 1 KB of text) would more than
    # double the peak (measured so: 2.8 times with Django's 2,000 rows a fetch); the rest is noise.
    assert peak_4n < peak * 1.5, (peak, peak_4n)


def test_the_csv_has_every_row_and_each_its_own_related_rows(client, roles):
    _volume(roles, 30)

    header, rows = _csv(sign_in(client, roles.governance_manager).get(reverse("sharing_log:export")))

    assert len(rows) == 30
    assert all(row["Case reference"] == f"FIX-{row['Entry']}" for row in rows)
    assert {row["Legal gateways"].count(";") for row in rows} == {1}
    assert {row["Article 9 conditions"] for row in rows} == {"UK GDPR Art 9(2)(g)"}
    # Newest first, as the list.
    assert [row["Case reference"] for row in rows][:2] == [f"FIX-{rows[0]['Entry']}", f"FIX-{rows[1]['Entry']}"]
    assert [int(row["Entry"]) for row in rows] == sorted(int(row["Entry"]) for row in rows)
