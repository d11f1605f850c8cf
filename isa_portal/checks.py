"""System checks of the deployment (``manage.py check --deploy``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

SITE_URL_HINT = (
    "Set SITE_URL in the environment to the portal's public https address, e.g. https://isa.example.gov.uk: "
    "every link in the portal's e-mails is built from it."
)


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """isa_portal.W001: in production (DEBUG off) SITE_URL must be set, to an https address."""
    if settings.DEBUG:
        return []
    site_url = getattr(settings, "SITE_URL", "")
    if not site_url:
        message = "SITE_URL is not set: links in e-mails would lead nowhere."
    elif urlsplit(site_url).scheme != "https" or not urlsplit(site_url).hostname:
        message = f"SITE_URL ({site_url}) is not an https address: links in e-mails must use https."
    else:
        return []
    return [Warning(message, hint=SITE_URL_HINT, id="isa_portal.W001")]
