"""The e-mails the portal sends: each in plain text and in HTML in a simple GOV.UK style
(``templates/email/``), with links on the portal's public address (``SITE_URL``).

``notification_email_send`` e-mails one notification on its own; ``digest_email_send`` e-mails a
person's reminders of one daily run together (docs/decisions/0039)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def portal_url(path: str) -> str:
    """``path`` as a link in an e-mail: on the portal's public address (``SITE_URL``)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def email_send(*, to: str, subject: str, template: str, context: dict) -> None:
    """Send ``templates/email/<template>.txt`` with its ``.html`` as the alternative."""
    context = {**context, "subject": subject, "portal_link": portal_url("/")}
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"email/{template}.txt", context), to=[to],
    )
    message.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    message.send()


def _item(notification) -> dict:
    return {"subject": notification.subject, "body": notification.body,
            "link": portal_url(notification.url) if notification.url else ""}


def notification_email_send(notification) -> None:
    email_send(
        to=notification.recipient.email, subject=f"ISA Portal: {notification.subject}", template="notification",
        context={"name": notification.recipient.name, "item": _item(notification)},
    )


def digest_subject(count: int) -> str:
    return f"ISA Portal: {count} thing{'' if count == 1 else 's'} due today"


def digest_email_send(recipient, notifications) -> None:
    """One e-mail to ``recipient`` listing each of ``notifications`` with its link."""
    email_send(
        to=recipient.email, subject=digest_subject(len(notifications)), template="digest",
        context={"name": recipient.name, "items": [_item(notification) for notification in notifications]},
    )
