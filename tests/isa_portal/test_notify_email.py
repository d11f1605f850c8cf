"""Issue 14, item 5: GOV.UK Notify as an optional e-mail backend, through Notify's own client
(docs/decisions/0045). Nothing here calls Notify: a real local HTTP server on 127.0.0.1 stands in
for its API, and the tests read the requests the client really sends."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.core import mail
from django.core.checks import run_checks
from django.test import override_settings
from notifications_python_client.errors import HTTPError

from isa_portal.checks import NOTIFY_HINT
from isa_portal.notify_email import BACKEND
from partners.models import Notification
from partners.services import notification_digests_send, notification_send
from tests.factories import ContactFactory

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"isa_portal_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SENT = {"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": None,
        "content": {"subject": "…", "body": "…", "from_email": "isa.portal@notifications.service.gov.uk"},
        "uri": "https://api.notifications.service.gov.uk/v2/notifications/740e5834-3a29-46b4-9a6f-16142fde533a",
        "template": {"id": TEMPLATE_ID, "version": 1, "uri": "…"}}


class FakeNotify:
    """What the stand-in for Notify received, and the answer it gives (201, or an error)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status, self.answer = 201, SENT


def _handler(notify: FakeNotify):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            notify.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
            payload = json.dumps(notify.answer).encode()
            self.send_response(notify.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def notify():
    """A local HTTP server standing in for Notify's API, with the Notify backend pointed at it."""
    fake = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(EMAIL_BACKEND=BACKEND, NOTIFY_API_KEY=API_KEY, NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
                               NOTIFY_BASE_URL=f"http://127.0.0.1:{server.server_port}", NOTIFY_REPLY_TO_ID="",
                               SITE_URL="https://isa.example.gov.uk"):
            yield fake
    finally:
        server.shutdown()
        server.server_close()


def refusing(notify: FakeNotify, status: int, message: str) -> None:
    notify.status = status
    notify.answer = {"status_code": status, "errors": [{"error": "BadRequestError", "message": message}]}


@pytest.mark.django_db
def test_a_notification_goes_to_notify_as_the_one_template_with_subject_and_body(
    notify, django_capture_on_commit_callbacks,
):
    contact = ContactFactory(name="Amrit Vale", email="amrit.vale@borsetshire.example")

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(contacts=[contact], subject="Felpersham Homes has joined BCSP ISA",
                          body="Felpersham Homes has joined the agreement.", url="/agreements/1/")

    [request] = notify.requests
    assert request["path"] == "/v2/notifications/email"
    assert request["headers"]["Content-type"] == "application/json"
    assert set(request["json"]) == {"email_address", "template_id", "personalisation"}
    assert request["json"]["email_address"] == "amrit.vale@borsetshire.example"
    assert request["json"]["template_id"] == TEMPLATE_ID
    personalisation = request["json"]["personalisation"]
    assert personalisation["subject"] == "ISA Portal: Felpersham Homes has joined BCSP ISA"
    assert personalisation["body"].startswith("Dear Amrit Vale,\n\nFelpersham Homes has joined the agreement.")
    assert "https://isa.example.gov.uk/agreements/1/" in personalisation["body"]
    assert "<" not in personalisation["body"]  # the plain text: Notify makes its own HTML
    assert contact.notifications.get().emailed_at is not None


def test_each_request_carries_a_fresh_jwt_signed_with_the_keys_secret(notify):
    mail.EmailMessage(subject="ISA Portal: a test", body="Body", to=["alex.example@borsetshire.example"]).send()

    [request] = notify.requests
    scheme, token = request["headers"]["Authorization"].split(" ")
    assert scheme == "Bearer"
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "HS256"}
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID
    assert isinstance(claims["iat"], int)
    assert SECRET not in json.dumps(request)  # the secret signs; it is never sent


def test_every_recipient_is_its_own_notification_and_a_reply_to_is_passed_when_set(notify):
    with override_settings(NOTIFY_REPLY_TO_ID="8e222534-7f05-4972-86e3-17c5d9f894e2"):
        sent = mail.EmailMessage(subject="S", body="B", to=["one@borsetshire.example"],
                                 bcc=["two@borsetshire.example"]).send()

    assert sent == 1
    assert [request["json"]["email_address"] for request in notify.requests] == [
        "one@borsetshire.example", "two@borsetshire.example"]
    assert {request["json"]["email_reply_to_id"] for request in notify.requests} == {
        "8e222534-7f05-4972-86e3-17c5d9f894e2"}


