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
    name_core,
    organisations_filtered,
    organisations_like,
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


class TestNearMatches:
    @pytest.mark.parametrize(("existing", "typed"), [
        ("South Cambridgeshire District Council", "south cambridgeshire council"),
        ("South Cambridgeshire District Council", "SOUTH CAMBRIDGESHIRE DISTRICT COUNCIL."),
        ("Cambridge & Peterborough NHS Foundation Trust", "Cambridge and Peterborough Foundation Trust"),
        ("Borsetshire Police", "Borsetshire Polcie"),  # a typing slip
        ("St. Mary’s Academy", "St Marys Academy"),
    ])
    def test_what_counts_as_the_same_body(self, existing, typed):
        organisation = OrganisationFactory(name=existing)

        assert organisations_like(typed) == [organisation]

    @pytest.mark.parametrize(("existing", "typed"), [
        ("Cambridgeshire County Council", "Peterborough City Council"),
        ("South Cambridgeshire District Council", "East Cambridgeshire District Council"),
        ("Borsetshire Police", "Borsetshire Fire and Rescue"),
    ])
    def test_different_bodies_are_not_matched(self, existing, typed):
        OrganisationFactory(name=existing)

        assert organisations_like(typed) == []

    def test_the_organisation_itself_can_be_left_out(self):
        organisation = OrganisationFactory(name="Borsetshire Police")

        assert organisations_like("Borsetshire Police", excluding=organisation) == []

    def test_a_name_of_kind_words_only_keeps_them(self):
        assert name_core("The County Council") == "the county council"
