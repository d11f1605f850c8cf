"""The agreement's PDF page (agreements/views/documents.py): who gets which PDF, and how it is
served. Kept apart from test_pdf.py, whose module loads the demo (its people clash with the
cast); the signed copy's pages are in test_documents_views_no_cast.py."""



import pytest

from agreements.models import Agreement, Status
from agreements.pdf import pdf_filename
from agreements.services import (
    agreement_version_create,
)
from tests.agreements.helpers import pdf_pages

pytestmark = pytest.mark.django_db



def test_a_version_is_served_as_a_never_cached_attachment_with_a_server_made_name(client, roles, sign_in):
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    response = sign_in(client, roles.spoc).get(f"/agreements/{roles.agreement.pk}/pdf/", {"version": 1})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{pdf_filename(roles.agreement, version)}"'
    assert f"Version 1.0 · SHA-256 {version.content_hash}" in pdf_pages(response.content)[0]


def test_the_file_name_comes_from_the_reference_and_version_label():
    agreement = Agreement(title="Anything", reference="CSP ISA")
    assert pdf_filename(agreement, None) == "csp-isa-draft.pdf"
    agreement.reference = "../../etc/passwd"
    assert pdf_filename(agreement, None) == "etcpasswd-draft.pdf"


def test_an_agreement_in_force_without_version_query_serves_its_latest_version(client, roles, sign_in):
    agreement_version_create(agreement=roles.agreement, label="1.0")
    latest = agreement_version_create(agreement=roles.agreement, label="2.0")
    response = sign_in(client, roles.spoc).get(f"/agreements/{roles.agreement.pk}/pdf/")
    assert f"Version 2.0 · SHA-256 {latest.content_hash}" in pdf_pages(response.content)[0]


@pytest.mark.parametrize("query", [{"version": 99}, {"version": "x"}])
def test_a_version_the_agreement_does_not_have_is_a_404(client, roles, sign_in, query):
    response = sign_in(client, roles.governance_manager).get(f"/agreements/{roles.agreement.pk}/pdf/", query)
    assert response.status_code == 404


def test_the_working_draft_goes_to_its_governance_manager_marked_as_a_draft(client, roles, sign_in):
    response = sign_in(client, roles.governance_manager).get(f"/agreements/{roles.draft.pk}/pdf/")
    assert response.status_code == 200
    first = pdf_pages(response.content)[0]
    assert "Working draft" in first and "Draft: this text may change before it is sent for signature." in first


def test_the_working_draft_is_refused_to_other_owner_members_who_see_it(client, roles, sign_in):
    assert sign_in(client, roles.practitioner).get(f"/agreements/{roles.draft.pk}/pdf/").status_code == 403


def test_an_agreement_back_in_drafting_serves_its_working_draft_not_its_last_version(client, roles, sign_in):
    agreement_version_create(agreement=roles.draft, label="1.0")
    Agreement.objects.filter(pk=roles.draft.pk).update(status=Status.CONSULTATION)
    assert sign_in(client, roles.practitioner).get(f"/agreements/{roles.draft.pk}/pdf/").status_code == 403
    version_1 = sign_in(client, roles.practitioner).get(f"/agreements/{roles.draft.pk}/pdf/", {"version": 1})
    assert version_1.status_code == 200


def test_the_agreement_page_links_to_its_pdf(client, roles, sign_in):
    agreement_version_create(agreement=roles.agreement, label="1.0")
    response = sign_in(client, roles.spoc).get(f"/agreements/{roles.agreement.pk}/")
    assert f'href="/agreements/{roles.agreement.pk}/pdf/"'.encode() in response.content
    assert b"Download as PDF" in response.content


def test_the_draft_page_offers_no_pdf_to_those_refused_it(client, roles, sign_in):
    response = sign_in(client, roles.practitioner).get(f"/agreements/{roles.draft.pk}/")
    assert response.status_code == 200
    assert b"Download as PDF" not in response.content


