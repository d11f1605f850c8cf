from tests.oidc_provider import oidc_provider  # noqa: F401  (the real provider, session-scoped)
