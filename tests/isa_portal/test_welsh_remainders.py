"""Welsh for what was still English on pages a Welsh reader reaches (docs/decisions/0058, the
section of 2026-12-07 on the remainders): the date fields' own messages, which every form with a
date shows. Each page is read with Welsh chosen in the switch: its Welsh words are there and a
known English string is not, so a string left unmarked fails here."""

import html

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def in_welsh(client: Client) -> Client:
    client.post(reverse("language"), {"language": "cy", "next": "/"})
    return client


def read(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return html.unescape(response.content.decode())


class TestDateFields:
    def test_a_forms_date_errors_name_the_date_in_welsh(self, client, sign_in, roles):
        client = in_welsh(sign_in(client, roles.governance_manager))

        page = read(client.post(reverse("partners:organisation_edit", args=[roles.owner.pk]), {
            "name": roles.owner.name, "sector": roles.owner.sector, "ico_registration_number": "ZA123456",
            "ico_renewal_date-day": "31", "ico_renewal_date-month": "2", "ico_renewal_date-year": "2027",
            "dspt_published_on-day": "", "dspt_published_on-month": "6", "dspt_published_on-year": "2026",
            "ceased_on-day": "1", "ceased_on-month": "1", "ceased_on-year": "2100",
        }))

        assert "Rhowch y dyddiad adnewyddu fel dyddiad go iawn" in page
        assert "Rhaid cynnwys diwrnod yn y dyddiad y cyhoeddwyd y DSPT" in page
        assert "Rhowch y dyddiad y daeth i ben rhwng 1 Ionawr 1900 a 31 Rhagfyr 2099" in page
        for english in ("must be a real date", "must include a day", "must be between", "the renewal date",
                        "the DSPT publication date", "the date it ceased"):
            assert english not in page, english
