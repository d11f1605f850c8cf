"""Issue 12, item 1: every door of partners that checks a password, a code or a secret link is
throttled like the sign-in page (partners/throttle.py, partners/views.py): the invitation link,
authenticator enrolment and the authenticator-reset link. Limits are the settings'."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.agreements.helpers import error_summary
from tests.auth import current_code

from .test_invitations import PASSWORD, invite, link_in

pytestmark = pytest.mark.django_db
User = get_user_model()
LOCKED = "Too many attempts"
ACCOUNT = settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"]
ADDRESS = settings.SIGN_IN_FAILURE_LIMITS["ip_address"]


@pytest.fixture
def invited(client, sign_in, roles, django_capture_on_commit_callbacks):
    """An invitation's link (as tests/partners/test_invitations.py's), the client signed out."""
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, sign_in, roles)
    client.logout()
    return link_in(mail.outbox[-1])


def wrong_for(device) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


class TestInvitationLinks:
    def test_guessed_links_lock_the_address_and_a_real_link_is_refused_from_it(self, client, invited):
        statuses = [client.get(f"/join/guess-{n}/").status_code for n in range(ADDRESS)]

        assert statuses == [404] * (ADDRESS - 1) + [429]
        refused = client.get(invited)
        assert refused.status_code == 429 and LOCKED in refused.content.decode()
        assert Client(REMOTE_ADDR="10.0.0.2").get(invited).status_code == 200

    def test_a_common_password_is_refused(self, client, invited):
        refused = client.post(invited, {"password": "password1234", "password_again": "password1234"})

        assert "This password is too common." in error_summary(refused)
        assert User.objects.filter(username="ruth.archer@police.example").exists() is False


class TestEnrolment:
    def test_wrong_codes_lock_the_enrolment_page(self, client, invited):
        client.post(invited, {"password": PASSWORD, "password_again": PASSWORD})
        client.get(reverse("authenticator"))
        device = TOTPDevice.objects.get(user__username="ruth.archer@police.example", confirmed=False)

        statuses = [client.post(reverse("authenticator"), {"token": wrong_for(device)}).status_code
                    for _ in range(ACCOUNT)]
        device.refresh_from_db()
        device.throttle_reset()
        after = client.post(reverse("authenticator"), {"token": current_code(device)})

        assert statuses == [200] * (ACCOUNT - 1) + [429]
        assert after.status_code == 429
        device.refresh_from_db()
        assert device.confirmed is False


class TestAuthenticatorResetLinks:
    @pytest.fixture
    def link(self, client, sign_in, roles, django_capture_on_commit_callbacks):
        person = roles.practitioner
        person.email = "pat.practitioner@council.example"
        person.save(update_fields=["email"])
        with django_capture_on_commit_callbacks(execute=True):
            sign_in(Client(), roles.governance_manager).post(
                reverse("partners:authenticator_reset", args=[roles.owner.pk, person.pk]))
        return re.search(r"/account/authenticator/reset/\S+/", mail.outbox[-1].body).group(0)

    def test_wrong_passwords_lock_the_link_and_the_right_one_is_refused_after(self, client, link):
        statuses = [client.post(link, {"password": f"guess-{n}"}).status_code for n in range(ACCOUNT)]
        after = client.post(link, {"password": "borsetshire-test-passphrase"})

        assert statuses == [200] * (ACCOUNT - 1) + [429]
        assert after.status_code == 429 and LOCKED in after.content.decode()

    def test_wrong_passwords_at_the_sign_in_page_lock_the_link_too(self, client, roles, link):
        for n in range(ACCOUNT):
            client.post(reverse("login"), {"username": roles.practitioner.username, "password": f"guess-{n}",
                                           "otp_token": "123456"})

        assert client.post(link, {"password": "borsetshire-test-passphrase"}).status_code == 429

    def test_the_links_secret_is_not_kept_with_the_failure(self, client, link):
        client.post(link, {"password": "a guess"})
        client.get("/account/authenticator/reset/a-guessed-secret/")

        kept = AccessAttempt.objects.values_list("path_info", "post_data")
        assert {path for path, _ in kept} == {"/account/authenticator/reset/<str:token>/"}
        assert not any("a guess" in post or link in post for _, post in kept)

    def test_guessed_links_lock_the_address(self, client, link):
        for n in range(ADDRESS):
            client.get(f"/account/authenticator/reset/guess-{n}/")

        assert client.get(link).status_code == 429
