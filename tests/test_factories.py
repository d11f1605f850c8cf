"""The factories make valid rows with the permissions the services would grant."""

import pytest
from django.contrib.auth.models import Group

from agreements.models import Agreement, PartyStatus
from agreements.permissions import can_sign
from partners.models import Role
from sharing_log.models import Decision

from .auth import device_of
from .factories import (
    AgreementFactory,
    AgreementVersionFactory,
    DisclosureFactory,
    MembershipFactory,
    PartyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_user_factory_gives_a_confirmed_authenticator_app():
    user = UserFactory()

    assert device_of(user).confirmed is True


def test_user_factory_can_make_a_user_without_a_device():
    user = UserFactory(otp_device=False)

    assert user.totpdevice_set.exists() is False


def test_membership_factory_puts_the_user_in_the_organisation_role_group():
    membership = MembershipFactory(role=Role.SPOC)

    group = Group.objects.get(name=f"org-{membership.organisation.pk}-spoc")
    assert list(membership.user.groups.all()) == [group]


def test_agreement_factory_grants_the_owners_members_sight():
    membership = MembershipFactory(role=Role.PRACTITIONER)
    agreement = AgreementFactory(owner=membership.organisation)

    assert membership.user.has_perm("agreements.view_agreement", agreement) is True


def test_party_factory_lets_the_partys_lead_signatory_sign():
    party = PartyFactory()
    signatory = MembershipFactory(organisation=party.organisation, role=Role.LEAD_SIGNATORY).user

    assert can_sign(signatory, party) is True


def test_agreement_version_factory_numbers_versions_in_turn():
    agreement = AgreementFactory()

    versions = [AgreementVersionFactory(agreement=agreement) for _ in range(2)]

    assert [(v.number, v.label) for v in versions] == [(1, "1.0"), (2, "2.0")]


def test_disclosure_factory_makes_a_valid_shared_entry_between_signed_parties():
    disclosure = DisclosureFactory()

    disclosure.full_clean()
    assert disclosure.decision == Decision.SHARED
    assert Agreement.objects.in_force(on=disclosure.occurred_at.date()).filter(
        pk=disclosure.agreement.pk
    ).exists()
    in_force = disclosure.agreement.parties.in_force(on=disclosure.occurred_at.date())
    assert set(in_force.values_list("organisation", flat=True)) == {
        disclosure.disclosing_organisation.pk, disclosure.recipient_organisation.pk,
    }
    assert disclosure.disclosed_by.memberships.get().organisation == disclosure.disclosing_organisation


def test_party_factory_withdrawal_notified_trait_gives_a_valid_notice():
    party = PartyFactory(withdrawal_notified=True)

    party.full_clean()
    assert party.status == PartyStatus.WITHDRAWAL_NOTIFIED
    assert party.withdrawal_effective_on > party.withdrawal_notified_on
