"""Who may sign for a party, manage an agreement, download a signature scan and oversee
signatures (agreements/permissions.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from agreements.permissions import (
    can_download_scan,
    can_edit_party_contacts,
    can_manage,
    can_oversee_signatures,
    can_record_withdrawal,
    can_sign,
    revoke_party,
)
from agreements.services import agreement_version_create, signature_record_paper
from partners.models import Role
from tests.factories import PartyFactory, UserFactory
from tests.roles import SUBJECTS

pytestmark = pytest.mark.django_db


class TestCanSign:
    def test_party_organisations_lead_signatory_may_sign(self, roles):
        assert can_sign(roles.lead_signatory, roles.partner_party) is True

    @pytest.mark.parametrize(
        "subject", ["practitioner", "spoc", "governance_manager", "auditor", "admin", "unrelated"],
    )
    def test_nobody_else_may_sign_for_the_party(self, roles, subject):
        assert can_sign(roles.subject(subject), roles.partner_party) is False

    def test_owners_governance_manager_may_not_sign_for_a_partner(self, roles):
        assert can_sign(roles.governance_manager, roles.partner_party) is False

    def test_lead_signatory_may_not_sign_for_another_party_to_the_same_agreement(self, roles):
        assert can_sign(roles.lead_signatory, roles.owner_party) is False

    def test_owners_lead_signatory_signs_for_the_owner(self, roles):
        owners_signatory = roles.member(roles.owner, Role.LEAD_SIGNATORY)

        assert can_sign(owners_signatory, roles.owner_party) is True
        assert can_sign(owners_signatory, roles.partner_party) is False

    def test_anonymous_visitor_may_not_sign(self, roles):
        assert can_sign(AnonymousUser(), roles.partner_party) is False


class TestCanManage:
    def test_owners_governance_manager_may_manage(self, roles):
        assert can_manage(roles.governance_manager, roles.agreement) is True
        assert can_manage(roles.governance_manager, roles.draft) is True

    @pytest.mark.parametrize(
        "subject", ["practitioner", "spoc", "lead_signatory", "auditor", "admin", "unrelated"],
    )
    def test_nobody_else_may_manage(self, roles, subject):
        assert can_manage(roles.subject(subject), roles.agreement) is False

    def test_partners_governance_manager_may_not_manage_the_owners_agreement(self, roles):
        partners_manager = roles.member(roles.partner, Role.GOVERNANCE_MANAGER)

        assert can_manage(partners_manager, roles.agreement) is False

    def test_anonymous_visitor_may_not_manage(self, roles):
        assert can_manage(AnonymousUser(), roles.agreement) is False


class TestRevokeParty:
    def test_party_organisations_members_lose_sight_and_signature(self, roles):
        revoke_party(party=roles.partner_party)

        assert roles.spoc.has_perm("agreements.view_agreement", roles.agreement) is False
        assert can_sign(roles.lead_signatory, roles.partner_party) is False

    def test_owner_keeps_sight_of_its_agreement_when_its_own_party_is_revoked(self, roles):
        revoke_party(party=roles.owner_party)

        assert roles.practitioner.has_perm("agreements.view_agreement", roles.agreement) is True
        assert can_manage(roles.governance_manager, roles.agreement) is True

    def test_revoking_one_agreements_party_leaves_the_organisations_other_agreements(self, roles):
        other = PartyFactory(organisation=roles.partner, signed=True)

        revoke_party(party=roles.partner_party)

        assert roles.spoc.has_perm("agreements.view_agreement", other.agreement) is True


class TestDjangoSuperuser:
    """A Django superuser (``createsuperuser``, for operations) gains nothing here: guardian is
    asked with ``with_superuser=False``, as partners.permissions says."""

    def test_superuser_may_not_sign_for_a_party(self, roles):
        superuser = UserFactory(is_superuser=True, is_staff=True)

        assert can_sign(superuser, roles.partner_party) is False

    def test_superuser_may_not_manage_an_agreement(self, roles):
        superuser = UserFactory(is_superuser=True, is_staff=True)

        assert can_manage(superuser, roles.agreement) is False


class TestCanEditPartyContacts:
    def test_owners_governance_manager_may_for_every_party(self, roles):
        assert [can_edit_party_contacts(roles.governance_manager, party)
                for party in (roles.owner_party, roles.partner_party)] == [True, True]

    @pytest.mark.parametrize("role", [Role.SPOC, Role.GOVERNANCE_MANAGER])
    def test_the_partys_own_spoc_and_governance_manager_may_for_their_own_party(self, roles, role):
        own = roles.member(roles.partner, role)

        assert can_edit_party_contacts(own, roles.partner_party) is True
        assert can_edit_party_contacts(own, roles.owner_party) is False

    @pytest.mark.parametrize("subject", ["practitioner", "lead_signatory", "auditor", "admin", "unrelated"])
    def test_nobody_else_may(self, roles, subject):
        assert can_edit_party_contacts(roles.subject(subject), roles.partner_party) is False

    def test_anonymous_visitor_may_not(self, roles):
        assert can_edit_party_contacts(AnonymousUser(), roles.partner_party) is False


class TestCanRecordWithdrawal:
    def test_owners_governance_manager_may(self, roles):
        assert can_record_withdrawal(roles.governance_manager, roles.partner_party) is True

    def test_the_withdrawing_partys_own_governance_manager_may(self, roles):
        own = roles.member(roles.partner, Role.GOVERNANCE_MANAGER)

        assert can_record_withdrawal(own, roles.partner_party) is True
        assert can_record_withdrawal(own, roles.owner_party) is False

    @pytest.mark.parametrize("subject", ["practitioner", "spoc", "lead_signatory", "auditor", "admin", "unrelated"])
    def test_nobody_else_may(self, roles, subject):
        assert can_record_withdrawal(roles.subject(subject), roles.partner_party) is False


@pytest.fixture
def partner_signature(roles):
    version = agreement_version_create(agreement=roles.agreement, label="1.0")
    return signature_record_paper(party=roles.partner_party, version=version, signatory_name="Jo Example")


class TestCanDownloadScan:
    def test_the_owners_governance_manager_and_the_partners_members_may(self, roles, partner_signature):
        allowed = {s for s in SUBJECTS if s != "anonymous" and can_download_scan(roles.subject(s), partner_signature)}

        assert allowed == {"governance_manager", "spoc", "lead_signatory", "auditor"}

    def test_the_owners_members_may_download_the_owners_own_form(self, roles):
        version = agreement_version_create(agreement=roles.agreement, label="1.0")
        signature = signature_record_paper(party=roles.owner_party, version=version, signatory_name="Kit Example")

        assert can_download_scan(roles.practitioner, signature) is True
        assert can_download_scan(roles.lead_signatory, signature) is False

    def test_a_superuser_gains_nothing(self, partner_signature):
        assert can_download_scan(UserFactory(is_superuser=True, is_staff=True), partner_signature) is False


class TestCanOverseeSignatures:
    def test_governance_managers_of_any_organisation_and_nobody_else(self, roles):
        allowed = {s for s in SUBJECTS if s != "anonymous" and can_oversee_signatures(roles.subject(s))}

        assert allowed == {"governance_manager", "unrelated"}
