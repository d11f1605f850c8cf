"""Writes for organisations, contacts and memberships."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import ContactRole
from agreements.selectors import agreement_content
from agreements.services import party_contact_add
from partners.models import Role, Sector
from partners.permissions import can_change_organisation
from partners.services import (
    contact_confirm_details,
    contact_create,
    contact_update,
    membership_create,
    membership_delete,
    organisation_create,
    organisation_update,
)
from tests.factories import AgreementVersionFactory, ContactFactory, OrganisationFactory, UserFactory

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
        membership_create(user=UserFactory(), organisation=other, role=Role.SPOC)  # other is kept by its own

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
            organisation_create(name="BORSETSHIRE  POLICE", sector=Sector.POLICE)

        assert excinfo.value.message_dict == {"name": ["Borsetshire Police is already in the directory."]}

    def test_tidies_the_spaces_of_its_name(self):
        assert organisation_create(name="  Ambridge   Parish Council ", sector=Sector.OTHER).name == (
            "Ambridge Parish Council"
        )


class TestOrganisationSuccession:
    def test_refuses_to_be_its_own_successor(self):
        organisation = OrganisationFactory(name="Borsetshire Police")

        with pytest.raises(ValidationError) as excinfo:
            organisation_update(organisation=organisation, ceased_on=datetime.date(2026, 3, 31), successor=organisation)

        assert excinfo.value.message_dict == {"successor": ["An organisation cannot be its own successor."]}

    def test_a_successor_needs_the_date_it_ceased(self):
        organisation, successor = OrganisationFactory(), OrganisationFactory()

        with pytest.raises(ValidationError) as excinfo:
            organisation_update(organisation=organisation, successor=successor)

        assert excinfo.value.message_dict == {
            "ceased_on": ["Enter the date it ceased, or leave out the organisation that took on its work."],
        }
        organisation.refresh_from_db()
        assert organisation.successor is None

    def test_changes_only_the_fields_of_its_record(self):
        with pytest.raises(TypeError, match=r"cannot change \['created_at'\]"):
            organisation_update(organisation=OrganisationFactory(), created_at=None)


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


class TestContactUpdate:
    def details(self, **changes) -> dict:
        return {"name": "Ali Brook", "job_title": "Partnership analyst", "email": "ali.brook@police.example",
                "phone": "01632 960 111", **changes}

    def test_changes_the_directory_entry(self):
        contact = ContactFactory()

        contact_update(contact=contact, by_user=UserFactory(), **self.details())

        contact.refresh_from_db()
        assert (contact.name, contact.job_title, contact.email, contact.phone) == (
            "Ali Brook", "Partnership analyst", "ali.brook@police.example", "01632 960 111",
        )

    def test_the_person_changing_their_own_entry_also_confirms_it(self):
        user = UserFactory()
        contact = ContactFactory(user=user)

        contact_update(contact=contact, by_user=user, **self.details())

        contact.refresh_from_db()
        assert contact.details_confirmed_on == timezone.localdate()

    def test_someone_else_changing_it_confirms_nothing(self):
        contact = ContactFactory(user=UserFactory())

        contact_update(contact=contact, by_user=UserFactory(), **self.details())

        contact.refresh_from_db()
        assert contact.details_confirmed_on is None

    def test_an_e_mail_address_already_used_at_the_organisation_is_refused_on_the_email_field(self):
        taken = ContactFactory(email="duty.desk@police.example")
        contact = ContactFactory(organisation=taken.organisation, name="Ali Brook")

        with pytest.raises(ValidationError) as refused:
            contact_update(contact=contact, by_user=None, **self.details(email="duty.desk@police.example"))

        assert refused.value.message_dict == {
            "email": ["Someone at this organisation already has that e-mail address."],
        }
        contact.refresh_from_db()
        assert contact.email != "duty.desk@police.example"

    def test_an_empty_name_saves_nothing(self):
        contact = ContactFactory(name="Ali Brook")

        with pytest.raises(ValidationError) as refused:
            contact_update(contact=contact, by_user=None, **self.details(name="", job_title="Changed"))

        assert list(refused.value.message_dict) == ["name"]
        contact.refresh_from_db()
        assert (contact.name, contact.job_title) == ("Ali Brook", "Community safety officer")

    def test_changing_a_spocs_details_makes_no_new_agreement_version(self, roles):
        """001 §6.5: updating SPOC details is not a substantive change to the agreement."""
        spoc = ContactFactory(organisation=roles.partner, name="Ali Brook")
        party_contact_add(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)
        version = AgreementVersionFactory(agreement=roles.agreement, label="1.0")

        contact_update(contact=spoc, by_user=roles.spoc, **self.details(name="Ali Brook-Hale", phone="01632 960 999"))

        assert list(roles.agreement.versions.all()) == [version]
        assert agreement_content(roles.agreement) == version.content


class TestOrganisationUpdate:
    def test_changes_the_record(self):
        organisation = OrganisationFactory()

        organisation_update(
            organisation=organisation, ico_registration_number="ZA123456",
            ico_renewal_date=datetime.date(2027, 3, 27), phone="01632 960 000", address="1 High Street\nBorchester",
        )

        organisation.refresh_from_db()
        assert (
            organisation.ico_registration_number, organisation.ico_renewal_date, organisation.phone,
            organisation.address,
        ) == ("ZA123456", datetime.date(2027, 3, 27), "01632 960 000", "1 High Street\nBorchester")

    def test_too_long_a_number_saves_nothing(self):
        organisation = OrganisationFactory(phone="01632 960 000")

        with pytest.raises(ValidationError) as refused:
            organisation_update(organisation=organisation, ico_registration_number="Z" * 21, phone="01632 960 001")

        assert list(refused.value.message_dict) == ["ico_registration_number"]
        organisation.refresh_from_db()
        assert organisation.phone == "01632 960 000"
