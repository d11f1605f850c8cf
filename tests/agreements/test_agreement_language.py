"""An agreement written in Welsh (issue 16, item 5; docs/decisions/0058): its language is one of
its details, frozen with each version, and its PDF is made in it: /Lang, headings, dates, and
the Welsh letters (ŵ, ŷ, â) read back from the PDF with pdftotext."""

import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from agreements.models import DocumentLanguage, Kind, Purpose, Section
from agreements.pdf import StaticOnlyURLFetcher, agreement_pdf
from agreements.selectors.versions import agreement_content
from agreements.services import agreement_version_create
from tests.agreements.helpers.tagged import tagged
from tests.auth import sign_in
from tests.factories import AgreementFactory, PartyFactory

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"  # poppler-utils, scripts/install_pdf_packages.sh
TITLE = "Cytundeb rhannu gwybodaeth: diogelu plant ym Mhen Llŷn"
PURPOSE = "Diogelu plant a phobl ifanc â phartneriaid yn Nhŷ Ddewi a Phen-y-bŵl."
HEADING = "Pwrpas a chwmpas"
BODY = "Mae’r partïon yn rhannu gwybodaeth yn ddiogel, â chaniatâd lle bo modd, i ddiogelu plant."


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"],  # noqa: S603 (fixed arguments)
                            check=True, capture_output=True)
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.fixture
def welsh_agreement():
    agreement = AgreementFactory(title=TITLE, reference="CRhG Llŷn", language=DocumentLanguage.WELSH)
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    Purpose.objects.create(agreement=agreement, text=PURPOSE)
    Section.objects.create(agreement=agreement, number="1", heading=HEADING, body=BODY)
    return agreement


def test_a_version_freezes_the_language_of_a_welsh_agreement(welsh_agreement):
    version = agreement_version_create(agreement=welsh_agreement, label="1.0")

    assert version.content["language"] == "cy"


def test_an_english_agreements_content_has_no_language_so_its_hash_is_what_it_was():
    agreement = AgreementFactory()

    assert "language" not in agreement_content(agreement)


def test_the_pdf_of_a_welsh_version_is_in_welsh_and_says_so(welsh_agreement, tmp_path):
    version = agreement_version_create(agreement=welsh_agreement, label="1.0")

    pdf = agreement_pdf(welsh_agreement, version, url_fetcher=StaticOnlyURLFetcher())
    text = pdf_text(pdf, tmp_path)
    document = tagged(pdf)

    assert document.catalog["/Lang"] == "cy"
    assert document.title == f"{TITLE} – fersiwn 1.0"
    # The text as written, its Welsh letters intact.
    for words in (TITLE, PURPOSE, f"1. {HEADING}", BODY, "CRhG Llŷn"):
        assert words in text, words
    # The document's own words in Welsh too.
    for words in ("Rheoli’r ddogfen", "Cynnwys", "Dibenion", "Atodiad: pyrth cyfreithiol", "Llofnodion",
                  "Fersiwn 1.0", "Cynhyrchwyd gan Borth ISA ar"):
        assert words in text, words
    assert "Document control" not in text and "Signatures" not in text


def test_the_working_draft_of_a_welsh_agreement_is_in_welsh_too(welsh_agreement, tmp_path):
    pdf = agreement_pdf(welsh_agreement, url_fetcher=StaticOnlyURLFetcher())

    assert tagged(pdf).catalog["/Lang"] == "cy"
    assert "Drafft: gall y testun hwn newid cyn iddo gael ei anfon i’w lofnodi." in pdf_text(pdf, tmp_path)


def test_an_english_agreement_stays_english_when_made_for_a_reader_of_welsh(tmp_path):
    agreement = AgreementFactory(title="Borsetshire Safeguarding Agreement")
    PartyFactory(agreement=agreement, organisation=agreement.owner)

    with translation.override("cy"):
        pdf = agreement_pdf(agreement, url_fetcher=StaticOnlyURLFetcher())
    text = pdf_text(pdf, tmp_path)

    assert tagged(pdf).catalog["/Lang"] == "en-GB"
    assert "Document control" in text and "Rheoli’r ddogfen" not in text


def test_a_governance_manager_says_the_agreement_is_written_in_welsh(client, roles):
    response = sign_in(client, roles.governance_manager).post(
        reverse("agreements:task_details", args=[roles.draft.pk]), {
            "title": TITLE, "reference": "", "kind": Kind.AGREEMENT, "protective_marking": "official",
            "language": "cy",
        })

    roles.draft.refresh_from_db()
    assert response.status_code == 302
    assert roles.draft.language == DocumentLanguage.WELSH


def test_a_language_the_portal_does_not_offer_is_refused_with_the_error_summary(client, roles):
    response = sign_in(client, roles.governance_manager).post(
        reverse("agreements:task_details", args=[roles.draft.pk]), {
            "title": TITLE, "reference": "", "kind": Kind.AGREEMENT, "protective_marking": "official",
            "language": "fr",
        })

    content = response.content.decode()
    roles.draft.refresh_from_db()
    assert response.status_code == 200
    assert "govuk-error-summary" in content and "Select English or Cymraeg (Welsh)." in content
    assert roles.draft.title != TITLE and roles.draft.language == DocumentLanguage.ENGLISH
