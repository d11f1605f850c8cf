"""The record of processing download (agreements/views/records.py): a CSV read back row by row,
formulas defused, and the link on the organisation's page for those who may download it.

Who may reach it is the permission matrix's business (tests/test_permission_matrix.py); the
people it is for are checked here too, as the rule is the item's."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agreements.models import Purpose
from agreements.selectors.records import RECORD_HEADER
from partners.models import AccessKind
from tests.access_helpers import only_event
from tests.agreements.helpers import pdf_pages
from tests.agreements.helpers.tagged import tagged

PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def read_back(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


class TestDownload:
    def test_the_partners_auditor_downloads_its_record_and_reads_it_back(self, client, cast, sign_in):
        sign_in(client, cast.auditor)

        response = client.get(reverse("agreements:record_of_processing", args=[cast.partner.pk]))

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="record-of-processing-borsetshire-police-2026-06-17.csv"'
        )
        header, *rows = read_back(response)
        assert header == RECORD_HEADER
        assert [(row[0], row[4], row[6]) for row in rows] == [
            ("Borsetshire Community Safety Information Sharing Agreement", "Borsetshire Police", "Party"),
        ]

    def test_a_cell_a_spreadsheet_would_run_is_defused(self, client, cast, sign_in):
        Purpose.objects.filter(agreement=cast.agreement).update(text='=HYPERLINK("http://example.com")')
        sign_in(client, cast.admin)

        header, row = read_back(client.get(reverse("agreements:record_of_processing", args=[cast.partner.pk])))

        assert row[header.index("Purposes")] == '\'=HYPERLINK("http://example.com")'

    @pytest.mark.parametrize(("subject", "organisation", "status"), [
        ("auditor", "partner", 200), ("admin", "partner", 200), ("governance_manager", "owner", 200),
        ("spoc", "partner", 403), ("lead_signatory", "partner", 403), ("governance_manager", "partner", 403),
        ("practitioner", "owner", 403), ("unrelated", "partner", 403),
    ])
    def test_its_governance_managers_auditors_and_administrators_alone(
        self, client, cast, sign_in, subject, organisation, status,
    ):
        sign_in(client, cast.subject(subject))

        response = client.get(reverse("agreements:record_of_processing", args=[getattr(cast, organisation).pk]))

        assert response.status_code == status

    def test_the_organisation_page_links_to_it_for_them_alone(self, client, cast, sign_in):
        link = f'href="/agreements/organisations/{cast.partner.pk}/record-of-processing.csv"'

        auditor = sign_in(client, cast.auditor).get(cast.partner.get_absolute_url()).content.decode()
        spoc = sign_in(client, cast.spoc).get(cast.partner.get_absolute_url()).content.decode()

        assert link in auditor
        assert f'href="/agreements/organisations/{cast.partner.pk}/record-of-processing.pdf"' in auditor
        assert "download it as a spreadsheet (CSV)" in auditor
        assert link not in spoc
        assert "record-of-processing.pdf" not in spoc

    def test_the_download_is_in_the_access_log(self, client, cast, sign_in):
        sign_in(client, cast.auditor).get(reverse("agreements:record_of_processing", args=[cast.partner.pk]))

        event = only_event(kind=AccessKind.RECORD_OF_PROCESSING)
        assert (event.user_id, event.object_type, event.object_id, event.object_organisations) == (
            cast.auditor.pk, "partners.organisation", cast.partner.pk, [cast.partner.pk],
        )


class TestPdf:
    def test_the_pdf_reads_back_with_each_heading_and_value(self, client, cast, sign_in):
        sign_in(client, cast.auditor)

        response = client.get(reverse("agreements:record_of_processing_pdf", args=[cast.partner.pk]))

        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="record-of-processing-borsetshire-police-2026-06-17.pdf"'
        )
        text = " ".join(pdf_pages(response.content))
        assert "Borsetshire Police: record of processing" in text
        assert "Borsetshire Community Safety Information Sharing Agreement" in text
        assert "Purposes To reduce crime, disorder and anti-social behaviour" in text
        assert "Categories of people Not recorded in the agreement" in text
        document = tagged(response.content)  # PDF/UA-1, docs/decisions/0046
        assert document.catalog["/Lang"] == "en-GB"
        assert document.title == "Borsetshire Police – record of processing"
        assert document.headings()[:2] == ["H1", "H2"]

    @pytest.mark.parametrize(("subject", "status"), [("admin", 200), ("spoc", 403), ("governance_manager", 403)])
    def test_for_the_same_people_as_the_csv(self, client, cast, sign_in, subject, status):
        sign_in(client, cast.subject(subject))

        assert client.get(reverse("agreements:record_of_processing_pdf", args=[cast.partner.pk])).status_code == status
