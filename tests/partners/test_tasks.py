"""E-mails as background tasks (partners/tasks.py, docs/decisions/0050): with the database backend a
write only asks for the e-mail, a worker sends it, and a refused e-mail is tried again later; with
the immediate backend (``make run``, the rest of the suite) it goes when the write commits, and a
refusal is logged, never an error page."""

import datetime
import logging
import smtplib

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from partners import tasks
from partners.models import AuthenticatorReset, Invitation, Role
from partners.selectors import link_token_hash
from partners.services import authenticator_reset, invitation_send, notification_send
from tests.factories import ContactFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _contact():
    return ContactFactory(name="Amrit Vale", email="amrit.vale@borsetshire.example")


def _tell(contact):
    with transaction.atomic():
        return notification_send(contacts=[contact], subject="A partner has joined",
                                 body="Felpersham Homes has joined.")


def _refuse_once(monkeypatch):
    """The mail server refuses the next e-mail, then takes them again."""
    real, refused = tasks.notification_email_send, []

    def send(notification):
        if not refused:
            refused.append(notification.pk)
            raise smtplib.SMTPRecipientsRefused({notification.recipient.email: (550, b"No such user")})
        real(notification)

    monkeypatch.setattr(tasks, "notification_email_send", send)
    return refused


class TestWithTheDatabaseBackend:
    def test_the_write_asks_for_the_email_and_a_worker_sends_it(self, database_tasks):
        contact = _contact()

        [notification] = _tell(contact)

        assert mail.outbox == []
        task = DBTaskResult.objects.get()
        assert (task.task_path, task.status) == ("partners.tasks.notification_email", TaskResultStatus.READY)
        assert task.args_kwargs == {"args": [notification.pk], "kwargs": {}}

        database_tasks()

        assert [message.to for message in mail.outbox] == [["amrit.vale@borsetshire.example"]]
        assert mail.outbox[0].subject == "ISA Portal: A partner has joined"
        notification.refresh_from_db()
        assert notification.emailed_at is not None
        assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL

    def test_a_write_that_fails_asks_for_nothing(self, database_tasks):
        contact = _contact()

        with pytest.raises(RuntimeError), transaction.atomic():
            notification_send(contacts=[contact], subject="Withdrawal", body="…")
            raise RuntimeError("the write failed")

        assert not DBTaskResult.objects.exists()

    def test_a_refused_email_is_tried_again_later(self, database_tasks, monkeypatch, caplog):
        contact = _contact()
        refused = _refuse_once(monkeypatch)
        with time_machine.travel(NOW, tick=False):
            [notification] = _tell(contact)

            with caplog.at_level(logging.ERROR, logger="partners.tasks"):
                database_tasks()

            assert refused == [notification.pk]
            assert mail.outbox == []
            assert [record.getMessage() for record in caplog.records if record.name == "partners.tasks"] == [
                f"Sending the e-mail of notification {notification.pk} failed on attempt 1 "
                "(SMTPRecipientsRefused); it will be retried",
            ]
            first, retry = DBTaskResult.objects.order_by("enqueued_at", "status")
            assert first.status == TaskResultStatus.FAILED
            # The worker keeps the failure's traceback: the kind of error, not the refused address.
            assert first.exception_class_path == "partners.tasks.TaskFailed"
            assert "SMTPRecipientsRefused" in first.traceback
            assert "amrit.vale" not in first.traceback
            assert retry.status == TaskResultStatus.READY
            assert retry.args_kwargs == {"args": [notification.pk], "kwargs": {"attempt": 2}}
            assert retry.run_after == NOW + datetime.timedelta(minutes=1)

            database_tasks()  # not due yet
            assert mail.outbox == []

        with time_machine.travel(NOW + datetime.timedelta(minutes=1, seconds=1), tick=False):
            database_tasks()

        assert [message.to for message in mail.outbox] == [["amrit.vale@borsetshire.example"]]
        notification.refresh_from_db()
        assert notification.emailed_at is not None
        assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL

    def test_the_last_attempt_gives_up(self, database_tasks, monkeypatch, caplog):
        contact = _contact()
        monkeypatch.setattr(tasks, "notification_email_send", _refuse_always)
        [notification] = _tell(contact)
        DBTaskResult.objects.all().delete()

        with caplog.at_level(logging.ERROR, logger="partners.tasks"), \
                pytest.raises(tasks.TaskFailed, match="^SMTPDataError$"):
            tasks.notification_email.call(notification.pk, attempt=len(tasks.RETRY_DELAYS) + 1)

        assert [record.getMessage() for record in caplog.records if record.name == "partners.tasks"] == [
            f"Sending the e-mail of notification {notification.pk} failed on attempt 6 (SMTPDataError); "
            "it will not be retried",
        ]
        assert not DBTaskResult.objects.exists()

    def test_an_email_sent_already_is_not_sent_again(self, database_tasks):
        [notification] = _tell(_contact())
        database_tasks()

        assert tasks.notification_email.call(notification.pk) is False
        assert len(mail.outbox) == 1

    def test_an_invitation_task_holds_no_secret_and_its_email_holds_the_only_working_link(self, database_tasks):
        organisation = OrganisationFactory(name="Borsetshire County Council")
        manager = UserFactory()
        MembershipFactory(user=manager, organisation=organisation, role=Role.GOVERNANCE_MANAGER)

        with transaction.atomic():
            invitation = invitation_send(organisation=organisation, name="Carys Penhallow",
                                         email="carys.penhallow@borsetshire.example", role=Role.PRACTITIONER,
                                         by_user=manager)
        made_by_the_request = invitation.token_hash

        task = DBTaskResult.objects.get()
        assert task.args_kwargs == {"args": [invitation.pk], "kwargs": {}}
        assert mail.outbox == []

        database_tasks()

        [message] = mail.outbox
        token = message.body.split("/join/")[1].split("/")[0].split()[0]
        invitation.refresh_from_db()
        assert invitation.token_hash == link_token_hash(token) != made_by_the_request

    def test_an_authenticator_reset_link_is_made_by_the_worker(self, database_tasks):
        organisation = OrganisationFactory()
        manager, person = UserFactory(), UserFactory(email="dev.okafor@borsetshire.example")
        MembershipFactory(user=manager, organisation=organisation, role=Role.GOVERNANCE_MANAGER)
        MembershipFactory(user=person, organisation=organisation, role=Role.PRACTITIONER)

        with transaction.atomic():
            reset = authenticator_reset(user=person, by_user=manager)

        assert DBTaskResult.objects.get().args_kwargs == {"args": [reset.pk], "kwargs": {}}
        database_tasks()

        [message] = mail.outbox
        assert message.to == ["dev.okafor@borsetshire.example"]
        token = message.body.split("/authenticator/reset/")[1].split("/")[0].split()[0]
        assert AuthenticatorReset.objects.get(pk=reset.pk).token_hash == link_token_hash(token)


