"""Telling people things: in the portal at once, by e-mail when the write commits."""

import pytest
from django.core import mail
from django.db import transaction

from partners.selectors import notifications_for
from partners.services import notification_mark_read, notification_send
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_contact_gets_a_notification_and_an_email_after_commit(django_capture_on_commit_callbacks):
    first = ContactFactory(name="Amrit Vale", email="amrit.vale@borsetshire.example")
    second = ContactFactory(name="Carys Penhallow", email="carys.penhallow@felpersham.example")

    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(
            contacts=[first, second, first], subject="A partner has joined",
            body="Felpersham Homes has joined the agreement.", url="/agreements/1/",
        )
        assert mail.outbox == []  # nothing leaves before the write commits

    assert [n.recipient for n in sent] == [first, second]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "amrit.vale@borsetshire.example", "carys.penhallow@felpersham.example",
    ]
    message = next(m for m in mail.outbox if m.to == ["amrit.vale@borsetshire.example"])
    assert message.subject == "ISA Portal: A partner has joined"
    assert message.body.startswith("Dear Amrit Vale,\n\nFelpersham Homes has joined the agreement.")
    assert "http://127.0.0.1:8000/agreements/1/" in message.body
    assert all(n.emailed_at is not None for n in first.notifications.all())


def test_a_failed_write_emails_nobody(django_capture_on_commit_callbacks):
    contact = ContactFactory(email="amrit.vale@borsetshire.example")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notification_send(contacts=[contact], subject="Withdrawal", body="…")
        raise RuntimeError("the write failed")

    assert mail.outbox == []
    assert contact.notifications.count() == 0


def test_a_contact_without_an_address_is_told_in_the_portal_only(django_capture_on_commit_callbacks):
    contact = ContactFactory(email="")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(contacts=[contact], subject="Review due", body="…")

    assert mail.outbox == []
    assert contact.notifications.get().emailed_at is None


def test_the_same_event_is_never_sent_twice(django_capture_on_commit_callbacks):
    contact = ContactFactory(email="amrit.vale@borsetshire.example")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(contacts=[contact], subject="Review due in 30 days", body="…", event_key="review:7:30")
        again = notification_send(
            contacts=[contact], subject="Review due in 30 days", body="…", event_key="review:7:30",
        )

    assert again == []
    assert len(mail.outbox) == 1


def test_the_inbox_holds_only_the_signed_in_persons_notifications():
    user = UserFactory()
    mine = ContactFactory(user=user)
    notification_send(contacts=[mine, ContactFactory()], subject="Signature needed", body="…")

    assert [n.recipient for n in notifications_for(user)] == [mine]


def test_reading_a_notification_records_when():
    contact = ContactFactory()
    (notification,) = notification_send(contacts=[contact], subject="Signature needed", body="…")

    notification_mark_read(notification=notification)
    first_read = notification.read_at
    notification_mark_read(notification=notification)

    assert first_read is not None
    assert notification.read_at == first_read
