"""Who runs the service and what every page's footer and phase banner say are settings
(issue 14, item 6; decision 0038): a council or an NHS body runs the portal, so no page says
"© Crown copyright" or offers the Open Government Licence unless the operator sets it."""

import importlib
import os
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SETTINGS_NAMES = ("SERVICE_OPERATOR", "FOOTER_COPYRIGHT", "FOOTER_COPYRIGHT_URL", "FOOTER_LICENCE_TEXT",
                  "FOOTER_LICENCE_URL", "SUPPORT_EMAIL", "SUPPORT_PHONE", "FEEDBACK_URL")
DEFAULTS = {"SERVICE_OPERATOR": "ISA Portal", **{name: "" for name in SETTINGS_NAMES[1:]}}
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def footer(body: str) -> str:
    return body[body.index('<footer class="govuk-template__footer">'):body.index("</footer>")]


def banner(body: str) -> str:
    start = body.index('<span class="govuk-phase-banner__text">')
    return body[start:body.index("</span>", start)]


def test_the_settings_default_to_isa_portal_with_nothing_else_set():
    names = {name: "" for name in SETTINGS_NAMES}
    with mock.patch.dict(os.environ, names):
        from isa_portal import settings as module
        read = {name: getattr(importlib.reload(module), name) for name in SETTINGS_NAMES}
    importlib.reload(module)
    assert read == DEFAULTS


def test_the_settings_are_read_from_the_environment():
    values = {"SERVICE_OPERATOR": "Ashdown District Council", "SUPPORT_EMAIL": "isa@ashdown.example",
              "FEEDBACK_URL": "mailto:feedback@ashdown.example"}
    with mock.patch.dict(os.environ, values):
        from isa_portal import settings as module
        read = {name: getattr(importlib.reload(module), name) for name in values}
    importlib.reload(module)
    assert read == values


@override_settings(**DEFAULTS)
def test_by_default_the_footer_says_nothing_of_the_crown_or_a_licence(client):
    body = client.get(reverse("privacy")).content.decode()
    assert "Crown" not in body
    assert "Open Government Licence" not in body
    assert "licence" not in footer(body).lower()
    assert "© ISA Portal" in footer(body)
    assert "Help with this service" not in footer(body)


@override_settings(**DEFAULTS)
def test_by_default_the_phase_banner_does_not_ask_for_feedback(client):
    text = banner(client.get(reverse("privacy")).content.decode())
    assert "This is a new service." in text
    assert "feedback" not in text.lower()
    assert "<a " not in text


@override_settings(**{**DEFAULTS, "SERVICE_OPERATOR": "Ashdown District Council"})
def test_the_copyright_line_names_the_operator(client):
    assert "© Ashdown District Council" in footer(client.get(reverse("privacy")).content.decode())


@override_settings(**{**DEFAULTS, "FOOTER_COPYRIGHT": "© Crown copyright",
                      "FOOTER_COPYRIGHT_URL": "https://www.nationalarchives.gov.uk/crown-copyright/",
                      "FOOTER_LICENCE_TEXT": "All content is available under the Open Government Licence v3.0",
                      "FOOTER_LICENCE_URL": OGL})
def test_crown_copyright_and_the_licence_appear_only_when_set(client):
    text = footer(client.get(reverse("privacy")).content.decode())
    assert ('<a class="govuk-footer__link" href="https://www.nationalarchives.gov.uk/crown-copyright/">'
            "© Crown copyright</a>") in text
    assert (f'<a class="govuk-footer__link" href="{OGL}" rel="license">'
            "All content is available under the Open Government Licence v3.0</a>") in text


@override_settings(**{**DEFAULTS, "SUPPORT_EMAIL": "isa-support@ashdown.example", "SUPPORT_PHONE": "01234 567890"})
def test_the_support_contact_is_in_the_footer_and_on_the_help_page(client):
    text = footer(client.get(reverse("privacy")).content.decode())
    assert "Help with this service:" in text
    assert '<a class="govuk-footer__link" href="mailto:isa-support@ashdown.example">isa-support@ashdown.example</a>' \
        in text
    assert "telephone 01234 567890" in text
    help_page = client.get(reverse("help")).content.decode()
    assert "Telephone: 01234 567890" in help_page
    assert 'href="mailto:isa-support@ashdown.example"' in help_page


@pytest.mark.parametrize("address", ["https://forms.ashdown.example/isa-feedback", "mailto:isa@ashdown.example"])
def test_the_phase_banner_links_to_the_feedback_address_when_set(client, address):
    with override_settings(**{**DEFAULTS, "FEEDBACK_URL": address}):
        text = banner(client.get(reverse("privacy")).content.decode())
    assert ("This is a new service. Help us improve it and "
            f'<a class="govuk-link" href="{address}">give your feedback</a>.') in text


@override_settings(**{**DEFAULTS, "FEEDBACK_URL": "javascript:alert(1)", "FOOTER_LICENCE_URL": "javascript:x"})
def test_an_address_that_is_not_a_web_or_mailto_address_is_not_linked(client):
    body = client.get(reverse("privacy")).content.decode()
    assert "javascript:" not in body
    assert "feedback" not in banner(body).lower()


@override_settings(**{**DEFAULTS, "SERVICE_OPERATOR": "Ashdown District Council"})
def test_the_help_page_says_who_runs_the_service(client):
    assert "<p class=\"govuk-body\">This service is run by Ashdown District Council.</p>" in \
        client.get(reverse("help")).content.decode()


@override_settings(**DEFAULTS)
def test_the_default_operator_is_not_said_to_run_itself(client):
    assert "This service is run by" not in client.get(reverse("help")).content.decode()
