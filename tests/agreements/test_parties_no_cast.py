"""Parties (agreements/models/parties.py, services/parties.py) where the test needs a database
without the standard cast: which parties are in force counts every party there is, and naming a
contact makes organisations by the cast's names. Kept apart from test_parties.py, whose module
shares a cast (``roles``, see docs/testing.md)."""


import pytest
from django.core.exceptions import ValidationError

from agreements.models import (
    ContactRole,
    Party,
    PartyStatus,
)
from agreements.services import (
    party_contact_add,
)
from tests.agreements.helpers import DAY, EFFECTIVE
from tests.factories import (
    ContactFactory,
    OrganisationFactory,
    PartyFactory,
)

pytestmark = pytest.mark.django_db


class TestPartyInForce:
    """``Party.objects.in_force(on=…)``: who may receive a disclosure that day."""

    def in_force_on(self, day) -> list[Party]:
        return list(Party.objects.in_force(on=day))

    def test_signed_party_is_in_force(self):
        party = PartyFactory(signed=True)

        assert self.in_force_on(EFFECTIVE) == [party]

    @pytest.mark.parametrize(
        "status", [PartyStatus.INVITED, PartyStatus.AWAITING_DETAILS, PartyStatus.AWAIT_CASE,
                   PartyStatus.DECLINED],
    )
    def test_party_that_has_not_signed_is_not_in_force(self, status):
        PartyFactory(status=status)

        assert self.in_force_on(EFFECTIVE) == []

    def test_withdrawal_notified_party_is_in_force_until_its_effective_date(self):
        party = PartyFactory(
            status=PartyStatus.WITHDRAWAL_NOTIFIED, withdrawal_notified_on=EFFECTIVE,
            withdrawal_effective_on=EFFECTIVE + 31 * DAY,
        )

        assert self.in_force_on(EFFECTIVE + 30 * DAY) == [party]
        assert self.in_force_on(EFFECTIVE + 31 * DAY) == []
        assert self.in_force_on(EFFECTIVE + 32 * DAY) == []

    def test_withdrawn_party_is_not_in_force(self):
        PartyFactory(
            status=PartyStatus.WITHDRAWN, withdrawal_notified_on=EFFECTIVE,
            withdrawal_effective_on=EFFECTIVE + 31 * DAY,
        )

        assert self.in_force_on(EFFECTIVE) == []


class TestPartyContactAdd:
    def test_names_a_contact_of_the_party_organisation(self):
        party = PartyFactory()
        contact = ContactFactory(organisation=party.organisation)

        party_contact = party_contact_add(party=party, contact=contact, role=ContactRole.SPOC)

        assert list(party.contacts.all()) == [party_contact]

    def test_refuses_a_contact_from_another_organisation(self):
        party = PartyFactory(organisation=OrganisationFactory(name="Borsetshire Police"))
        contact = ContactFactory(
            name="Alex Example", organisation=OrganisationFactory(name="Felpersham Housing Association"),
        )

        with pytest.raises(ValidationError) as excinfo:
            party_contact_add(party=party, contact=contact, role=ContactRole.SPOC)

        assert excinfo.value.message_dict == {
            "contact": ["Alex Example works for Felpersham Housing Association, not Borsetshire Police."],
        }
        assert party.contacts.exists() is False
