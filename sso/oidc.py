"""The OpenID Connect client, one per organisation's provider (Authlib; docs/decisions/0060).

Authlib does the protocol: discovery, the authorisation request with ``state``, ``nonce`` and PKCE
(kept in the session), the code exchange, and the ID token's checks (signature against the
provider's JWKS, issuer, audience, expiry, nonce).
"""

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from joserfc.errors import JoseError

from .models import IdentityProvider

# What can go wrong between the portal and a provider: the provider said no, a check of the token
# failed, or the provider could not be reached.
SIGN_IN_FAILED = (OAuthError, JoseError, requests.RequestException, KeyError, ValueError)


def client_for(provider: IdentityProvider):
    return OAuth().register(
        name=f"idp{provider.pk}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
    )
