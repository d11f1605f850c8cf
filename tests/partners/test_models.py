"""Organisations, contacts and memberships: the rules the database holds."""

import datetime

import pytest

from partners.models import Contact, Membership, Notification, Organisation, Role
from tests.db import violates
from tests.factories import ContactFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CEASED = datetime.date(2022, 7, 1)


class TestOrganisation:
    def test_cannot_be_its_own_successor(self):
        organisation = OrganisationFactory(ceased_on=CEASED)

        with violates(Organisation, "organisation_not_own_successor"):
            Organisation.objects.filter(pk=organisation.pk).update(successor=organisation)

    def test_ceased_organisation_may_name_another_as_successor(self):
        successor = OrganisationFactory(name="Borsetshire Integrated Care Board")
        ceased = OrganisationFactory(name="Borsetshire Primary Care Trust", ceased_on=CEASED)

        Organisation.objects.filter(pk=ceased.pk).update(successor=successor)

        assert list(successor.predecessors.all()) == [ceased]

    def test_organisation_still_in_being_cannot_have_a_successor(self):
        successor, organisation = OrganisationFactory(), OrganisationFactory()

        with violates(Organisation, "organisation_successor_only_when_ceased"):
            Organisation.objects.filter(pk=organisation.pk).update(successor=successor)

    def test_active_excludes_ceased_organisations(self):
        current = OrganisationFactory()
        OrganisationFactory(ceased_on=CEASED)

        assert list(Organisation.objects.active()) == [current]

    def test_page_is_the_directory_entry(self):
        organisation = OrganisationFactory()

        assert organisation.get_absolute_url() == f"/partners/{organisation.pk}/"


class TestContact:
    def test_email_is_unique_within_an_organisation(self):
        contact = ContactFactory(email="spoc@borsetshire.example")

        with violates(Contact, "contact_unique_email_per_organisation"):
            Contact.objects.create(
                organisation=contact.organisation, name="Another Person",
                email="spoc@borsetshire.example",
            )

    def test_same_email_may_appear_at_another_organisation(self):
        ContactFactory(email="spoc@borsetshire.example")

        ContactFactory(email="spoc@borsetshire.example")

        assert Contact.objects.filter(email="spoc@borsetshire.example").count() == 2

    def test_several_contacts_of_one_organisation_may_have_no_email(self):
        organisation = OrganisationFactory()

        Contact.objects.create(organisation=organisation, name="First Person", email="")
        Contact.objects.create(organisation=organisation, name="Second Person", email="")

        assert organisation.contacts.count() == 2


class TestMembership:
    def test_user_holds_a_role_at_an_organisation_once(self):
        user, organisation = UserFactory(), OrganisationFactory()
        Membership.objects.create(user=user, organisation=organisation, role=Role.SPOC)

        with violates(Membership, "membership_unique_role"):
            Membership.objects.create(user=user, organisation=organisation, role=Role.SPOC)

    def test_user_may_hold_several_roles_at_one_organisation(self):
        user, organisation = UserFactory(), OrganisationFactory()

        Membership.objects.create(user=user, organisation=organisation, role=Role.SPOC)
        Membership.objects.create(user=user, organisation=organisation, role=Role.AUDITOR)

        assert user.memberships.count() == 2


class TestNotification:
    def test_a_person_is_told_of_an_event_once(self):
        contact = ContactFactory()
        Notification.objects.create(recipient=contact, subject="Review due", body="…", event_key="review:1:30")

        with violates(Notification, "notification_once_per_event"):
            Notification.objects.create(recipient=contact, subject="Review due", body="…", event_key="review:1:30")

    def test_notifications_without_an_event_key_may_repeat(self):
        contact = ContactFactory()

        Notification.objects.create(recipient=contact, subject="Hello", body="…")
        Notification.objects.create(recipient=contact, subject="Hello", body="…")

        assert contact.notifications.count() == 2
