from urllib.parse import urlsplit

from .models import IdentityProvider


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider of the organisation whose e-mail domain ``email`` is at, if any."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for provider in IdentityProvider.objects.filter(enabled=True, email_domains__icontains=domain).select_related(
        "organisation",
    ):
        if domain in provider.domains:
            return provider
    return None


def provider_enabled(pk) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(pk=pk, enabled=True).select_related("organisation").first()


def provider_origins() -> list[str]:
    """The origins (scheme, host, port) of every enabled provider's issuer, each once."""
    origins = set()
    for issuer in IdentityProvider.objects.filter(enabled=True).values_list("issuer", flat=True):
        parts = urlsplit(issuer)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
