"""What the single sign-on tests share: the portal's addresses as the test client sees them, and
signing in through the real test provider (tests/oidc_provider.py)."""

import requests
from django.test import Client
from django.urls import reverse

from tests.oidc_provider import sign_in_at_provider

CALLBACK = "http://testserver/sign-in/organisation/callback/"
SIGNED_OUT = "http://testserver/sign-out/done/"
PROVIDER_PASSWORD = "correct horse"  # noqa: S105  (the test provider's, for fictional people)


def sso_sign_in(client: Client, *, email: str, login: str, password: str = PROVIDER_PASSWORD,
                browser: requests.Session | None = None):
    """Sign in through the provider: the e-mail page, the provider's login form (in ``browser``, if
    given, so that the provider's own session is kept there), and back to the portal's callback."""
    response = client.post(reverse("sso_sign_in"), {"email": email})
    assert response.status_code == 302, response.content
    back = sign_in_at_provider(response["Location"], login=login, password=password, redirect_uri=CALLBACK,
                               browser=browser)
    return client.get(back.removeprefix("http://testserver"))
