"""The provider's discovery document is read once and kept in Django's cache for
``SSO_METADATA_CACHE_SECONDS`` (decision 0060, amendment of 2026-12-07), not on every sign-in.
The real test provider counts how many times it is read."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from sso.oidc import server_metadata
from tests.factories import MembershipFactory, UserFactory
from tests.oidc_provider import unique

from .helpers import PROVIDER_PASSWORD, sso_sign_in

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def nothing_cached():
    cache.clear()
    yield
    cache.clear()


def sign_ins(oidc_provider, provider, count: int) -> None:
    user = UserFactory(email=f"{unique('pip')}@{provider.email_domains}")
    MembershipFactory(user=user, organisation=provider.organisation)
    login = oidc_provider.add_account(login=unique("pip"), password=PROVIDER_PASSWORD, email=user.email, amr=["mfa"])
    for _ in range(count):
        assert sso_sign_in(Client(), email=user.email, login=login)["Location"] == "/"


def test_three_sign_ins_read_the_discovery_document_once(oidc_provider, configure, nothing_cached):
    provider = configure("bridge-farm.example")
    before = oidc_provider.discovery_fetches()

    sign_ins(oidc_provider, provider, 3)

    assert oidc_provider.discovery_fetches() - before == 1


def test_without_the_cache_each_sign_in_reads_it_at_both_ends(oidc_provider, configure, nothing_cached, settings):
    settings.SSO_METADATA_CACHE_SECONDS = 0  # Django's cache keeps nothing for 0 seconds
    provider = configure("april-cottage.example")
    before = oidc_provider.discovery_fetches()

    sign_ins(oidc_provider, provider, 2)

    assert oidc_provider.discovery_fetches() - before == 4  # the way out to the provider, and the way back


def test_the_document_is_read_again_once_the_configured_time_has_passed(
    oidc_provider, configure, nothing_cached, settings,
):
    settings.SSO_METADATA_CACHE_SECONDS = 600
    provider = configure("keepers-cottage.example")
    before = oidc_provider.discovery_fetches()
    start = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert server_metadata(provider)["issuer"] == oidc_provider.issuer
        clock.shift(599)
        server_metadata(provider)
        assert oidc_provider.discovery_fetches() - before == 1
        clock.shift(2)
        server_metadata(provider)
        assert oidc_provider.discovery_fetches() - before == 2
