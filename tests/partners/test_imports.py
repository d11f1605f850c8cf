"""Importing a directory (partners/imports.py, services.directory_import, views.directory_import):
seed 001's Appendix 1 as a CSV and a contact list as an XLSX; a dry run listing each row's
problems; all-or-nothing import of the rest; the same file twice changes nothing; bad files are
refused whole with a message and change nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from partners.models import Contact, Organisation, Sector
from tests.agreements.helpers import error_summary
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("partners:directory_import")

APPENDIX_1 = (
    "Organisation,CSP Board Member?,Lead Signatory Name & Role,2018 Signature form returned,"
    "Specific Point of Contact (SPOC) for this agreement,Cambridgeshire ECINS users\n"
    "Cambridgeshire County Council,Yes,Adrian Chapman-Service Director,,"
    "Elaine Matthews - Strengthening Communities Service Manager,YES\n"
    "Cambridgeshire Fire & Rescue Service,Yes,– Area Commander,,Ed Miller - Station Commander,YES\n"
    "RSL: Accent Housing,NO,Keith Bowman- Tenancy Sustainability Manager,Maybe,Toyah Thomas- Housing Officer,YES\n"
    "South Cambridgeshire Council,Yes,- Head of Service,,Jo Brooks – Information Governance Manager,YES\n"
    "RSL: Abbeyfield,NO,Awaiting details,,A Osborne,NO\n"
)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def manager(client, sign_in, roles):
    OrganisationFactory(name="South Cambridgeshire District Council", sector=Sector.DISTRICT_COUNCIL)
    return sign_in(client, roles.governance_manager)


class TestAppendix1:
    def test_the_dry_run_lists_the_broken_rows_and_saves_nothing(self, manager):
        before = (Organisation.objects.count(), Contact.objects.count())

        response = manager.post(URL, {"file": upload("appendix-1.csv", APPENDIX_1.encode())})

        plans = {row["row"]: row for row in response.context["plans"]}
        assert plans[4]["problems"] == ["Unknown signature form status “Maybe”"]
        assert plans[5]["problems"] == [
            "“South Cambridgeshire Council” nearly matches South Cambridgeshire District Council: use the exact "
            "name if it is the same body, or add it on the Partners page first",
        ]
        assert plans[2]["people"] == [
            {"name": "Adrian Chapman", "job_title": "Service Director", "email": "", "phone": "",
             "role": "lead_signatory"},
            {"name": "Elaine Matthews", "job_title": "Strengthening Communities Service Manager", "email": "",
             "phone": "", "role": "spoc"},
        ]
        assert [person["name"] for person in plans[6]["people"]] == ["A Osborne"]  # "Awaiting details" is no one
        assert (response.context["good"], response.context["broken"]) == (3, 2)
        assert (Organisation.objects.count(), Contact.objects.count()) == before

    def test_the_import_adds_the_rest_once(self, manager):
        manager.post(URL, {"file": upload("appendix-1.csv", APPENDIX_1.encode())})

        response = manager.post(URL, {"action": "import"}, follow=True)

        assert "Imported: 3 organisations and 4 people added; 2 rows with problems left out." in (
            response.content.decode()
        )
        abbeyfield = Organisation.objects.get(name="Abbeyfield")
        assert abbeyfield.sector == Sector.HOUSING
        assert Organisation.objects.get(name="Cambridgeshire County Council").sector == Sector.COUNTY_COUNCIL
        assert list(abbeyfield.contacts.values_list("name", flat=True)) == ["A Osborne"]
        counts = (Organisation.objects.count(), Contact.objects.count())

        manager.post(URL, {"file": upload("appendix-1.csv", APPENDIX_1.encode())})
        again = manager.post(URL, {"action": "import"}, follow=True)

        assert "Imported: 0 organisations and 0 people added" in again.content.decode()
        assert (Organisation.objects.count(), Contact.objects.count()) == counts


class TestContactList:
    def test_an_xlsx_with_an_unknown_sector_and_a_bad_e_mail(self, manager):
        data = xlsx([
            ["Organisation", "Sector", "Name", "Job title", "E-mail", "Phone"],
            ["Ambridge Parish Council", "Other", "Lynda Snell", "Clerk", "lynda.snell@ambridge.example",
             "01632 960 333"],
            ["Borchester Academy", "Schools", "Pat Archer", "Head", "pat.archer@borchester.example", ""],
            ["Felpersham Hospital", "NHS", "Alan Franks", "Safeguarding lead", "not an address", ""],
        ])

        response = manager.post(URL, {"file": upload("contacts.xlsx", data)})

        assert [row["problems"] for row in response.context["plans"]] == [
            [], ["Unknown sector “Schools”"], ["“not an address” is not an e-mail address"],
        ]
        manager.post(URL, {"action": "import"})
        added = Contact.objects.get(name="Lynda Snell")
        assert (added.organisation.name, added.email, added.job_title) == (
            "Ambridge Parish Council", "lynda.snell@ambridge.example", "Clerk",
        )
        assert not Organisation.objects.filter(name__in=["Borchester Academy", "Felpersham Hospital"]).exists()


class TestRefused:
    @pytest.mark.parametrize(("name", "data", "message"), [
        ("formula.csv", b"Organisation,Name\nAmbridge,=HYPERLINK(\"http://x\")\n", "Row 2 has a formula in a cell"),
        ("spaced.csv", b"Organisation,Name\nAmbridge, =1+1\n", "Row 2 has a formula in a cell"),
        ("nbsp.csv", "Organisation,Name\nAmbridge,\u00a0@SUM(1)\n".encode(), "Row 2 has a formula in a cell"),
        ("fullwidth.csv", "Organisation,Name\nAmbridge,＝1+1\n".encode(), "Row 2 has a formula in a cell"),
        ("macros.xlsm", b"PK", "The file must be a CSV or an .xlsx workbook (without macros)."),
        ("notes.txt", b"hello", "The file must be a CSV or an .xlsx workbook."),
        ("broken.xlsx", b"not a zip", "The file is not a readable XLSX spreadsheet."),
        ("latin1.csv", "Organisation,Name\nCaf\xe9,Bob\n".encode("latin-1"),
         "The CSV file must be saved as UTF-8 text."),
        ("headings.csv", b"Council,Person\nA,B\n", "The first rows do not have the headings of a directory"),
        ("big.csv", b"Organisation,Name\n" + b"x" * (2 * 1024 * 1024), "The file must be smaller than 2 MB."),
    ])
    def test_a_bad_file_is_refused_whole(self, manager, name, data, message):
        before = Organisation.objects.count()

        response = manager.post(URL, {"file": upload(name, data)})

        assert message in error_summary(response)
        assert Organisation.objects.count() == before

    def test_an_xlsx_holding_macros_is_refused(self, manager):
        workbook = io.BytesIO(xlsx([["Organisation", "Name"], ["Ambridge", "Bob"]]))
        with zipfile.ZipFile(workbook, "a") as archive:
            archive.writestr("xl/vbaProject.bin", b"macro")

        response = manager.post(URL, {"file": upload("innocent.xlsx", workbook.getvalue())})

        assert "The spreadsheet contains macros." in error_summary(response)

    def test_importing_without_a_preview_asks_for_the_file_again(self, manager):
        response = manager.post(URL, {"action": "import"}, follow=True)

        assert "Upload the spreadsheet again: its preview has expired." in response.content.decode()
