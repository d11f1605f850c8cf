"""The agreements' exports (agreements/exports.py, issue 16): the agreements, an agreement's
signatures, breaches and requests as CSV and XLSX, read back; each with its page's filters and no
more than its page shows; formula-safe; linked from its page.

Who may reach each is the permission matrix's business (tests/test_permission_matrix.py)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import BreachKind, ContactRole, Status
from agreements.services import breach_close, information_request_respond, party_contact_add
from tests.agreements.helpers import breaches, requests
from tests.auth import sign_in
from tests.factories import AgreementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(breaches.PINNED)]


def read(response) -> tuple[list, list[dict]]:
    """The rows of a CSV or XLSX download, as dicts of header to value."""
    body = b"".join(response.streaming_content)
    if response["Content-Disposition"].endswith('.csv"'):
        header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    else:
        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        header, *rows = ([cell.value for cell in row] for row in sheet.iter_rows())
    return header, [dict(zip(header, row, strict=True)) for row in rows]


FORMATS = pytest.mark.parametrize("suffix", ["", "_xlsx"], ids=["csv", "xlsx"])


class TestAgreements:
    @FORMATS
    def test_the_filters_of_the_list_choose_the_agreements(self, client, roles, suffix):
        AgreementFactory(owner=roles.owner, title="=Draft protocol", reference="DP1")

        header, rows = read(sign_in(client, roles.governance_manager).get(
            reverse(f"agreements:export{suffix}"), {"status": Status.DRAFT, "page": "2"},
        ))

        titles = [row["Agreement"] for row in rows]
        assert "'=Draft protocol" in titles
        assert roles.agreement.title not in titles
        assert {row["Status"] for row in rows} == {"Draft"}

    @FORMATS
    def test_another_organisations_member_sees_only_their_own(self, client, roles, suffix):
        header, rows = read(sign_in(client, roles.unrelated).get(reverse(f"agreements:export{suffix}")))

        assert roles.agreement.title not in [row["Agreement"] for row in rows]
        assert [row["Agreement"] for row in rows] == [roles.unrelated_agreement.title]

    def test_dates_are_dates_in_the_workbook(self, client, roles):
        header, rows = read(sign_in(client, roles.governance_manager).get(
            reverse("agreements:export_xlsx"), {"search": roles.agreement.title},
        ))

        (row,) = rows
        assert row["Effective from"] == datetime.datetime.combine(roles.agreement.effective_date, datetime.time())

    def test_more_agreements_take_no_more_queries(self, client, roles):
        sign_in(client, roles.governance_manager)

        def queries():
            with CaptureQueriesContext(connection) as captured:
                b"".join(client.get(reverse("agreements:export")).streaming_content)
            return len(captured)

        queries()  # the first request after signing in saves the session
        before = queries()
        for n in range(5):
            AgreementFactory(owner=roles.owner, title=f"Protocol {n}")

        assert queries() == before

    def test_the_list_links_to_both_downloads_with_its_filters_but_not_its_page(self, client, roles):
        page = sign_in(client, roles.governance_manager).get(
            reverse("agreements:list"), {"status": "draft", "page": "1"},
        ).content.decode()

        assert f'href="{reverse("agreements:export")}?status=draft" download>Download these agreements as CSV' in page
        assert (f'href="{reverse("agreements:export_xlsx")}?status=draft" download>'
                "Download these agreements as Excel (XLSX)") in page


class TestSignatures:
    @FORMATS
    def test_the_parties_as_the_page_shows_them_without_contact_details(self, client, chased, suffix):
        party_contact_add(party=chased.partner_party, contact=chased.signatory_contact,
                          role=ContactRole.LEAD_SIGNATORY)
        url = reverse(f"agreements:signatures_export{suffix}", args=[chased.agreement.pk])

        header, rows = read(sign_in(client, chased.governance_manager).get(url, {"search": "police"}))

        assert header == ["Organisation", "Signature", "Version signed", "Signed on", "Lead signatory"]
        assert rows == [{"Organisation": "Borsetshire Police", "Signature": "Invited", "Version signed": (
            "" if suffix == "" else None), "Signed on": "" if suffix == "" else None, "Lead signatory": "Jo Example"}]
        assert chased.signatory_contact.email not in str(rows)


class TestBreaches:
    @FORMATS
    def test_the_status_filter_chooses_the_breaches_and_every_detail_is_there(self, client, cast, suffix):
        open_breach = breaches.record(cast, description="=An e-mail to the wrong team.")
        closed = breaches.record(cast, kind=BreachKind.NEAR_MISS, personal_data_breach=False,
                                 discovered_at=breaches.at(2026, 5, 1, 9))
        breach_close(breach=closed, closed_on=datetime.date(2026, 6, 1))

        sign_in(client, cast.governance_manager)
        _, open_rows = read(client.get(reverse(f"breaches:export{suffix}"), {"status": "open"}))
        _, closed_rows = read(client.get(reverse(f"breaches:export{suffix}"), {"status": "closed"}))

        assert [row["What happened"] for row in open_rows] == ["'=An e-mail to the wrong team."]
        assert [row["Status"] for row in closed_rows] == ["Closed"]
        assert closed_rows[0]["Closed on"] in ("2026-06-01", datetime.datetime(2026, 6, 1))
        assert closed_rows[0]["Kind"] == "Near miss"
        assert open_rows[0]["Data involved"] == breaches.DATA
        assert open_rows[0]["Reported by"] == str(cast.owner)
        assert open_breach.pk != closed.pk

    @FORMATS
    def test_another_organisations_member_gets_no_breach(self, client, cast, suffix):
        breaches.record(cast)

        header, rows = read(sign_in(client, cast.unrelated).get(reverse(f"breaches:export{suffix}")))

        assert rows == []
        assert "What happened" in header

    def test_the_list_links_to_both_downloads_with_its_filter(self, client, cast):
        page = sign_in(client, cast.governance_manager).get(reverse("breaches:list"), {"status": "open"})

        assert (f'href="{reverse("breaches:export_xlsx")}?status=open" download>'
                "Download these breaches and near misses as Excel (XLSX)") in page.content.decode()


class TestRequests:
    @FORMATS
    def test_waiting_then_answered_as_the_page_lists_them(self, client, cast, suffix):
        answered = requests.record(cast, description="@Records of 2025.")
        information_request_respond(request=answered, by_user=cast.spoc, responded_on=requests.RECEIVED,
                                    response_note="Sent by secure e-mail.", on=requests.RECEIVED)
        waiting = requests.record(cast)

        header, rows = read(sign_in(client, cast.governance_manager).get(reverse(f"requests:export{suffix}")))

        assert [(row["What is asked for"], row["Status"]) for row in rows] == [
            (waiting.description, "To do"), ("'@Records of 2025.", "Answered"),
        ]
        assert rows[1]["How it was answered"] == "Sent by secure e-mail."

    @FORMATS
    def test_another_organisations_member_gets_no_request(self, client, cast, suffix):
        requests.record(cast)

        header, rows = read(sign_in(client, cast.unrelated).get(reverse(f"requests:export{suffix}")))

        assert rows == []

    def test_the_list_links_to_both_downloads(self, client, cast):
        page = sign_in(client, cast.governance_manager).get(reverse("requests:list")).content.decode()

        assert f'href="{reverse("requests:export")}" download>Download these requests as CSV' in page


@pytest.mark.parametrize("name, query", [
    ("agreements:export_xlsx", {"owner": "not-a-number", "status": "<script>", "search": "x" * 500}),
    ("agreements:export", {"review": "\x00", "kind": "nonsense"}),
    ("breaches:export_xlsx", {"status": "=1+1"}),
    ("partners:directory_export_xlsx", {"sector": "nowhere", "search": "\uff1d" * 200}),
])
def test_a_bad_filter_narrows_nothing_and_never_fails(client, cast, name, query):
    """As on the pages: a filter with a bad value is left out, the others apply. Not the sharing
    log's, which holds personal data: a filter mistyped there exports nothing and returns to the
    list that says what to correct (tests/sharing_log/test_lists.py, ``TestAFilterNotValid``)."""
    breaches.record(cast)
    assert cast.disclosure_to_partner.pk
    sign_in(client, cast.governance_manager)

    filtered, unfiltered = (read(client.get(reverse(name), params))[1] for params in (query, {}))

    assert unfiltered
    assert filtered == unfiltered
