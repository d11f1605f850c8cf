"""Issue 14, item 5: links in e-mails are built from SITE_URL, which production must set to an
https address: ``manage.py check --deploy`` warns otherwise (isa_portal.W001)."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from isa_portal.checks import SITE_URL_HINT, site_url_check


def w001(**settings) -> list:
    with override_settings(**settings):
        return [message for message in run_checks(include_deployment_checks=True) if message.id == "isa_portal.W001"]


def test_production_without_a_site_url_is_warned():
    [warning] = w001(DEBUG=False, SITE_URL="")

    assert warning.msg == "SITE_URL is not set: links in e-mails would lead nowhere."
    assert warning.hint == SITE_URL_HINT


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000", "http://isa.example.gov.uk", "isa.example.gov.uk",
                                      "https://"])
def test_production_with_a_site_url_that_is_not_https_is_warned(site_url):
    [warning] = w001(DEBUG=False, SITE_URL=site_url)

    assert warning.msg == f"SITE_URL ({site_url}) is not an https address: links in e-mails must use https."


def test_production_with_an_https_site_url_passes():
    assert w001(DEBUG=False, SITE_URL="https://isa.example.gov.uk") == []


def test_a_developers_machine_is_not_warned():
    assert w001(DEBUG=True, SITE_URL="http://127.0.0.1:8000") == []


def test_it_is_a_deployment_check_only():
    with override_settings(DEBUG=False, SITE_URL=""):
        assert "isa_portal.W001" not in {message.id for message in run_checks()}
        assert site_url_check(None)[0].id == "isa_portal.W001"
