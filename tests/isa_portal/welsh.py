"""Reading pages in Welsh, for the tests that check a page's strings are marked and translated
(docs/decisions/0058): Welsh chosen in the language switch, as a reader chooses it."""

import html

from django.test import Client
from django.urls import reverse


def in_welsh(client: Client) -> Client:
    client.post(reverse("language"), {"language": "cy", "next": "/"})
    return client


def read(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return html.unescape(response.content.decode())
