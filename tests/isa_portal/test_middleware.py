"""Every page wants a signed-in user verified by their second factor."""

import pytest
from django.urls import reverse

from tests.auth import device_of, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_only_session_is_sent_to_sign_in(client):
    client.force_login(UserFactory())

    response = client.get(reverse("agreements:list"))

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/agreements/"


def test_session_naming_another_users_device_is_not_verified(client):
    user, other = UserFactory(), UserFactory()
    sign_in(client, user, device=device_of(other))

    response = client.get(reverse("agreements:list"))

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/agreements/"


def test_verified_session_reaches_the_page(client):
    sign_in(client, UserFactory())

    response = client.get(reverse("agreements:list"))

    assert response.status_code == 200