def _refuse_always(notification):
    raise smtplib.SMTPDataError(554, b"Rejected")


class TestWithTheImmediateBackend:
    def test_a_refused_email_is_logged_not_raised_into_the_write(
        self, monkeypatch, caplog, django_capture_on_commit_callbacks,
    ):
        contact = _contact()
        monkeypatch.setattr(tasks, "notification_email_send", _refuse_always)

        with caplog.at_level(logging.ERROR, logger="partners.tasks"), \
                django_capture_on_commit_callbacks(execute=True):
            [notification] = notification_send(contacts=[contact], subject="Review due", body="…")

        assert [record.getMessage() for record in caplog.records if record.name == "partners.tasks"] == [
            f"Sending the e-mail of notification {notification.pk} failed on attempt 1 (SMTPDataError); "
            "it will not be retried",
        ]
        notification.refresh_from_db()
        assert notification.emailed_at is None
        assert not DBTaskResult.objects.exists()

    def test_an_invitation_is_emailed_when_the_write_commits(self, django_capture_on_commit_callbacks):
        organisation = OrganisationFactory()
        manager = UserFactory()
        MembershipFactory(user=manager, organisation=organisation, role=Role.GOVERNANCE_MANAGER)

        with django_capture_on_commit_callbacks(execute=True):
            invitation_send(organisation=organisation, name="Carys Penhallow",
                            email="carys.penhallow@borsetshire.example", role=Role.PRACTITIONER, by_user=manager)
            assert mail.outbox == []

        assert [message.to for message in mail.outbox] == [["carys.penhallow@borsetshire.example"]]
        assert Invitation.objects.get().sent_at <= timezone.now()
