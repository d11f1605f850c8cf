"""Issue 12, item 2: a person's sessions end at once — deleted from the session store, not
refused at their next request — when they are deactivated, lose a membership, change their
password or have their authenticator reset, whichever door did it (partners/sessions.py,
partners/signals.py, partners/services.py)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from partners import services
from partners.models import Membership, Role, SignedInSession
from partners.sessions import sessions_end
from tests.auth import current_code, device_of
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def session_keys(client) -> str:
    return client.cookies["sessionid"].value


def alive(key: str) -> bool:
    return Session.objects.filter(session_key=key).exists()


@pytest.fixture
def person():
    user = UserFactory(email="kim.tucker@council.example")
    MembershipFactory(user=user, role=Role.PRACTITIONER)
    MembershipFactory(user=user, role=Role.SPOC)
    return user


@pytest.fixture
def two_sessions(person, sign_in):
    """Two browsers the person is signed in on, and a bystander's."""
    first, second, other = sign_in(Client(), person), sign_in(Client(), person), sign_in(Client(), UserFactory())
    return [session_keys(first), session_keys(second)], session_keys(other)


def assert_ended(two_sessions):
    theirs, bystander = two_sessions
    assert [alive(key) for key in theirs] == [False, False]
    assert SignedInSession.objects.filter(session_key__in=theirs).exists() is False
    assert alive(bystander) is True


def test_signing_in_through_the_form_records_the_session_against_its_person(client, person):
    client.post(reverse("login"), {
        "username": person.username, "password": PASSWORD, "otp_token": current_code(device_of(person)),
    })

    assert SignedInSession.objects.get().session_key == client.session.session_key
    assert SignedInSession.objects.get().user == person


def test_signing_out_forgets_the_session(client, person, sign_in):
    sign_in(client, person)
    client.post(reverse("logout"))

    assert SignedInSession.objects.filter(user=person).exists() is False


def test_sessions_end_deletes_every_session_of_the_person(person, two_sessions):
    assert sessions_end(user=person) == 2

    assert_ended(two_sessions)


def test_removing_a_membership_through_the_service_ends_them(person, two_sessions):
    services.membership_delete(membership=person.memberships.get(role=Role.SPOC))

    assert_ended(two_sessions)


def test_removing_a_membership_in_the_shell_or_admin_ends_them(person, two_sessions):
    Membership.objects.filter(user=person, role=Role.SPOC).delete()

    assert_ended(two_sessions)


def test_changing_a_memberships_role_in_place_ends_them(person, two_sessions):
    membership = person.memberships.get(role=Role.SPOC)
    membership.role = Role.AUDITOR
    membership.save()

    assert_ended(two_sessions)


def test_gaining_a_membership_ends_nothing(person, two_sessions):
    services.membership_create(user=person, organisation=OrganisationFactory(), role=Role.AUDITOR)

    assert [alive(key) for key in two_sessions[0]] == [True, True]


def test_deactivating_through_the_people_page_service_ends_them(roles, sign_in):
    person = UserFactory()
    MembershipFactory(user=person, organisation=roles.owner, role=Role.PRACTITIONER)
    bystander = session_keys(sign_in(Client(), UserFactory()))
    theirs = [session_keys(sign_in(Client(), person)), session_keys(sign_in(Client(), person))]

    services.person_roles_set(user=person, organisation=roles.owner, roles=[], by_user=roles.governance_manager)

    person.refresh_from_db()
    assert person.is_active is False
    assert_ended((theirs, bystander))


def test_deactivating_in_the_admin_or_shell_ends_them(person, two_sessions):
    person.is_active = False
    person.save()

    assert_ended(two_sessions)


def test_the_django_admin_deactivating_a_login_ends_them(client, roles, person, two_sessions, sign_in):
    admin = roles.admin
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    page = sign_in(client, admin).get(reverse("admin:auth_user_change", args=[person.pk]))
    data = {key: value for key, value in page.context["adminform"].form.initial.items() if value is not None}
    data.update({"is_active": "", "date_joined_0": data["date_joined"].strftime("%Y-%m-%d"),
                 "date_joined_1": data["date_joined"].strftime("%H:%M:%S"), "groups": [], "user_permissions": []})
    data.pop("date_joined"), data.pop("last_login", None), data.pop("password", None)

    response = client.post(reverse("admin:auth_user_change", args=[person.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.is_active is False
    assert_ended(two_sessions)


def test_a_new_password_ends_them(person, two_sessions):
    person.set_password("a brand new passphrase for kim")
    person.save()

    assert_ended(two_sessions)


def test_saving_anything_else_ends_nothing(person, two_sessions):
    person.first_name = "Kimberley"
    person.save()
    person.save(update_fields=["last_login"])

    assert [alive(key) for key in two_sessions[0]] == [True, True]


def test_resetting_the_authenticator_ends_them(person, two_sessions, roles):
    services.authenticator_reset(user=person, by_user=roles.governance_manager)

    assert_ended(two_sessions)


def test_an_ended_session_is_anonymous_at_its_next_request(person, sign_in):
    browser = sign_in(Client(), person)
    assert browser.get(reverse("home")).status_code == 200

    sessions_end(user=person)

    assert browser.get(reverse("home"))["Location"].startswith(reverse("login"))
