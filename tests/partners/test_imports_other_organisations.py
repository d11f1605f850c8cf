"""A directory import adds people only to organisations the importer may change
(partners.imports.plan, services.directory_import; partners.permissions.can_change_organisation).

Any governance manager may import a directory, and a row naming an organisation already there
adds its people as that organisation's contacts. An organisation with people in the portal keeps
its own contacts, through its governance managers: a governance manager elsewhere (here the
unrelated housing association's) who names it in a file must not add people to it — they could
then be chosen as its SPOC. The row is shown with the problem and left out; an organisation with
nobody in the portal yet may still be filled in by anyone who may add organisations.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Contact, Organisation
from partners.services import directory_import

pytestmark = pytest.mark.django_db
URL = reverse("partners:directory_import")
HEADER = "Organisation,Sector,Name,Job title,E-mail,Phone\n"


def _file(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("contacts.csv", (HEADER + "".join(f"{row}\n" for row in rows)).encode())


def test_a_governance_manager_cannot_add_people_to_an_organisation_with_people_of_its_own(client, sign_in, roles):
    importer = sign_in(client, roles.unrelated)

    preview = importer.post(URL, {"file": _file("Borsetshire Police,Police,Eve Example,SPOC,eve@example.com,")})
    response = importer.post(URL, {"action": "import"}, follow=True)

    [row] = preview.context["plans"]
    assert row["problems"] == [
        "Borsetshire Police has people in the portal: only its own governance managers add its contacts",
    ]
    assert "Imported: 0 organisations and 0 people added; 1 rows with problems left out." in response.content.decode()
    assert not Contact.objects.filter(organisation=roles.partner).exists()


def test_people_are_still_added_to_an_organisation_the_importer_keeps_or_with_nobody_yet(client, sign_in, roles):
    Organisation.objects.create(name="Ambridge Parish Council", sector="other")
    importer = sign_in(client, roles.unrelated)

    importer.post(URL, {"file": _file(
        "Felpersham Housing Association,,Sam Example,Officer,sam@example.com,",
        "Ambridge Parish Council,,Lynda Snell,Clerk,lynda@example.com,",
    )})
    response = importer.post(URL, {"action": "import"}, follow=True)

    assert "Imported: 0 organisations and 2 people added; 0 rows with problems left out." in response.content.decode()


def test_the_service_leaves_out_such_a_row_too(roles):
    plans = [{"row": 2, "organisation": "Borsetshire Police", "existing": True, "sector": "police", "problems": [],
              "people": [{"name": "Eve Example", "job_title": "", "email": "eve@example.com", "phone": ""}]}]

    counts = directory_import(plans=plans, by_user=roles.unrelated)

    assert counts == {"organisations": 0, "people": 0, "skipped": 1, "assurance": 0}
    assert not Contact.objects.filter(organisation=roles.partner).exists()
