"""The e-mails the portal sends: each in plain text and in HTML in a simple GOV.UK style
(``templates/email/``), with links on the portal's public address (``SITE_URL``).

``notification_email_send`` e-mails one notification on its own; ``digest_email_send`` e-mails a
person's reminders of one daily run together (docs/decisions/0039); ``invitation_email_send`` and
``authenticator_reset_email_send`` e-mail a single-use link (decision 0045)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from govuk_blocks.dates import long_date


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


def _lower_first(label: str) -> str:
    """A role's label inside a sentence: "single point of contact (SPOC)", its acronym kept."""
    return label[:1].lower() + label[1:]


def _person(user) -> str:
    return user.get_full_name() or str(user)


def invitation_email_send(invitation, token: str) -> None:
    """The invitation's single-use link to join (only ever in this e-mail)."""
    email_send(
        to=invitation.email, subject=f"ISA Portal: join for {invitation.organisation}", template="invitation",
        context={"name": invitation.name, "inviter": _person(invitation.invited_by),
                 "organisation": invitation.organisation, "role": _lower_first(invitation.get_role_display()),
                 "purpose": invitation.purpose,
                 "expires": long_date(timezone.localdate(invitation.expires_at)),
                 "link": portal_url(reverse("join", args=[token]))},
    )


def authenticator_reset_email_send(reset, token: str) -> None:
    """The single-use link to set up an authenticator app again after ``reset``."""
    email_send(
        to=reset.user.email, subject="ISA Portal: set up your authenticator app again", template="authenticator_reset",
        context={"name": _person(reset.user), "manager": _person(reset.requested_by),
                 "expires": long_date(timezone.localdate(reset.expires_at)),
                 "link": portal_url(reverse("authenticator_reset_link", args=[token]))},
    )
