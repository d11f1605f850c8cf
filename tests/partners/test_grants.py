"""Memberships are the one source of truth for what a person may do (partners.permissions,
"Mechanism"): whichever door a membership comes through, the same access follows at once, and
whichever door removes it, the access and the person's sessions end at once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement
from partners.checks import grants_drift, grants_drift_check
from partners.middleware import SESSION_KEY as MEMBERSHIPS_SESSION_KEY
from partners.models import Membership, Role
from partners.permissions import PORTAL_ADMIN_GROUP
from partners.services import membership_create, membership_delete
from tests.auth import current_code, device_of, sign_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def django_admin():
    """A client signed in to the Django admin as a superuser."""
    return sign_in(Client(), UserFactory(is_superuser=True, is_staff=True))


def made_by_service(admin, user, organisation, role):
    membership_create(user=user, organisation=organisation, role=role)


def made_in_the_django_admin(admin, user, organisation, role):
    response = admin.post(reverse("admin:partners_membership_add"), {
        "user": user.pk, "organisation": organisation.pk, "role": role,
    })
    assert response.status_code == 302, response.content.decode()[:2000]


def made_in_the_shell(admin, user, organisation, role):
    Membership.objects.create(user=user, organisation=organisation, role=role)


def made_by_save(admin, user, organisation, role):
    Membership(user=user, organisation=organisation, role=role).save()


DOORS = [made_by_service, made_in_the_django_admin, made_in_the_shell, made_by_save]


def groups_of(user) -> set[str]:
    return set(get_user_model().objects.get(pk=user.pk).groups.values_list("name", flat=True))


def start_agreement(client, title: str) -> Agreement:
    response = client.post(reverse("agreements:create"), {"mode": "blank", "title": title})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Agreement.objects.get(title=title)


class TestEveryDoorGrantsTheSame:
    @pytest.mark.parametrize("door", DOORS)
    def test_a_governance_manager_opens_the_agreement_they_have_just_started(self, door, django_admin):
        user, council = UserFactory(), OrganisationFactory(name="Ambridge District Council")

        door(django_admin, user, council, Role.GOVERNANCE_MANAGER)
        manager = sign_in(Client(), user)
        agreement = start_agreement(manager, "Ambridge Community Safety ISA")

        assert manager.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200
        assert groups_of(user) == {f"org-{council.pk}-{Role.GOVERNANCE_MANAGER}"}

    @pytest.mark.parametrize("door", DOORS)
    def test_an_admin_membership_opens_the_django_admin(self, door, django_admin):
        user, council = UserFactory(), OrganisationFactory()

        door(django_admin, user, council, Role.ADMIN)

        user = get_user_model().objects.get(pk=user.pk)
        assert user.is_staff is True
        assert groups_of(user) == {f"org-{council.pk}-{Role.ADMIN}", PORTAL_ADMIN_GROUP}
        assert sign_in(Client(), user).get(reverse("admin:index")).status_code == 200

    @pytest.mark.parametrize("door", DOORS)
    def test_no_door_leaves_drift_for_the_check(self, door, django_admin):
        door(django_admin, UserFactory(), OrganisationFactory(), Role.SPOC)

        assert grants_drift() == []


def removed_by_service(admin, membership):
    membership_delete(membership=membership)


def removed_in_the_django_admin(admin, membership):
    response = admin.post(reverse("admin:partners_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]


def removed_in_the_shell(admin, membership):
    membership.delete()


def removed_by_queryset(admin, membership):
    Membership.objects.filter(pk=membership.pk).delete()


def role_changed_in_the_django_admin(admin, membership):
    response = admin.post(reverse("admin:partners_membership_change", args=[membership.pk]), {
        "user": membership.user_id, "organisation": membership.organisation_id, "role": Role.PRACTITIONER,
    })
    assert response.status_code == 302, response.content.decode()[:2000]


REMOVALS = [removed_by_service, removed_in_the_django_admin, removed_in_the_shell, removed_by_queryset]


class TestEveryDoorTakesAway:
    @pytest.mark.parametrize(("removal", "drafting_then"), [
        *((removal, 404) for removal in REMOVALS),
        (role_changed_in_the_django_admin, 403),  # a practitioner of the owner still reads it
    ])
    def test_drafting_closes_and_the_open_session_ends(self, removal, drafting_then, django_admin):
        user, council = UserFactory(), OrganisationFactory()
        membership = membership_create(user=user, organisation=council, role=Role.GOVERNANCE_MANAGER)
        manager = sign_in(Client(), user)
        agreement = start_agreement(manager, "Ambridge Community Safety ISA")
        assert manager.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200

        removal(django_admin, membership)

        response = manager.get(reverse("agreements:detail", args=[agreement.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert f"org-{council.pk}-{Role.GOVERNANCE_MANAGER}" not in groups_of(user)
        again = sign_in(Client(), user)  # signing in again gives no more than what is left
        assert again.get(reverse("agreements:tasks", args=[agreement.pk])).status_code == drafting_then

    @pytest.mark.parametrize("removal", REMOVALS)
    def test_the_last_admin_membership_closes_the_django_admin(self, removal, django_admin):
        user = UserFactory()
        membership = membership_create(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)

        removal(django_admin, membership)

        user = get_user_model().objects.get(pk=user.pk)
        assert (user.is_staff, groups_of(user)) == (False, set())

    def test_a_session_begun_at_the_sign_in_page_ends_too(self, client):
        user, council = UserFactory(), OrganisationFactory()
        membership = membership_create(user=user, organisation=council, role=Role.SPOC)
        client.post(reverse("login"), {
            "username": user.username, "password": PASSWORD, "otp_token": current_code(device_of(user)),
        })
        assert client.session[MEMBERSHIPS_SESSION_KEY] == [f"{council.pk}:{Role.SPOC}"]
        assert client.get("/").status_code == 200

        membership.delete()

        assert client.get("/")["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in client.session

    def test_a_membership_gained_keeps_the_session(self):
        user = UserFactory()
        membership_create(user=user, organisation=OrganisationFactory(), role=Role.SPOC)
        client = sign_in(Client(), user)
        assert client.get("/").status_code == 200

        membership_create(user=user, organisation=OrganisationFactory(), role=Role.PRACTITIONER)

        assert client.get("/").status_code == 200

    def test_moving_a_membership_to_another_person_takes_it_from_the_first(self, django_admin):
        first, second, council = UserFactory(), UserFactory(), OrganisationFactory()
        membership = membership_create(user=first, organisation=council, role=Role.SPOC)

        response = django_admin.post(reverse("admin:partners_membership_change", args=[membership.pk]), {
            "user": second.pk, "organisation": council.pk, "role": Role.SPOC,
        })

        assert response.status_code == 302
        assert (groups_of(first), groups_of(second)) == (set(), {f"org-{council.pk}-{Role.SPOC}"})

    def test_deleting_the_person_deletes_their_memberships_without_error(self):
        user = UserFactory()
        membership_create(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)

        user.delete()

        assert Membership.objects.exists() is False


class TestDriftCheck:
    def test_a_bulk_update_that_bypasses_the_grants_is_reported_and_repaired(self):
        user, council = UserFactory(username="r.fairbrother"), OrganisationFactory()
        membership_create(user=user, organisation=council, role=Role.GOVERNANCE_MANAGER)

        Membership.objects.filter(user=user).update(role=Role.PRACTITIONER)  # no signal is sent

        assert grants_drift() == [
            f"r.fairbrother: lacks org-{council.pk}-practitioner; "
            f"holds org-{council.pk}-governance_manager with no membership for it"
        ]
        [error] = grants_drift_check(None)
        assert error.id == "partners.E001"
        assert "Grants differ from memberships for 1 person:" in error.msg and "r.fairbrother" in error.msg
        assert "manage.py grants_sync" in error.hint

        out = io.StringIO()
        call_command("grants_sync", stdout=out)
        assert out.getvalue() == "Grants brought into line with memberships for 1 person.\n"

        assert grants_drift() == [] and grants_drift_check(None) == []
        assert groups_of(user) == {f"org-{council.pk}-practitioner"}

    def test_a_group_given_by_hand_and_staff_without_admin_are_reported(self):
        UserFactory(username="j.archer", is_staff=True)
        other = UserFactory(username="k.grundy")
        membership_create(user=other, organisation=OrganisationFactory(), role=Role.SPOC)

        other.groups.add(Group.objects.get_or_create(name=PORTAL_ADMIN_GROUP)[0])

        assert grants_drift() == [
            "j.archer: is staff without an admin membership",
            f"k.grundy: holds {PORTAL_ADMIN_GROUP} with no membership for it",
        ]

    def test_a_superuser_needs_no_membership(self):
        UserFactory(is_superuser=True, is_staff=True)

        assert grants_drift() == []


def test_the_first_portal_administrator_is_made_by_a_command():
    out = io.StringIO()

    call_command(
        "create_portal_admin", email="Pat.Admin@Felpersham.example", name="Pat Admin",
        organisation="Felpersham Shared Services", password="felpersham shared services admin", stdout=out,
    )

    user = get_user_model().objects.get(username="pat.admin@felpersham.example")
    assert (user.is_staff, user.check_password("felpersham shared services admin")) == (True, True)
    assert user.memberships.get().role == Role.ADMIN
    assert "Portal administrator pat.admin@felpersham.example created for Felpersham Shared Services." in out.getvalue()
    assert grants_drift() == []


def test_a_weak_password_makes_no_administrator():
    with pytest.raises(CommandError, match="This password is too short"):
        call_command("create_portal_admin", email="pat@felpersham.example", name="Pat Admin",
                     organisation="Felpersham Shared Services", password="short")

    assert get_user_model().objects.exists() is False
