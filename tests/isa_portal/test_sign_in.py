"""Issue 12, item 1: the sign-in page gives nothing away and every wrong try counts
(isa_portal/forms.py ``SignInForm``, isa_portal/urls.py ``PortalAdminSite``, partners/throttle.py).

Limits under test are the settings' (``SIGN_IN_FAILURE_LIMITS``): 5 for one account from one
address, 10 for one account from anywhere, 30 for one address, within 15 minutes.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.auth import current_code, device_of
from tests.factories import PASSWORD, UserFactory

from .test_views import REFUSED, is_signed_in, wrong_code

pytestmark = pytest.mark.django_db

LOCKED = "Too many attempts"


def attempt(client, user, *, password=PASSWORD, code=None, address="127.0.0.1", username=None):
    code = current_code(device_of(user)) if code is None else code
    data = {"username": username or user.username, "password": password, "otp_token": code}
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


def without_csrf_token(response) -> str:
    """The page less what differs in every response by design: the CSRF token and the CSP nonce."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", page)


# One answer, whatever was wrong ----------------------------------------------------------------


def test_an_empty_code_gets_the_same_page_whether_or_not_the_password_was_right(client):
    user = UserFactory()

    right = attempt(client, user, code="")
    wrong = attempt(client, user, password="not-the-passphrase", code="")

    assert right.status_code == wrong.status_code == 200
    assert without_csrf_token(right) == without_csrf_token(wrong)
    assert right.context["form"].errors == {"otp_token": ["Enter the 6-digit code from your authenticator app."]}


def test_a_wrong_code_gets_the_same_page_whether_or_not_the_password_was_right(client):
    user = UserFactory()
    code = wrong_code(device_of(user))

    right = attempt(client, user, code=code)
    wrong = attempt(client, user, password="not-the-passphrase", code=code)

    assert without_csrf_token(right) == without_csrf_token(wrong)
    assert right.context["form"].errors == {"__all__": [REFUSED]}
    assert is_signed_in(client) is False


def test_an_unknown_username_gets_the_one_message(client):
    user = UserFactory()

    response = attempt(client, user, username="nobody-here")

    assert response.context["form"].errors == {"__all__": [REFUSED]}


# The Django admin signs in through the same page ------------------------------------------------


def test_the_admins_login_sends_to_the_portals_sign_in_with_next(client):
    response = client.get("/admin/login/?next=/admin/partners/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/partners/"


def test_the_admins_login_checks_no_password_or_code(client, roles):
    user = roles.admin

    response = client.post("/admin/login/", {
        "username": user.username, "password": PASSWORD, "otp_device": "", "otp_token": wrong_code(device_of(user)),
    })

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "Please select a device" not in response.content.decode()
    assert is_signed_in(client) is False


def test_an_admin_signed_in_on_the_portal_page_reaches_the_admin(client, roles):
    signed = client.post(reverse("login"), {
        "username": roles.admin.username, "password": PASSWORD,
        "otp_token": current_code(device_of(roles.admin)), "next": "/admin/",
    })

    assert signed["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# Throttling and lockout -------------------------------------------------------------------------


def test_fifty_wrong_passwords_lock_the_account_and_the_right_one_is_refused_after(client):
    user = UserFactory()
    limit = settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"]

    statuses = [attempt(client, user, password=f"guess-{n}").status_code for n in range(50)]

    assert statuses == [200] * (limit - 1) + [429] * (50 - limit + 1)
    refused = attempt(client, user)
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    assert is_signed_in(client) is False


def test_wrong_codes_after_the_right_password_lock_it_too(client):
    user = UserFactory()
    limit = settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"]

    statuses = [attempt(client, user, code=wrong_code(device_of(user))).status_code for _ in range(limit)]

    assert statuses == [200] * (limit - 1) + [429]
    assert attempt(client, user).status_code == 429


def test_the_locked_page_is_govuk_and_says_nothing_of_the_password(client):
    user = UserFactory()
    for n in range(settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"]):
        attempt(client, user, password=f"guess-{n}")

    right = attempt(client, user)
    wrong = attempt(client, user, password="another-guess")

    assert right.status_code == wrong.status_code == 429
    assert without_csrf_token(right) == without_csrf_token(wrong)
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in right.content.decode()
    assert "15 minutes" in right.content.decode()


def test_the_lockout_ends_after_the_cool_off(client, time_machine):
    user = UserFactory()
    for n in range(settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"]):
        attempt(client, user, password=f"guess-{n}")
    assert attempt(client, user).status_code == 429

    time_machine.move_to(timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1))
    device_of(user).throttle_reset()

    assert attempt(client, user).status_code == 302
    assert is_signed_in(client) is True


def test_one_account_guessed_from_many_addresses_is_locked_everywhere(client):
    user = UserFactory()
    limit = settings.SIGN_IN_FAILURE_LIMITS["username"]

    for n in range(limit):  # two tries from each address: no address reaches its own limit
        attempt(client, user, password=f"guess-{n}", address=f"10.0.0.{n // 2}")

    assert attempt(client, user, address="10.9.9.9").status_code == 429


def test_one_account_locked_from_one_address_is_still_open_from_another(client):
    user = UserFactory()
    for n in range(settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"]):
        attempt(client, user, password=f"guess-{n}", address="10.0.0.1")

    assert attempt(client, user, address="10.0.0.1").status_code == 429
    assert attempt(client, user, address="10.0.0.2").status_code == 302


def test_many_accounts_guessed_from_one_address_lock_the_address(client):
    limit = settings.SIGN_IN_FAILURE_LIMITS["ip_address"]
    for n in range(limit):
        attempt(client, None, username=f"sprayed-{n}", password="Winter2026!", code="123456")

    assert attempt(client, UserFactory()).status_code == 429
    assert attempt(client, UserFactory(), address="10.0.0.7").status_code == 302


def test_a_successful_sign_in_does_not_wipe_the_failures_counted_at_its_address(client):
    limit = settings.SIGN_IN_FAILURE_LIMITS["ip_address"]
    for n in range(limit - 1):
        attempt(client, None, username=f"sprayed-{n}", password="Winter2026!", code="123456")

    assert attempt(client, UserFactory()).status_code == 302  # the sprayer's own login, say
    client.logout()
    attempt(client, None, username="sprayed-last", password="Winter2026!", code="123456")

    assert attempt(client, UserFactory()).status_code == 429


def test_a_missing_field_checks_nothing_and_counts_nothing(client):
    user = UserFactory()

    for _ in range(settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"] + 1):
        assert attempt(client, user, code="").status_code == 200

    assert attempt(client, user).status_code == 302
