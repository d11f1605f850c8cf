"""The directory's export (partners/exports.py, issue 16): the organisations the directory lists,
with its filters, and the people at each, as CSV and XLSX, read back; formula-safe; in one query
however many rows. Who may reach it is the permission matrix's business."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partners.models import Sector
from tests.auth import sign_in
from tests.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FORMATS = pytest.mark.parametrize("name", ["partners:directory_export", "partners:directory_export_xlsx"],
                                  ids=["csv", "xlsx"])


def read(response) -> list[dict]:
    body = b"".join(response.streaming_content)
    if response["Content-Disposition"].endswith('.csv"'):
        header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    else:
        header, *rows = ([cell.value for cell in row] for row in load_workbook(io.BytesIO(body)).active.iter_rows())
    return [{key: value for key, value in zip(header, row, strict=True) if value not in ("", None)} for row in rows]


@pytest.fixture
def directory(roles):
    fire = OrganisationFactory(name="Borsetshire Fire and Rescue", sector=Sector.FIRE_RESCUE,
                               ico_registration_number="Z1234567", ico_renewal_date=datetime.date(2027, 3, 31))
    ContactFactory(organisation=fire, name="Alex Example", job_title="Station manager", email="alex@fire.example",
                   phone="01632 960001")
    ContactFactory(organisation=fire, name="=Bo Example", job_title="", email="", phone="")
    OrganisationFactory(name="Borsetshire Fire Cadets", sector=Sector.FIRE_RESCUE)
    return fire


@FORMATS
def test_one_row_a_person_and_one_for_an_organisation_with_nobody_with_the_filters(client, roles, directory, name):
    rows = read(sign_in(client, roles.practitioner).get(reverse(name), {"search": "Borsetshire Fire",
                                                                        "sector": Sector.FIRE_RESCUE}))

    renewal = "2027-03-31" if name.endswith("export") else datetime.datetime(2027, 3, 31)
    # In the database's order of names (its collation's business): compared here as a set.
    assert sorted(rows, key=str) == sorted([
        {"Organisation": "Borsetshire Fire Cadets", "Sector": "Fire and rescue"},
        {"Organisation": "Borsetshire Fire and Rescue", "Sector": "Fire and rescue",
         "ICO registration number": "Z1234567", "ICO registration renewal": renewal, "Name": "'=Bo Example"},
        {"Organisation": "Borsetshire Fire and Rescue", "Sector": "Fire and rescue",
         "ICO registration number": "Z1234567", "ICO registration renewal": renewal, "Name": "Alex Example",
         "Job title": "Station manager", "Work e-mail": "alex@fire.example", "Phone": "01632 960001"},
    ], key=str)


def test_more_organisations_and_people_take_no_more_queries(client, roles, directory):
    sign_in(client, roles.practitioner)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(reverse("partners:directory_export_xlsx")).streaming_content)
        return len(captured)

    queries()  # the first request after signing in saves the session
    before = queries()
    for n in range(4):
        ContactFactory(organisation=OrganisationFactory(), name=f"Person {n}")

    assert queries() == before


def test_the_directory_links_to_both_downloads_with_its_filters(client, roles):
    page = sign_in(client, roles.practitioner).get(reverse("partners:organisation_list"), {"sector": "police"})

    assert (f'href="{reverse("partners:directory_export")}?sector=police" download>'
            "Download these organisations and their people as CSV") in page.content.decode()
