"""The DPIA page (agreements/views/dpias.py): a governance manager records the screening and the
DPIA, with the GOV.UK error summary and nothing saved when anything is wrong; the history; the
document upload and download; the DPIA on the agreement's page. Who may reach the pages is in
tests/matrix_rows.py."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import DataItem, Dpia
from govuk_blocks.dates import date_time
from tests.auth import sign_in
from tests.uploads import PDF, pdf_with_javascript

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


def url(agreement) -> str:
    return reverse("agreements:dpia", args=[agreement.pk])


def page(response) -> str:
    return html.unescape(response.content.decode())


NEEDED = {
    "screening": ["vulnerable_people", "criminal_offence"], "needed": "yes", "reference": "BCC-DPIA-2026-014",
    "completed_on-day": "2", "completed_on-month": "3", "completed_on-year": "2026", "outcome": "acceptable",
    "dpo_advice": "Proceed: minimise the fields shared.", "dpo_advice_followed": "yes",
    "review_on-day": "2", "review_on-month": "3", "review_on-year": "2027",
}


def test_a_governance_manager_records_the_dpia_and_it_is_kept_with_its_history(client, roles):
    sign_in(client, roles.governance_manager)

    response = client.post(url(roles.agreement), NEEDED, follow=True)

    dpia = Dpia.objects.get(agreement=roles.agreement)
    assert (dpia.needed, dpia.reference, dpia.outcome, dpia.dpo_advice_followed) == (
        True, "BCC-DPIA-2026-014", "acceptable", True,
    )
    assert "The DPIA has been recorded." in page(response)
    assert dpia.history.latest().history_user == roles.governance_manager
    assert roles.governance_manager.get_full_name() in page(response)
    assert f'<td class="govuk-table__cell">{date_time(dpia.history.latest().history_date)}</td>' in page(response)


def test_an_empty_form_asks_whether_a_dpia_is_needed_and_saves_nothing(client, roles):
    before = Dpia.objects.filter(agreement=roles.agreement).count()
    sign_in(client, roles.governance_manager)

    response = client.post(url(roles.agreement), {})

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert "Choose whether the agreement needs a DPIA" in page(response)
    assert Dpia.objects.filter(agreement=roles.agreement).count() == before


def test_the_services_refusal_is_shown_against_the_question(client, roles):
    sign_in(client, roles.governance_manager)

    response = client.post(url(roles.agreement), {
        "screening": ["large_scale", "special_category"], "needed": "no", "not_needed_reason": "Low risk.",
    })

    assert response.status_code == 200
    assert (
        "A DPIA is required when special-category or criminal-offence data are processed on a large scale "
        "(UK GDPR Article 35(3)(b)). Choose ‘Yes’"
    ) in page(response)
    assert Dpia.objects.get(agreement=roles.agreement).needed is False  # the factory's screening, unchanged


def test_an_uploaded_dpia_is_kept_and_downloaded_by_the_governance_manager(client, roles):
    sign_in(client, roles.governance_manager)

    client.post(url(roles.agreement), {**NEEDED, "reference": "", "document": SimpleUploadedFile("d.pdf", PDF)})
    response = client.get(reverse("agreements:dpia_document", args=[roles.agreement.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_pdf_with_javascript_is_refused_and_nothing_is_saved(client, roles):
    sign_in(client, roles.governance_manager)

    response = client.post(url(roles.agreement), {
        **NEEDED, "document": SimpleUploadedFile("d.pdf", pdf_with_javascript()),
    })

    assert response.status_code == 200
    assert "The selected PDF must not contain JavaScript" in page(response)
    dpia = Dpia.objects.get(agreement=roles.agreement)
    assert (dpia.needed, bool(dpia.document)) == (False, False)


def test_the_agreement_page_shows_the_dpia_and_offers_the_manager_the_page(client, roles):
    sign_in(client, roles.governance_manager)
    client.post(url(roles.agreement), NEEDED)

    manager_page = page(client.get(roles.agreement.get_absolute_url()))
    sign_in(client, roles.spoc)
    spoc_page = page(client.get(roles.agreement.get_absolute_url()))

    assert "BCC-DPIA-2026-014, completed 2 March 2026" in manager_page
    assert "Record or change the DPIA" in manager_page
    assert "BCC-DPIA-2026-014" in spoc_page
    assert "Record or change the DPIA" not in spoc_page


def test_a_screening_that_leaves_out_the_agreements_special_category_data_is_refused_on_the_page(client, roles):
    DataItem.objects.create(agreement=roles.agreement, provider_label="Children's Services",
                            description="Ethnic origin.", special_category=True)
    before = list(Dpia.objects.filter(agreement=roles.agreement).values())
    sign_in(client, roles.governance_manager)

    response = client.post(url(roles.agreement), {"screening": [], "needed": "no", "not_needed_reason": "Low risk."})

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert (
        "Its data include special-category data (see Data to be shared): tick "
        "“Special-category data (health, ethnicity, religion and so on)”"
    ) in page(response)
    assert list(Dpia.objects.filter(agreement=roles.agreement).values()) == before  # the factory's, unchanged
