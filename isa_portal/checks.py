"""System checks of the deployment (``manage.py check --deploy``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

from .notify_email import BACKEND as NOTIFY_BACKEND
from .notify_email import notify_settings_problems

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


NOTIFY_HINT = (
    "Set NOTIFY_API_KEY to a live API key of your Notify service, and NOTIFY_TEMPLATE_ID to the id of an "
    "e-mail template whose subject is ((subject)) and whose message is ((body)) (docs/decisions/0045)."
)


@register(Tags.security, deploy=True)
def notify_check(app_configs, **kwargs):
    """isa_portal.W002: GOV.UK Notify chosen as the e-mail backend without what it needs to send."""
    if settings.EMAIL_BACKEND != NOTIFY_BACKEND:
        return []
    problems = notify_settings_problems(settings.NOTIFY_API_KEY, settings.NOTIFY_TEMPLATE_ID)
    if not problems:
        return []
    return [Warning(f"E-mail goes through GOV.UK Notify, but {'; '.join(problems)}: no e-mail would be sent.",
                    hint=NOTIFY_HINT, id="isa_portal.W002")]
