"""The signing rules of agreements/permissions.py: who may download a signature form's scan,
and who sees signatures across agreements."""

import pytest

from agreements.permissions import can_download_scan, can_oversee_signatures
from agreements.services import agreement_version_create, signature_record_paper
from tests.factories import UserFactory
from tests.roles import SUBJECTS

pytestmark = pytest.mark.django_db


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
