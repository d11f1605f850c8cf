"""The public register's pages (agreements/views/register.py): open to anyone without sign-in,
only agreements in force, and no personal field on any page, the PDF or the privacy notice."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import AgreementFactory

from .helpers.register import PINNED, agreement_with_people, personal_strings
from .helpers.tagged import tagged

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages) + repr(reader.metadata)


def test_the_register_is_served_to_an_anonymous_visitor(client):
    agreement = agreement_with_people()
    draft = AgreementFactory(owner=agreement.owner, title="A draft nobody may see")
    response = client.get(reverse("register:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Borsetshire Troubled Families Agreement" in body
    assert "Borsetshire Police" in body and "Children Act 2004 s10" in body
    assert draft.title not in body
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_agreement_page_shows_the_privacy_notice(client):
    agreement = agreement_with_people()
    response = client.get(reverse("register:detail", args=[agreement.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="privacy-notice-text"' in body
    assert "Information Commissioner&#x27;s Office" in body
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_pdf_is_served_to_an_anonymous_visitor(client):
    agreement = agreement_with_people()
    response = client.get(reverse("register:pdf", args=[agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="btf-isa-register-entry.pdf"'
    text = pdf_text(response.content)
    assert "Borsetshire Troubled Families Agreement" in text
    assert "Borsetshire Police" in text
    document = tagged(response.content)  # PDF/UA-1, docs/decisions/0046
    assert document.catalog["/Lang"] == "en-GB"
    assert document.title == "Borsetshire Troubled Families Agreement – register entry"
    assert document.headings()[:2] == ["H1", "H2"]


@pytest.mark.parametrize("route", ["register:detail", "register:pdf"])
def test_an_agreement_not_in_force_is_a_404(client, route):
    draft = AgreementFactory(title="A draft")
    assert client.get(reverse(route, args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("route", ["register:detail", "register:pdf"])
def test_the_pages_take_no_post(client, route):
    agreement = agreement_with_people()
    assert client.post(reverse(route, args=[agreement.pk])).status_code == 405


def test_no_personal_field_reaches_the_register_pages_the_pdf_or_the_privacy_notice(client):
    agreement = agreement_with_people()
    responses = {
        "list": client.get(reverse("register:list")).content.decode(),
        "detail": client.get(reverse("register:detail", args=[agreement.pk])).content.decode(),
        "pdf": pdf_text(client.get(reverse("register:pdf", args=[agreement.pk])).content),
    }
    assert "Borsetshire Troubled Families Agreement" in responses["pdf"]  # the PDF's text was read
    for where, text in responses.items():
        for personal in personal_strings():
            assert personal not in text, f"{personal!r} reached the register's {where}"
