"""Legal gateways (agreements/models/gateways.py, services/gateways.py, selectors/gateways.py):
the catalogue's rules the database holds, saving a gateway, and proposals to add one."""


import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import (
    GatewayProposal,
    GatewayStatus,
    LegalGateway,
    ProposalStatus,
)
from agreements.selectors import gateway_proposals_visible_to
from agreements.services import (
    gateway_proposal_approve,
    gateway_proposal_reject,
    gateway_propose,
    gateway_save,
)
from partners.models import Role
from tests.db import violates
from tests.factories import (
    LegalGatewayFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class TestLegalGateway:
    def test_cannot_be_replaced_by_itself(self):
        gateway = LegalGatewayFactory(repealed=True)

        with violates(LegalGateway, "gateway_not_replaced_by_itself"):
            LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=gateway)

    def test_repealed_gateway_may_name_its_replacement(self):
        replacement = LegalGatewayFactory(schedule1=True)
        repealed = LegalGatewayFactory(repealed=True)

        LegalGateway.objects.filter(pk=repealed.pk).update(replaced_by=replacement)

        assert list(replacement.replaces.all()) == [repealed]

    def test_current_gateway_cannot_have_a_replacement(self):
        replacement, gateway = LegalGatewayFactory(), LegalGatewayFactory()

        with violates(LegalGateway, "gateway_replacement_only_when_not_current"):
            LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=replacement)

    def test_superseded_gateway_may_have_a_replacement(self):
        replacement = LegalGatewayFactory()
        gateway = LegalGatewayFactory(status=GatewayStatus.SUPERSEDED)

        LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=replacement)

        gateway.refresh_from_db()
        assert gateway.replaced_by == replacement


class TestGatewaySave:
    def test_creates_then_updates_the_gateway_of_that_key(self):
        gateway_save(key="cda-1998-s115", instrument="Crime and Disorder Act 1998",
                     provision="s115", title="Disclosure of information", category="statute")

        gateway = gateway_save(key="cda-1998-s115", summary="Any person may disclose to a relevant authority.")

        assert (gateway.provision, gateway.summary) == (
            "s115", "Any person may disclose to a relevant authority.",
        )
        assert LegalGateway.objects.count() == 1


# Proposals to add to the catalogue -----------------------------------------------------------

ASBCPA = {
    "instrument": "Anti-social Behaviour, Crime and Policing Act 2014", "provision": "Sch 4 para 7",
    "title": "ASB case reviews: information", "category": "statute",
    "summary": "The bodies carrying out an ASB case review may ask anyone for information they need for it.",
}


@pytest.fixture
def manager():
    user = UserFactory(first_name="Robin", last_name="Example")
    MembershipFactory(user=user, role=Role.GOVERNANCE_MANAGER)
    return user


@pytest.fixture
def administrator():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.ADMIN)
    return user


