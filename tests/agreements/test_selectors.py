"""Reads for agreements: who sees which agreement, and what a version freezes."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from agreements.models import ContactRole, DataLevel, PartyStatus
from agreements.permissions import can_sign
from agreements.selectors import (
    agreement_content,
    agreements_for_home,
    agreements_visible_to,
    parties_user_may_sign,
)
from agreements.services import data_item_create, party_contact_add
from partners.models import Role
from tests.factories import AgreementFactory, ContactFactory, PartyFactory

pytestmark = pytest.mark.django_db


def visible(user) -> set:
    return set(agreements_visible_to(user))


class TestAgreementsVisibleTo:
    @pytest.mark.parametrize("subject", ["practitioner", "governance_manager"])
    def test_owners_members_see_its_draft(self, roles, subject):
        assert roles.draft in visible(roles.subject(subject))

    @pytest.mark.parametrize("subject", ["spoc", "lead_signatory", "auditor"])
    def test_party_organisations_members_do_not_see_a_draft_they_are_invited_to(self, roles, subject):
        assert roles.draft not in visible(roles.subject(subject))

    @pytest.mark.parametrize("subject", ["spoc", "lead_signatory", "auditor"])
    def test_party_organisations_members_see_the_agreement_once_out_of_draft(self, roles, subject):
        assert visible(roles.subject(subject)) == {roles.agreement}

    @pytest.mark.parametrize(
        "status", [PartyStatus.INVITED, PartyStatus.DECLINED, PartyStatus.WITHDRAWN],
    )
    def test_party_in_any_status_sees_the_agreement(self, roles, status):
        extra = {}
        if status == PartyStatus.WITHDRAWN:
            notified = roles.agreement.effective_date
            extra = {"withdrawal_notified_on": notified,
                     "withdrawal_effective_on": notified + datetime.timedelta(days=31)}
        party = PartyFactory(agreement=roles.agreement, status=status, **extra)

        assert visible(roles.member(party.organisation, Role.PRACTITIONER)) == {roles.agreement}

    def test_unrelated_organisation_sees_only_its_own(self, roles):
        assert visible(roles.unrelated) == {roles.unrelated_agreement}

    def test_member_of_an_organisation_party_to_nothing_sees_nothing(self, roles):
        assert visible(roles.member(roles.host, Role.GOVERNANCE_MANAGER)) == set()

    def test_anonymous_visitor_sees_nothing(self, roles):
        assert visible(AnonymousUser()) == set()

    def test_admin_sees_every_agreement_drafts_included(self, roles):
        assert visible(roles.admin) == {roles.agreement, roles.draft, roles.unrelated_agreement}

    def test_another_organisations_draft_stays_hidden_even_from_its_invitees_governance_manager(
        self, roles,
    ):
        draft = AgreementFactory(owner=roles.unrelated_organisation)
        PartyFactory(agreement=draft, organisation=roles.owner)

        assert draft not in visible(roles.governance_manager)


class TestAgreementsForHome:
    def test_admin_sees_only_their_own_organisations_agreements_at_home(self, roles):
        assert list(agreements_for_home(roles.admin)) == []

    def test_lists_what_the_users_organisation_owns_or_is_party_to(self, roles):
        home = list(agreements_for_home(roles.practitioner))

        assert home == [roles.agreement, roles.draft]
        assert [agreement.party_count for agreement in home] == [2, 2]


class TestPartiesUserMaySign:
    def test_lead_signatory_is_offered_their_own_organisations_parties(self, roles):
        other = PartyFactory(organisation=roles.partner, signed=True)

        assert set(parties_user_may_sign(roles.lead_signatory)) == {roles.partner_party, other}

    def test_lead_signatory_is_not_offered_a_draft_they_cannot_open(self, roles):
        draft_party = roles.draft.parties.get(organisation=roles.partner)

        assert can_sign(roles.lead_signatory, draft_party) is True
        assert draft_party not in parties_user_may_sign(roles.lead_signatory)

    def test_owners_lead_signatory_is_offered_the_owners_draft(self, roles):
        signatory = roles.member(roles.owner, Role.LEAD_SIGNATORY)

        assert set(parties_user_may_sign(signatory)) == {
            roles.owner_party, roles.draft.parties.get(organisation=roles.owner),
        }

    @pytest.mark.parametrize("subject", ["governance_manager", "admin", "spoc", "unrelated"])
    def test_nobody_else_may_sign(self, roles, subject):
        assert list(parties_user_may_sign(roles.subject(subject))) == []


class TestAgreementContent:
    def test_leaves_out_spoc_contact_details(self, roles):
        contact = ContactFactory(
            organisation=roles.partner, name="Jo Example", email="jo.example@borsetshire.example",
            phone="01632 960123",
        )
        party_contact_add(party=roles.partner_party, contact=contact, role=ContactRole.SPOC)

        content = repr(agreement_content(roles.agreement))

        assert [value for value in ("Jo Example", "jo.example@", "01632 960123") if value in content] == []

    def test_leaves_out_the_parties_so_a_partner_joining_makes_no_new_version(self, roles):
        before = agreement_content(roles.agreement)

        PartyFactory(agreement=roles.agreement)

        assert "parties" not in before
        assert agreement_content(roles.agreement) == before

    def test_names_who_provides_each_data_item(self, roles):
        data_item_create(
            agreement=roles.agreement, provider_label="Police", level=DataLevel.MINIMUM,
            description="Names of people arrested", providers=[roles.partner_party],
        )

        [item] = agreement_content(roles.agreement)["data_items"]

        assert item["providers"] == ["Borsetshire Police"]
