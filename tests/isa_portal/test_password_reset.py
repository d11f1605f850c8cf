"""Forgotten passwords (isa_portal/views.py, forms.py): a link by e-mail, and the new password
still needs the second factor — a code from the authenticator app or an unused backup code."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from partners.models import Notification
from tests.agreements.helpers import error_summary
from tests.auth import current_code, device_of
from tests.factories import ContactFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW = "ambridge lower loxley felpersham"


@pytest.fixture
def person():
    user = UserFactory(email="ruth.archer@council.example")
    ContactFactory(organisation=OrganisationFactory(), user=user, name="Ruth Archer", email=user.email)
    return user


def reset_link(client, email: str) -> str:
    client.post(reverse("password_reset"), {"email": email})
    return re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[-1].body).group(1)


def choose(client, link: str, *, password=NEW, again=None, code=""):
    page = client.get(link, follow=True)  # Django swaps the token for a session marker first
    return client.post(page.redirect_chain[-1][0] if page.redirect_chain else link, {
        "new_password1": password, "new_password2": again or password, "otp_token": code,
    })


def test_the_link_is_e_mailed_and_an_unknown_address_is_not_revealed(client, person):
    known = client.post(reverse("password_reset"), {"email": person.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@council.example"})

    assert known["Location"] == unknown["Location"] == reverse("password_reset_sent")
    [message] = mail.outbox
    assert message.to == [person.email] and message.subject == "ISA Portal: choose a new password"


def test_the_new_password_needs_the_authenticator_code(client, person):
    link = reset_link(client, person.email)

    refused = choose(client, link, code="000000" if current_code(device_of(person)) != "000000" else "111111")
    assert "Enter the code your authenticator app shows now, or an unused backup code." in error_summary(refused)
    person.refresh_from_db()
    assert person.check_password(NEW) is False

    device_of(person).throttle_reset()  # django-otp makes a wrong code wait a second before the next
    done = choose(client, link, code=current_code(device_of(person)))

    assert done["Location"] == reverse("password_reset_done")
    person.refresh_from_db()
    assert person.check_password(NEW) is True
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))  # signs in with a code still


def test_a_backup_code_does_instead_and_a_bad_password_does_not_use_it_up(client, person):
    backup = StaticDevice.objects.create(user=person, name="Backup codes")
    backup.token_set.create(token="abcd2345")
    link = reset_link(client, person.email)

    weak = choose(client, link, password="password", code="abcd2345")
    assert "This password is too short. It must contain at least 12 characters." in error_summary(weak)
    assert backup.token_set.count() == 1

    done = choose(client, link, code="abcd2345")

    assert done["Location"] == reverse("password_reset_done")
    assert backup.token_set.count() == 0
    assert [n.subject for n in Notification.objects.filter(recipient__user=person)] == ["Your password was changed"]


def test_a_used_link_cannot_be_used_again(client, person):
    link = reset_link(client, person.email)
    choose(client, link, code=current_code(device_of(person)))

    again = client.get(link, follow=True)

    assert "This link cannot be used" in again.content.decode()


# Issue 12: the code on the reset page is a second factor like the sign-in's, and throttled the same.


def test_wrong_codes_on_the_reset_page_lock_it_and_the_right_one_is_refused_after(client, person):
    from django.conf import settings

    link = reset_link(client, person.email)
    wrong = "000000" if current_code(device_of(person)) != "000000" else "111111"
    limit = settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"]

    statuses = [choose(client, link, code=wrong).status_code for _ in range(limit)]
    device_of(person).throttle_reset()
    after = choose(client, link, code=current_code(device_of(person)))

    assert statuses == [200] * (limit - 1) + [429]
    assert after.status_code == 429 and "Too many attempts" in after.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW) is False


def test_a_locked_account_cannot_be_reset_either(client, person):
    from django.conf import settings

    for n in range(settings.SIGN_IN_FAILURE_LIMITS["username+ip_address"]):
        client.post(reverse("login"), {"username": person.username, "password": f"guess-{n}", "otp_token": "123456"})
    link = reset_link(client, person.email)

    assert choose(client, link, code=current_code(device_of(person))).status_code == 429


def test_a_common_password_is_refused(client, person):
    link = reset_link(client, person.email)

    refused = choose(client, link, password="password1234", code=current_code(device_of(person)))

    assert "This password is too common." in error_summary(refused)
    person.refresh_from_db()
    assert person.check_password("password1234") is False