@pytest.mark.parametrize(("status", "message"), [(400, "Can't send to this recipient using a team-only API key"),
                                                 (500, "Internal server error")])
def test_a_refusal_by_notify_raises_as_an_smtp_refusal_does(notify, status, message):
    refusing(notify, status, message)

    with pytest.raises(HTTPError) as raised:
        mail.EmailMessage(subject="S", body="B", to=["alex.example@borsetshire.example"]).send()

    assert raised.value.status_code == status
    assert str(raised.value) == f"{status} - {[{'error': 'BadRequestError', 'message': message}]}"
    assert mail.EmailMessage(subject="S", body="B", to=["alex.example@borsetshire.example"]).send(
        fail_silently=True) == 0


def test_a_notify_that_cannot_be_reached_raises_too():
    with override_settings(EMAIL_BACKEND=BACKEND, NOTIFY_API_KEY=API_KEY, NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
                           NOTIFY_BASE_URL="http://127.0.0.1:9"), pytest.raises(HTTPError) as raised:
        mail.EmailMessage(subject="S", body="B", to=["alex.example@borsetshire.example"]).send()

    assert raised.value.status_code == 503


@pytest.mark.django_db
def test_an_immediate_email_notify_refuses_is_not_marked_emailed(notify, django_capture_on_commit_callbacks, caplog):
    contact = ContactFactory(email="alex.example@borsetshire.example")
    refusing(notify, 500, "Internal server error")

    # A background task (decision 0050): the refusal is logged (and, with a worker, retried), never
    # raised into the write that asked for the e-mail.
    with caplog.at_level(logging.ERROR, logger="partners.tasks"), django_capture_on_commit_callbacks(execute=True):
        [notification] = notification_send(contacts=[contact], subject="A breach has been reported", body="…")

    assert contact.notifications.get().emailed_at is None
    assert [record.getMessage() for record in caplog.records if record.name == "partners.tasks"] == [
        f"Sending the e-mail of notification {notification.pk} failed on attempt 1 (HTTPError); "
        "it will not be retried",
    ]


@pytest.mark.django_db
def test_a_digest_notify_refuses_waits_for_the_next_run(notify):
    contact = ContactFactory(email="alex.example@borsetshire.example")
    Notification.objects.create(recipient=contact, subject="The review is due in 7 days", body="…", in_digest=True)
    refusing(notify, 400, "Can't send to this recipient using a team-only API key")

    assert notification_digests_send() == 0
    assert contact.notifications.get().emailed_at is None

    notify.status, notify.answer = 201, SENT
    assert notification_digests_send() == 1
    assert notify.requests[-1]["json"]["personalisation"]["subject"] == "ISA Portal: 1 thing due today"
    assert contact.notifications.get().emailed_at is not None


def test_notify_without_a_template_refuses_to_send_rather_than_drop_the_message(notify):
    with override_settings(NOTIFY_TEMPLATE_ID=""), pytest.raises(Exception, match="NOTIFY_TEMPLATE_ID is not set"):
        mail.EmailMessage(subject="S", body="B", to=["alex.example@borsetshire.example"]).send()

    assert notify.requests == []


def w002(**settings) -> list:
    with override_settings(**settings):
        return [message for message in run_checks(include_deployment_checks=True) if message.id == "isa_portal.W002"]


@pytest.mark.parametrize(("key", "template", "problems"), [
    ("", "", "NOTIFY_API_KEY is not set; NOTIFY_TEMPLATE_ID is not set"),
    (API_KEY, "", "NOTIFY_TEMPLATE_ID is not set"),
    (SECRET, TEMPLATE_ID, "NOTIFY_API_KEY is not a whole Notify API key (name, service id and secret)"),
])
def test_check_deploy_warns_when_notify_is_chosen_without_a_key_or_a_template(key, template, problems):
    [warning] = w002(EMAIL_BACKEND=BACKEND, NOTIFY_API_KEY=key, NOTIFY_TEMPLATE_ID=template)

    assert warning.msg == f"E-mail goes through GOV.UK Notify, but {problems}: no e-mail would be sent."
    assert warning.hint == NOTIFY_HINT


def test_check_deploy_is_silent_with_notify_set_up_or_not_chosen():
    assert w002(EMAIL_BACKEND=BACKEND, NOTIFY_API_KEY=API_KEY, NOTIFY_TEMPLATE_ID=TEMPLATE_ID) == []
    assert w002(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", NOTIFY_API_KEY="") == []
