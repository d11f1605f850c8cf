"""Writes for organisations, contacts and memberships."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from partners.models import Role, Sector
from partners.permissions import can_change_organisation
from partners.services import (
    contact_confirm_details,
    contact_create,
    membership_create,
    membership_delete,
    organisation_create,
)
from tests.factories import ContactFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestMembershipCreate:
    def test_puts_the_user_in_the_organisation_role_group(self):
        user, organisation = UserFactory(), OrganisationFactory()

        membership_create(user=user, organisation=organisation, role=Role.SPOC)

        assert list(user.groups.values_list("name", flat=True)) == [f"org-{organisation.pk}-spoc"]

    @pytest.mark.parametrize("role", [Role.GOVERNANCE_MANAGER, Role.ADMIN])
    def test_governance_manager_or_admin_may_then_change_the_organisation(self, role):
        user, organisation = UserFactory(), OrganisationFactory()

        membership_create(user=user, organisation=organisation, role=role)

        assert can_change_organisation(user, organisation) is True

    @pytest.mark.parametrize(
        "role", [Role.PRACTITIONER, Role.SPOC, Role.LEAD_SIGNATORY, Role.AUDITOR],
    )
    def test_other_roles_may_not_change_the_organisation(self, role):
        user, organisation = UserFactory(), OrganisationFactory()

        membership_create(user=user, organisation=organisation, role=role)

        assert can_change_organisation(user, organisation) is False

    def test_grant_is_for_that_organisation_alone(self):
        user, organisation, other = UserFactory(), OrganisationFactory(), OrganisationFactory()

        membership_create(user=user, organisation=organisation, role=Role.GOVERNANCE_MANAGER)

        assert can_change_organisation(user, other) is False

    def test_refuses_the_same_role_twice(self):
        user, organisation = UserFactory(), OrganisationFactory()
        membership_create(user=user, organisation=organisation, role=Role.SPOC)

        with pytest.raises(ValidationError) as excinfo:
            membership_create(user=user, organisation=organisation, role=Role.SPOC)

        assert excinfo.value.messages == [
            "Membership with this User, Organisation and Role already exists."
        ]


class TestMembershipDelete:
    def test_takes_the_user_out_of_the_group_and_its_grants(self):
        user, organisation = UserFactory(), OrganisationFactory()
        membership = membership_create(
            user=user, organisation=organisation, role=Role.GOVERNANCE_MANAGER,
        )

        membership_delete(membership=membership)

        user = type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions
        assert user.groups.exists() is False
        assert can_change_organisation(user, organisation) is False
        assert Group.objects.filter(name=f"org-{organisation.pk}-governance_manager").exists()


class TestOrganisationCreate:
    def test_refuses_a_name_already_in_the_directory(self):
        OrganisationFactory(name="Borsetshire Police")

        with pytest.raises(ValidationError) as excinfo:
            organisation_create(name="Borsetshire Police", sector=Sector.POLICE)

        assert excinfo.value.message_dict == {
            "name": ["Organisation with this Name already exists."],
        }


class TestContactCreate:
    def test_refuses_an_email_already_used_at_the_organisation(self):
        contact = ContactFactory(email="spoc@borsetshire.example")

        with pytest.raises(ValidationError) as excinfo:
            contact_create(
                organisation=contact.organisation, name="Another Person",
                email="spoc@borsetshire.example",
            )

        assert excinfo.value.messages == [
            "Someone at this organisation already has that e-mail address."
        ]


class TestContactConfirmDetails:
    def test_records_the_day_the_person_confirmed(self):
        contact = ContactFactory()

        contact_confirm_details(contact=contact, on=datetime.date(2025, 3, 3))

        contact.refresh_from_db()
        assert contact.details_confirmed_on == datetime.date(2025, 3, 3)


class TestPortalAdministrators:
    def test_admin_membership_opens_the_django_admin_without_the_sharing_log(self):
        user = UserFactory()
        membership_create(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)

        user = type(user).objects.get(pk=user.pk)  # fresh permission cache
        assert user.is_staff is True
        assert user.has_perm("agreements.change_legalgateway") is True
        assert user.has_perm("partners.change_organisation") is True
        assert user.has_perm("sharing_log.view_disclosure") is False

    def test_removing_the_last_admin_membership_closes_the_django_admin(self):
        user = UserFactory()
        membership = membership_create(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)

        membership_delete(membership=membership)

        user = type(user).objects.get(pk=user.pk)
        assert user.is_staff is False
        assert user.has_perm("agreements.change_legalgateway") is False
