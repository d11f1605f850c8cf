"""Issue 14, item 5: the portal's e-mails, plain text and HTML, delivered through a real SMTP
server (aiosmtpd on 127.0.0.1), not only Django's in-memory outbox (docs/decisions/0039)."""

import email
import re
import socket
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape

from govuk_blocks.dates import long_date
from partners.models import Invitation, Notification, Role
from partners.services import authenticator_reset, invitation_send, notification_digests_send, notification_send
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.original_content, policy=default)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A local SMTP server on a free port, with Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port, EMAIL_USE_TLS=False, EMAIL_USE_SSL=False, EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="", EMAIL_TIMEOUT=10, SITE_URL="https://isa.example.gov.uk",
        ):
            yield inbox
    finally:
        controller.stop()


def parts(message) -> tuple[str, str]:
    """The plain text and HTML parts, with SMTP's CRLF line ends read as newlines."""
    return tuple(message.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))


def test_a_notification_arrives_over_smtp_in_plain_text_and_html(smtp_server, django_capture_on_commit_callbacks):
    contact = ContactFactory(name="Amrit Vale", email="amrit.vale@borsetshire.example")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(contacts=[contact], subject="Felpersham Homes has joined BCSP ISA",
                          body="Felpersham Homes has joined the agreement & signed it.", url="/agreements/1/")

    [(sender, recipients, message)] = smtp_server.messages
    assert recipients == ["amrit.vale@borsetshire.example"]
    assert "no-reply@isa-portal.example" in sender
    assert message["Subject"] == "ISA Portal: Felpersham Homes has joined BCSP ISA"
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    assert text.startswith("Dear Amrit Vale,\n\nFelpersham Homes has joined the agreement & signed it.")
    assert "https://isa.example.gov.uk/agreements/1/" in text
    assert "127.0.0.1" not in text + html
    assert "<h2" in html and "Felpersham Homes has joined BCSP ISA</h2>" in html
    assert "joined the agreement &amp; signed it." in html  # escaped in HTML, as written in text
    assert 'href="https://isa.example.gov.uk/agreements/1/"' in html
    assert contact.notifications.get().emailed_at is not None


def test_a_digest_arrives_over_smtp_as_one_message_in_plain_text_and_html(smtp_server):
    contact = ContactFactory(name="Alex Example", email="alex.example@borsetshire.example")
    for number in range(1, 4):
        Notification.objects.create(recipient=contact, subject=f"Felpersham Parish Council {number} has not yet signed",
                                    body="Read it and sign it in the portal.", url=f"/agreements/{number}/signatures/",
                                    in_digest=True)

    assert notification_digests_send() == 1

    [(_, recipients, message)] = smtp_server.messages
    assert recipients == ["alex.example@borsetshire.example"]
    assert message["Subject"] == "ISA Portal: 3 things due today"
    text, html = parts(message)
    for number in range(1, 4):
        assert f"{number}. Felpersham Parish Council {number} has not yet signed" in text
        assert f"https://isa.example.gov.uk/agreements/{number}/signatures/" in text
        assert f"Felpersham Parish Council {number} has not yet signed</h2>" in html
        assert f'href="https://isa.example.gov.uk/agreements/{number}/signatures/"' in html
    assert html.count("<li") == 3
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_reminder_waiting_for_the_digest_is_not_emailed_on_its_own(smtp_server, django_capture_on_commit_callbacks):
    contact = ContactFactory(email="alex.example@borsetshire.example")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(contacts=[contact], subject="The review is due in 7 days", body="…", in_digest=True)

    assert smtp_server.messages == []
    assert contact.notifications.get().emailed_at is None


def test_an_invitation_arrives_over_smtp_in_plain_text_and_html(smtp_server, roles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(organisation=roles.owner, name="Ruth Archer", email="ruth.archer@police.example",
                        role=Role.SPOC, by_user=roles.governance_manager)

    [(_, recipients, message)] = smtp_server.messages
    assert recipients == ["ruth.archer@police.example"]
    assert message["Subject"] == f"ISA Portal: join for {roles.owner}"
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    inviter = roles.governance_manager.get_full_name() or roles.governance_manager.username
    link = re.search(r"https://isa\.example\.gov\.uk/join/\S+/", text).group(0)
    expires = long_date(timezone.localdate(Invitation.objects.get().expires_at))
    assert text.startswith(
        f"Dear Ruth Archer,\n\n{inviter} has asked you to join ISA Portal for {roles.owner} as single point of "
        f"contact (SPOC).\n\nSet your password and your authenticator app here (the link works once, until "
        f"{expires}):\n{link}\n\nIf you were not expecting this, ignore it.\n"
    )
    assert "Dear Ruth Archer,</p>" in html
    assert f"Join ISA Portal for {escape(str(roles.owner))}</h2>" in html
    assert f'href="{link}"' in html
    assert "If you were not expecting this, ignore it." in html
    assert "You can see all your notifications" not in text + html  # they have no login yet


def test_an_authenticator_reset_arrives_over_smtp_in_plain_text_and_html(
    smtp_server, roles, django_capture_on_commit_callbacks,
):
    person = roles.practitioner
    person.email = "pat.practitioner@council.example"
    person.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        reset = authenticator_reset(user=person, by_user=roles.governance_manager)

    [(_, recipients, message)] = smtp_server.messages
    assert recipients == ["pat.practitioner@council.example"]
    assert message["Subject"] == "ISA Portal: set up your authenticator app again"
    text, html = parts(message)
    manager = roles.governance_manager.get_full_name() or roles.governance_manager.username
    link = re.search(r"https://isa\.example\.gov\.uk/account/authenticator/reset/\S+/", text).group(0)
    expires = long_date(timezone.localdate(reset.expires_at))
    assert text.startswith(
        f"Dear {person.get_full_name() or person.username},\n\n{manager} has reset the authenticator app and backup "
        "codes of your ISA Portal login. Your old codes no longer work.\n\nSet up your app again here, with your "
        f"password (the link works once, until {expires}):\n{link}\n\nIf you did not ask for this, tell your "
        "organisation's governance manager at once.\n"
    )
    assert "Set up your authenticator app again</h2>" in html
    assert f'href="{link}"' in html
    assert "tell your organisation's governance manager at once.</p>" in html
    assert "You can see all your notifications" not in html  # signing in needs the app set up first
