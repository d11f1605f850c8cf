"""Who may read which entries of the sharing log (``disclosures_visible_to``,
sharing_log/selectors/common.py)."""


import pytest
from django.contrib.auth.models import AnonymousUser

from partners.models import Role
from sharing_log.selectors import (
    disclosures_visible_to,
)
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def visible(user, entries) -> set[str]:
    seen = set(disclosures_visible_to(user))
    return {name for name, entry in entries.items() if entry in seen}


def test_disclosing_organisations_reader_sees_the_entry(roles, entries):
    assert visible(roles.spoc, entries) == {"partner_to_owner"}


@pytest.mark.parametrize("subject", ["practitioner", "governance_manager"])
def test_recipient_organisations_readers_see_the_entry(roles, entries, subject):
    assert "partner_to_owner" in visible(roles.subject(subject), entries)


def test_owners_readers_see_what_the_owner_made_and_received(roles, entries):
    assert visible(roles.practitioner, entries) == {"partner_to_owner", "owner_to_fire"}


def test_unrelated_organisation_sees_only_its_own_entries(roles, entries):
    assert visible(roles.unrelated, entries) == {"unrelated_to_landlord"}


def test_auditor_of_a_party_sees_every_entry_under_that_agreement(roles, entries):
    assert visible(roles.auditor, entries) == {"partner_to_owner", "owner_to_fire"}


def test_auditor_of_an_organisation_party_to_nothing_sees_nothing(roles, entries):
    assert visible(roles.member(roles.host, Role.AUDITOR), entries) == set()


@pytest.mark.parametrize("status", ["invited", "awaiting_details", "await_case", "declined"])
def test_auditor_of_an_organisation_not_yet_joined_sees_nothing(roles, entries, status):
    PartyFactory(agreement=roles.agreement, organisation=roles.host, status=status)
    assert visible(roles.member(roles.host, Role.AUDITOR), entries) == set()


def test_admin_sees_no_entries(roles, entries):
    assert visible(roles.admin, entries) == set()


def test_admin_role_at_the_recipient_organisation_gives_no_sight_of_entries(roles, entries):
    assert visible(roles.member(roles.owner, Role.ADMIN), entries) == set()


def test_lead_signatory_of_the_disclosing_organisation_sees_no_entries(roles, entries):
    assert visible(roles.lead_signatory, entries) == set()


def test_anonymous_visitor_sees_no_entries(roles, entries):
    assert visible(AnonymousUser(), entries) == set()
