"""Reads for the directory (``partners.selectors``)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from partners.models import Organisation, Sector
from partners.selectors import (
    RENEWAL_DUE_SOON,
    RENEWAL_OVERDUE,
    contacts_visible_to,
    ico_renewal_state,
    organisations_filtered,
    organisations_visible_to,
)
from tests.factories import ContactFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 5)


class TestOrganisationsFiltered:
    def test_by_sector(self):
        police = OrganisationFactory(name="Borsetshire Police", sector=Sector.POLICE)
        OrganisationFactory(name="Borsetshire County Council", sector=Sector.COUNTY_COUNCIL)

        assert list(organisations_filtered(Organisation.objects.all(), sector=Sector.POLICE)) == [police]

    @pytest.mark.parametrize("search", ["police", " Borsetshire  POLICE ", "za123456"])
    def test_by_name_or_exact_ico_registration_number(self, search):
        police = OrganisationFactory(name="Borsetshire Police", ico_registration_number="ZA123456")
        OrganisationFactory(name="Felpersham Housing Association", ico_registration_number="ZA654321")

        assert list(organisations_filtered(Organisation.objects.all(), search=search)) == [police]

    def test_no_filter_keeps_them_all(self):
        OrganisationFactory(), OrganisationFactory()

        assert organisations_filtered(Organisation.objects.all()).count() == 2


class TestIcoRenewalState:
    @pytest.mark.parametrize(("days", "expected"), [
        (-1, RENEWAL_OVERDUE), (0, RENEWAL_DUE_SOON), (30, RENEWAL_DUE_SOON), (31, ""),
    ])
    def test_by_days_to_renewal(self, days, expected):
        organisation = Organisation(ico_renewal_date=TODAY + datetime.timedelta(days=days))

        assert ico_renewal_state(organisation, on=TODAY) == expected

    def test_no_date_is_not_due(self):
        assert ico_renewal_state(Organisation(), on=TODAY) == ""

    def test_a_ceased_body_has_nothing_to_renew(self):
        organisation = Organisation(ico_renewal_date=TODAY - datetime.timedelta(days=400), ceased_on=TODAY)

        assert ico_renewal_state(organisation, on=TODAY) == ""


class TestContactsVisibleTo:
    def test_everyone_signed_in_sees_the_directorys_people(self):
        contact = ContactFactory()

        assert list(contacts_visible_to(UserFactory())) == [contact]

    def test_anonymous_visitor_sees_nobody(self):
        ContactFactory()

        assert list(contacts_visible_to(AnonymousUser())) == []
        assert list(organisations_visible_to(AnonymousUser())) == []
