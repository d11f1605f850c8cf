"""The OpenID Connect client, one per organisation's provider (Authlib; docs/decisions/0060).

Authlib does the protocol: the authorisation request with ``state``, ``nonce`` and PKCE (kept in
the session), the code exchange, and the ID token's checks (signature against the provider's
JWKS, issuer, audience, expiry, nonce). The provider's discovery document is read here, once, and
kept in Django's cache for ``SSO_METADATA_CACHE_SECONDS`` (decision 0060, amendment of
2026-12-07): a sign-in does not wait on it each time.
"""

import hashlib

import requests
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.cache import cache
from joserfc.errors import JoseError

from .models import IdentityProvider

# What can go wrong between the portal and a provider: the provider said no, a check of the token
# failed, or the provider could not be reached.
SIGN_IN_FAILED = (OAuthError, JoseError, requests.RequestException, KeyError, ValueError)


def metadata_url(provider: IdentityProvider) -> str:
    return provider.issuer.rstrip("/") + "/.well-known/openid-configuration"


def server_metadata(provider: IdentityProvider) -> dict:
    """The provider's discovery document: from Django's cache, or fetched and kept there. Keyed by
    its address, so that a changed issuer is read afresh; a failed fetch is not kept."""
    url = metadata_url(provider)
    key = "sso:metadata:" + hashlib.sha256(url.encode()).hexdigest()
    metadata = cache.get(key)
    if metadata is None:
        response = requests.get(url, timeout=10, headers={"Accept": "application/json"})
        response.raise_for_status()
        metadata = response.json()
        if not isinstance(metadata, dict) or not metadata.get("authorization_endpoint"):
            raise ValueError("not an OpenID Connect discovery document")
        cache.set(key, metadata, settings.SSO_METADATA_CACHE_SECONDS)
    return metadata


def client_for(provider: IdentityProvider):
    # The metadata is given to Authlib as it stands (no server_metadata_url): Authlib would
    # otherwise fetch it again for every client it makes.
    return OAuth().register(
        name=f"idp{provider.pk}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
        **server_metadata(provider),
    )


def end_session_url(*, endpoint: str, provider: IdentityProvider, id_token: str, post_logout_redirect_uri: str) -> str:
    """Where to send a person to sign out at the provider (OpenID Connect RP-Initiated Logout 1.0):
    the ID token it gave as the hint of who, and the portal's signed-out page to come back to."""
    return add_params_to_uri(endpoint, [
        ("id_token_hint", id_token),
        ("client_id", provider.client_id),
        ("post_logout_redirect_uri", post_logout_redirect_uri),
    ])
