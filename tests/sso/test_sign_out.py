"""Signing out at the organisation's provider too (OpenID Connect RP-initiated logout; decision
0060, amendment of 2026-12-07), against the real test provider. One ``requests.Session`` plays the
person's browser at the provider, so that its own session can be seen to end, or not."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from sso.views import PROVIDER_SIGN_OUT_KEY
from tests.auth import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.oidc_provider import asks_for_login, sign_out_at_provider, unique

from .helpers import PROVIDER_PASSWORD, SIGNED_OUT, sso_sign_in

pytestmark = pytest.mark.django_db(transaction=False)


def member(provider, email: str):
    user = UserFactory(email=email)
    MembershipFactory(user=user, organisation=provider.organisation)
    return user


def form_action(response) -> list[str]:
    header = response["Content-Security-Policy"]
    return next(part.split()[1:] for part in header.split(";") if part.split()[0] == "form-action")


def test_signing_out_ends_the_portal_session_then_the_providers_and_comes_back_signed_out(
    oidc_provider, configure, caplog,
):
    caplog.set_level(logging.DEBUG)
    provider = configure("lakey-hill.example", sign_out_at_provider=True)
    member(provider, "kenton@lakey-hill.example")
    login = oidc_provider.add_account(login=unique("kenton"), password=PROVIDER_PASSWORD,
                                      email="kenton@lakey-hill.example", amr=["mfa"])
    client, browser = Client(), requests.Session()
    assert sso_sign_in(client, email="kenton@lakey-hill.example", login=login, browser=browser)["Location"] == "/"
    id_token = client.session[PROVIDER_SIGN_OUT_KEY]["id_token"]
    assert id_token.count(".") == 2  # a JWT, as the provider gave it

    response = client.post(reverse("logout"))

    # The ID token was kept in the session only: nothing the portal did, signing in or out, wrote
    # it to a log (from here on the test's own "browser" carries it to the provider, and logs it).
    assert id_token not in caplog.text
    # The portal's session is over before the person leaves for the provider.
    assert "_auth_user_id" not in client.session and PROVIDER_SIGN_OUT_KEY not in client.session
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    # On to the end_session_endpoint the provider's discovery document names.
    discovery = requests.get(f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=10).json()
    location = urlsplit(response["Location"])
    assert response.status_code == 302
    assert f"{location.scheme}://{location.netloc}{location.path}" == discovery["end_session_endpoint"]
    assert parse_qs(location.query) == {
        "id_token_hint": [id_token], "client_id": [provider.client_id], "post_logout_redirect_uri": [SIGNED_OUT],
    }
    # The provider signs the person out and sends them back to the portal's signed-out page.
    back = sign_out_at_provider(response["Location"], browser=browser)
    assert back == SIGNED_OUT
    page = client.get(back.removeprefix("http://testserver"))
    assert page.status_code == 200 and "You have signed out" in page.content.decode()
    # The provider no longer remembers them: signing in again asks for its login.
    again = client.post(reverse("sso_sign_in"), {"email": "kenton@lakey-hill.example"})
    assert asks_for_login(again["Location"], browser=browser)


def test_off_by_default_signing_out_leaves_the_provider_signed_in(oidc_provider, configure):
    provider = configure("sawyers-farm.example")
    assert provider.sign_out_at_provider is False
    member(provider, "roy@sawyers-farm.example")
    login = oidc_provider.add_account(login=unique("roy"), password=PROVIDER_PASSWORD,
                                      email="roy@sawyers-farm.example", amr=["mfa"])
    client, browser = Client(), requests.Session()
    sso_sign_in(client, email="roy@sawyers-farm.example", login=login, browser=browser)
    assert PROVIDER_SIGN_OUT_KEY not in client.session  # no ID token kept when it is not needed

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session
    # The provider still remembers them (at Microsoft Entra ID: still signed in to Microsoft 365).
    again = client.post(reverse("sso_sign_in"), {"email": "roy@sawyers-farm.example"})
    assert not asks_for_login(again["Location"], browser=browser)


@pytest.mark.parametrize("change", ["sign_out_turned_off", "provider_disabled"])
def test_a_provider_changed_since_sign_in_signs_out_of_the_portal_only(oidc_provider, configure, change):
    provider = configure(f"{change.replace('_', '-')}.example", sign_out_at_provider=True)
    member(provider, f"jolene@{provider.email_domains}")
    login = oidc_provider.add_account(login=unique("jolene"), password=PROVIDER_PASSWORD,
                                      email=f"jolene@{provider.email_domains}", amr=["mfa"])
    client = Client()
    sso_sign_in(client, email=f"jolene@{provider.email_domains}", login=login)
    assert PROVIDER_SIGN_OUT_KEY in client.session
    if change == "sign_out_turned_off":
        provider.sign_out_at_provider = False
    else:
        provider.enabled = False
    provider.save()

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session


def test_a_password_sign_in_signs_out_as_before(client, configure):
    configure("the-bull.example", sign_out_at_provider=True)
    sign_in(client, UserFactory())
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_only_a_session_that_signs_out_at_its_provider_may_send_the_sign_out_form_there(oidc_provider, configure):
    provider = configure("home-farm-shop.example", sign_out_at_provider=True)
    member(provider, "adam@home-farm-shop.example")
    login = oidc_provider.add_account(login=unique("adam"), password=PROVIDER_PASSWORD,
                                      email="adam@home-farm-shop.example", amr=["mfa"])
    client = Client()
    assert form_action(client.get(reverse("login"))) == ["'self'"]
    sso_sign_in(client, email="adam@home-farm-shop.example", login=login)

    assert form_action(client.get(reverse("home"))) == ["'self'", oidc_provider.issuer]
    assert form_action(Client().get(reverse("login"))) == ["'self'"]
    client.post(reverse("logout"))
    assert form_action(client.get(reverse("login"))) == ["'self'"]
