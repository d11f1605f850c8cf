"""Issue 12, item 2: a session ends after 30 minutes unused and 12 hours after sign-in, and the
sign-in page says why (isa_portal/middleware.py ``SessionLimitsMiddleware``)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.auth import current_code, device_of
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
IDLE = "You were signed out because you had not used the portal for 30 minutes."
ABSOLUTE = "You were signed out because you had been signed in for 12 hours."


def sign_in_by_form(client, user):
    response = client.post(reverse("login"), {
        "username": user.username, "password": PASSWORD, "otp_token": current_code(device_of(user)),
    })
    assert response.status_code == 302
    return client


def later(time_machine, **delta):
    time_machine.move_to(timezone.now() + datetime.timedelta(**delta), tick=False)


def test_the_limits_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert (settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS) == (30 * 60, 12 * 60 * 60)
    assert settings.SESSION_COOKIE_AGE <= settings.SESSION_ABSOLUTE_SECONDS


def test_thirty_minutes_unused_end_the_session_and_the_sign_in_page_says_so(client, time_machine):
    sign_in_by_form(client, UserFactory())
    later(time_machine, minutes=29)
    assert client.get(reverse("home")).status_code == 200

    later(time_machine, minutes=30)
    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert IDLE in response.content.decode()
    assert 'class="govuk-notification-banner"' in response.content.decode()
    assert IDLE not in client.get(reverse("login")).content.decode()  # said once


def test_use_keeps_it_going_but_not_past_twelve_hours(client, time_machine):
    sign_in_by_form(client, UserFactory())
    for _ in range(11 * 3):  # every 20 minutes for 11 hours
        later(time_machine, minutes=20)
        assert client.get(reverse("home")).status_code == 200

    later(time_machine, minutes=60)
    response = client.get(reverse("home"), follow=True)

    assert "_auth_user_id" not in client.session
    assert ABSOLUTE in response.content.decode()


def test_the_store_never_keeps_a_session_past_its_absolute_end_and_a_grace(client):
    sign_in_by_form(client, UserFactory())

    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expires <= timezone.now() + datetime.timedelta(hours=12, minutes=30)
