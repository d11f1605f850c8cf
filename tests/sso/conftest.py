import itertools

import pytest

from sso.models import IdentityProvider
from tests.factories import OrganisationFactory
from tests.oidc_provider import oidc_provider  # noqa: F401  (the real provider, session-scoped)

from .helpers import CALLBACK, SIGNED_OUT

_variables = itertools.count()


@pytest.fixture
def configure(oidc_provider, monkeypatch):  # noqa: F811
    """An organisation whose people sign in at the test provider, by ``domain``. The portal is
    registered there with its callback and its signed-out page."""

    def make(domain: str, **fields) -> IdentityProvider:
        client_id, secret = oidc_provider.register_client(CALLBACK, post_logout_redirect_uri=SIGNED_OUT)
        variable = f"SSO_TEST_SECRET_{next(_variables)}"
        monkeypatch.setenv(variable, secret)
        return IdentityProvider.objects.create(
            organisation=fields.pop("organisation", None) or OrganisationFactory(), email_domains=domain,
            issuer=oidc_provider.issuer, client_id=client_id, client_secret_variable=variable, **fields,
        )

    return make
