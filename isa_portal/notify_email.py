"""GOV.UK Notify as the portal's e-mail backend, through Notify's own Python client
(``notifications-python-client``; docs/decisions/0045).

Every e-mail goes through one generic Notify e-mail template whose subject is ``((subject))`` and
whose message is ``((body))``: the portal writes its e-mails (``templates/email/*.txt``) and Notify
only carries them, in its own GOV.UK layout. So no wording is kept in two places, and a new e-mail
needs no new template in Notify. The HTML alternative is not sent: Notify makes the HTML itself.

Selected with ``EMAIL_BACKEND=isa_portal.notify_email.NotifyEmailBackend`` (the default when
``NOTIFY_API_KEY`` is set), with ``NOTIFY_API_KEY`` and ``NOTIFY_TEMPLATE_ID``; ``NOTIFY_BASE_URL``
(Notify's API, by default) and ``NOTIFY_REPLY_TO_ID`` (a reply-to address set up in Notify) are
optional. A message Notify refuses (400, 403, 429, 500 …) or that cannot reach it raises, as
Django's SMTP backend does when the mail server refuses one, unless ``fail_silently``: the
notification keeps no ``emailed_at`` and a digest waits for the next run.
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

BACKEND = "isa_portal.notify_email.NotifyEmailBackend"
NOTIFY_API_URL = "https://api.notifications.service.gov.uk"
# Notify's limit on a personalisation value is far above the portal's longest digest; the
# template's placeholders are named here once.
SUBJECT, BODY = "subject", "body"


def notify_settings_problems(api_key: str, template_id: str) -> list[str]:
    """What stops Notify from sending with these settings, in words for the deployment check."""
    problems = []
    if not api_key:
        problems.append("NOTIFY_API_KEY is not set")
    elif len(api_key) < 74:
        problems.append("NOTIFY_API_KEY is not a whole Notify API key (name, service id and secret)")
    if not template_id:
        problems.append("NOTIFY_TEMPLATE_ID is not set")
    return problems


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each recipient of a message as one Notify e-mail notification."""

    def __init__(self, *, api_key=None, template_id=None, base_url=None, reply_to_id=None, fail_silently=False,
                 **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key if api_key is not None else getattr(settings, "NOTIFY_API_KEY", "")
        self.template_id = template_id if template_id is not None else getattr(settings, "NOTIFY_TEMPLATE_ID", "")
        self.base_url = base_url or getattr(settings, "NOTIFY_BASE_URL", "") or NOTIFY_API_URL
        self.reply_to_id = reply_to_id if reply_to_id is not None else getattr(settings, "NOTIFY_REPLY_TO_ID", "")
        self._client = None

    def _notify_client(self):
        # Imported here: the client (and requests) load only in a process that sends through Notify,
        # not in every process that merely runs the deployment check.
        from notifications_python_client.notifications import NotificationsAPIClient

        if self._client is None:
            problems = notify_settings_problems(self.api_key, self.template_id)
            if problems:
                raise ImproperlyConfigured(f"GOV.UK Notify cannot send: {'; '.join(problems)}.")
            self._client = NotificationsAPIClient(self.api_key, base_url=self.base_url)
        return self._client

    def send_messages(self, email_messages) -> int:
        """Send each message to each of its recipients; how many messages were sent whole.

        A refusal stops the batch and raises (``APIError``, with Notify's status code), unless
        ``fail_silently``; the log names the status code alone, never the address or the text."""
        from notifications_python_client.errors import APIError

        sent = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            try:
                client = self._notify_client()
                for address in recipients:
                    client.send_email_notification(
                        email_address=address, template_id=self.template_id,
                        personalisation={SUBJECT: message.subject, BODY: message.body},
                        email_reply_to_id=self.reply_to_id or None,
                    )
            except (APIError, ImproperlyConfigured) as error:
                status = getattr(error, "status_code", "not configured")
                logger.error("GOV.UK Notify did not send an e-mail: %s", status)
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent
