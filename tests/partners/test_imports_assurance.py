"""Organisation assurance in the directory's import and export (decision 0063, amended): the ODS
code, the ICO registration number and renewal date, the DSPT status and publication date. A
contact list may carry them; each row's values are checked as the organisation's edit page checks
them (``OrganisationForm``), a bad row is left out with the form's own message, and nothing is
half-saved. The export writes them under the headings the import reads, so a directory exported
can be imported back."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from partners import services
from partners.models import Contact, DsptStatus, Organisation, Role, Sector
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("partners:directory_import")
HEADER = ["Organisation", "Sector", "Name", "E-mail", "ODS code", "ICO registration number",
          "ICO registration renewal", "DSPT status", "DSPT publication date"]


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("directory.xlsx", out.getvalue())


def csv_file(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("directory.csv", out.getvalue().encode())


@pytest.fixture
def manager(client, sign_in, roles):
    return sign_in(client, roles.governance_manager)


def problems(response) -> dict[str, list[str]]:
    return {row["organisation"]: row["problems"] for row in response.context["plans"]}


class TestImport:
    def test_a_new_organisation_comes_with_its_assurance_cleaned_as_the_form_cleans_it(self, manager):
        response = manager.post(URL, {"file": xlsx([
            HEADER,
            ["Ambridge Hospice", "Voluntary", "Lynda Snell", "lynda@hospice.example", "8hv 48", "za 123456",
             datetime.datetime(2027, 3, 31), "Standards Met", "27/06/2026"],
        ])})
        assert problems(response) == {"Ambridge Hospice": []}
        shown = ("ODS code: 8HV48; ICO registration number: ZA123456; ICO registration renewal date: 31 March 2027; "
                 "DSPT status: Standards met; DSPT publication date: 27 June 2026")
        assert response.context["plans"][0]["assurance_shown"] == shown
        assert shown in response.content.decode()

        manager.post(URL, {"action": "import"})

        hospice = Organisation.objects.get(name="Ambridge Hospice")
        assert (hospice.ods_code, hospice.ico_registration_number, hospice.ico_renewal_date, hospice.dspt_status,
                hospice.dspt_published_on) == ("8HV48", "ZA123456", datetime.date(2027, 3, 31), DsptStatus.MET,
                                               datetime.date(2026, 6, 27))
        assert hospice.contacts.get().name == "Lynda Snell"

    def test_each_bad_row_is_left_out_with_the_forms_message_and_nothing_of_it_is_saved(self, manager):
        rows = [
            ["Bad ODS", "Other", "A", "", "R1", "", "", "", ""],
            ["Bad ICO", "Other", "B", "", "", "123456", "", "", ""],
            ["Bad date", "Other", "C", "", "", "", "", "Standards met", "31/02/2026"],
            ["Unreadable date", "Other", "D", "", "", "ZA123456", "next spring", "", ""],
            ["Future DSPT", "Other", "E", "", "", "", "", "Standards met", "2099-01-01"],
            ["Status without date", "Other", "F", "", "", "", "", "Approaching standards", ""],
            ["Date without status", "Other", "G", "", "", "", "", "", "2026-01-05"],
            ["Renewal without number", "Other", "H", "", "", "", "2027-03-31", "", ""],
            ["Unknown status", "Other", "I", "", "", "", "", "Green", "2026-01-05"],
            ["Good", "Other", "J", "", "RGT", "", "", "Not published", ""],
        ]
        response = manager.post(URL, {"file": csv_file([HEADER, *rows])})

        assert problems(response) == {
            "Bad ODS": ["Enter an ODS code in the correct format: 3 to 5 letters and numbers, like RGT or 8HV48."],
            "Bad ICO": ["Enter an ICO registration number in the correct format, like ZA123456."],
            "Bad date": ["The DSPT publication date must be a real date"],
            "Unreadable date": ["ICO registration renewal “next spring” is not a date: write it like 2027-03-31 "
                                "or 31/03/2027"],
            "Future DSPT": ["The DSPT publication date must be today or in the past."],
            "Status without date": ["Enter the date the DSPT status was published."],
            "Date without status": ["Select the DSPT status that was published on that date."],
            "Renewal without number": ["Enter the ICO registration number that the renewal date is for."],
            "Unknown status": ["Unknown DSPT status “Green”: use Standards exceeded, Standards met, Approaching "
                               "standards, Standards not met or Not published"],
            "Good": [],
        }
        manager.post(URL, {"action": "import"})

        assert list(Organisation.objects.filter(name__in=[row[0] for row in rows]).values_list(
            "name", "ods_code", "dspt_status")) == [("Good", "RGT", DsptStatus.NOT_PUBLISHED)]
        assert not Contact.objects.exclude(organisation__name="Good").filter(
            name__in=[row[2] for row in rows]).exists()

    def test_an_organisation_already_there_is_brought_up_to_date_and_its_other_values_kept(self, manager):
        OrganisationFactory(name="Ambridge Hospice", sector=Sector.VOLUNTARY, ico_registration_number="ZA123456",
                            ods_code="8HV48")

        # The renewal date needs the number the directory already holds; a blank cell changes nothing.
        response = manager.post(URL, {"file": csv_file([
            HEADER, ["ambridge hospice", "", "", "", "", "", "2027-03-31", "Standards met", "2026-06-27"],
        ])})
        assert problems(response) == {"ambridge hospice": []}
        done = manager.post(URL, {"action": "import"}, follow=True)

        hospice = Organisation.objects.get(name="Ambridge Hospice")
        assert (hospice.ods_code, hospice.ico_registration_number, hospice.ico_renewal_date, hospice.dspt_status,
                hospice.dspt_published_on) == ("8HV48", "ZA123456", datetime.date(2027, 3, 31), DsptStatus.MET,
                                               datetime.date(2026, 6, 27))
        assert "1 organisation’s assurance details updated" in done.content.decode()

    def test_an_organisation_with_its_own_people_keeps_its_own_assurance(self, manager):
        hospice = OrganisationFactory(name="Ambridge Hospice", sector=Sector.VOLUNTARY)
        MembershipFactory(organisation=hospice, role=Role.GOVERNANCE_MANAGER)

        response = manager.post(URL, {"file": csv_file([HEADER, ["Ambridge Hospice", "", "", "", "RGT", "", "", "",
                                                                  ""]])})

        assert problems(response) == {"Ambridge Hospice": [
            "Ambridge Hospice has people in the portal: only its own governance managers change its ODS code, "
            "ICO registration and DSPT",
        ]}
        manager.post(URL, {"action": "import"})
        hospice.refresh_from_db()
        assert hospice.ods_code == ""

    def test_a_failure_while_importing_saves_nothing_and_says_so(self, manager, monkeypatch):
        manager.post(URL, {"file": csv_file([
            HEADER,
            ["Ambridge Hospice", "Voluntary", "Lynda Snell", "", "RGT", "", "", "", ""],
            ["Borchester Academy", "Other", "Pat Archer", "", "", "", "", "", ""],
        ])})
        calls, original = [], services.contact_create

        def refuse_the_second(**kwargs):
            calls.append(kwargs)
            if len(calls) == 2:
                raise ValidationError({"name": ["Borchester Academy is already in the directory."]})
            return original(**kwargs)

        monkeypatch.setattr(services, "contact_create", refuse_the_second)

        response = manager.post(URL, {"action": "import"}, follow=True)

        assert response.status_code == 200
        assert ("Nothing was imported: Borchester Academy is already in the directory. Upload the spreadsheet "
                "again to check it.") in response.content.decode()
        assert not Organisation.objects.filter(name__in=["Ambridge Hospice", "Borchester Academy"]).exists()


class TestExportAndBack:
    def test_the_export_carries_the_assurance_and_imports_back_unchanged(self, manager, roles):
        OrganisationFactory(
            name="Ambridge Hospice", sector=Sector.VOLUNTARY, ods_code="8HV48", ico_registration_number="ZA123456",
            ico_renewal_date=datetime.date(2027, 3, 31), dspt_status=DsptStatus.EXCEEDED,
            dspt_published_on=datetime.date(2026, 6, 27), phone="01632 960000",
        )
        exported = b"".join(manager.get(reverse("partners:directory_export"), {"search": "Ambridge"})
                            .streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(exported)))
        assert [(row["ODS code"], row["DSPT status"], row["DSPT publication date"]) for row in rows] == [
            ("8HV48", "Standards exceeded", "2026-06-27"),
        ]

        Organisation.objects.filter(name="Ambridge Hospice").update(
            ods_code="", ico_renewal_date=None, dspt_status="", dspt_published_on=None)
        response = manager.post(URL, {"file": SimpleUploadedFile("directory.csv", exported.encode())})
        assert problems(response) == {"Ambridge Hospice": []}
        manager.post(URL, {"action": "import"})

        hospice = Organisation.objects.get(name="Ambridge Hospice")
        assert (hospice.ods_code, hospice.ico_renewal_date, hospice.dspt_status, hospice.dspt_published_on,
                hospice.phone) == ("8HV48", datetime.date(2027, 3, 31), DsptStatus.EXCEEDED,
                                   datetime.date(2026, 6, 27), "01632 960000")
        assert not hospice.contacts.exists()  # its main phone is not a person's