class TestGatewayProposals:
    def test_a_proposal_is_not_in_the_catalogue_until_approved(self, manager, administrator):
        proposal = gateway_propose(by_user=manager, **ASBCPA)

        assert proposal.status == ProposalStatus.PROPOSED
        assert LegalGateway.objects.filter(instrument=ASBCPA["instrument"]).exists() is False

        gateway = gateway_proposal_approve(proposal=proposal, by_user=administrator)

        proposal.refresh_from_db()
        assert (proposal.status, proposal.gateway) == (ProposalStatus.APPROVED, gateway)
        assert proposal.decided_by == administrator
        assert (gateway.key, str(gateway), gateway.status) == (
            "anti-social-behaviour-crime-and-policing-act-2014-sch-4-para-7",
            "Anti-social Behaviour, Crime and Policing Act 2014 Sch 4 para 7", GatewayStatus.CURRENT,
        )
        assert gateway.summary == ASBCPA["summary"]

    def test_a_provision_already_catalogued_is_refused(self, manager):
        LegalGatewayFactory(instrument="Crime and Disorder Act 1998", provision="s115")

        with pytest.raises(ValidationError) as excinfo:
            gateway_propose(by_user=manager, **{**ASBCPA, "instrument": "crime and disorder act 1998",
                                                "provision": "S115"})

        assert excinfo.value.message_dict == {
            "provision": ["Crime and Disorder Act 1998 s115 is already in the catalogue: cite it from there."],
        }
        assert GatewayProposal.objects.exists() is False

    def test_the_same_provision_is_not_proposed_twice_while_waiting(self, manager):
        gateway_propose(by_user=manager, **ASBCPA)

        with pytest.raises(ValidationError) as excinfo:
            gateway_propose(by_user=manager, **ASBCPA)

        assert excinfo.value.message_dict == {"provision": [
            "Anti-social Behaviour, Crime and Policing Act 2014 Sch 4 para 7 has been proposed already and awaits a "
            "decision.",
        ]}

    def test_a_rejection_needs_its_reason_and_keeps_it_out(self, manager, administrator):
        proposal = gateway_propose(by_user=manager, **ASBCPA)

        with pytest.raises(ValidationError) as excinfo:
            gateway_proposal_reject(proposal=proposal, by_user=administrator, reason="  ")
        assert excinfo.value.message_dict == {"reason": ["Give the reason it is not approved."]}

        gateway_proposal_reject(proposal=proposal, by_user=administrator, reason="Cite s104 and Sch 4 together.")

        proposal.refresh_from_db()
        assert (proposal.status, proposal.reason) == (ProposalStatus.REJECTED, "Cite s104 and Sch 4 together.")
        assert LegalGateway.objects.filter(instrument=ASBCPA["instrument"]).exists() is False

    def test_a_decision_is_made_once(self, manager, administrator):
        proposal = gateway_propose(by_user=manager, **ASBCPA)
        gateway_proposal_reject(proposal=proposal, by_user=administrator, reason="Not a gateway.")

        with pytest.raises(ValidationError) as excinfo:
            gateway_proposal_approve(proposal=proposal, by_user=administrator)

        assert excinfo.value.messages == ["This proposal was not approved already."]
        assert LegalGateway.objects.filter(instrument=ASBCPA["instrument"]).exists() is False

    def test_the_database_refuses_an_approval_without_its_gateway(self, manager):
        proposal = gateway_propose(by_user=manager, **ASBCPA)

        with violates(GatewayProposal, "gateway_proposal_decided_consistently"):
            GatewayProposal.objects.filter(pk=proposal.pk).update(
                status=ProposalStatus.APPROVED, decided_at=timezone.now(),
            )

    def test_administrators_see_every_proposal_and_managers_their_own(self, manager, administrator):
        mine = gateway_propose(by_user=manager, **ASBCPA)
        other = UserFactory()
        MembershipFactory(user=other, role=Role.GOVERNANCE_MANAGER)
        theirs = gateway_propose(by_user=other, **{**ASBCPA, "provision": "s104"})

        assert set(gateway_proposals_visible_to(administrator)) == {mine, theirs}
        assert list(gateway_proposals_visible_to(manager)) == [mine]


class TestCatalogue:
    """The catalogue every database starts with (migration 0007), which the demo does not need."""

    @pytest.fixture
    def migration(self):
        return importlib.import_module("agreements.migrations.0007_legal_gateway_catalogue")

    def test_holds_what_partnerships_commonly_cite(self, migration):
        migration.add_catalogue(django_apps, None)

        cited = {str(gateway) for gateway in LegalGateway.objects.filter(status=GatewayStatus.CURRENT)}
        assert {
            "Anti-social Behaviour, Crime and Policing Act 2014 s104",
            "Anti-social Behaviour, Crime and Policing Act 2014 Sch 4 para 7",
            "Children Act 1989 s17", "Children Act 1989 s47", "Care Act 2014 s42", "Domestic Abuse Act 2021 s57",
            "Localism Act 2011 s1", "Local Government Act 1972 s111", "National Health Service Act 2006 s251",
            "Police, Crime, Sentencing and Courts Act 2022 s8", "Police, Crime, Sentencing and Courts Act 2022 s16",
        } <= cited
        assert LegalGateway.objects.get(key="dpa-1998").replaced_by.key == "dpa-2018"

    def test_adding_it_again_changes_nothing_an_administrator_edited(self, migration):
        migration.add_catalogue(django_apps, None)
        LegalGateway.objects.filter(key="lga-1972-s111").update(summary="Edited by an administrator.")
        count = LegalGateway.objects.count()

        migration.add_catalogue(django_apps, None)

        assert LegalGateway.objects.count() == count
        assert LegalGateway.objects.get(key="lga-1972-s111").summary == "Edited by an administrator."
