"""The legal gateway proposal pages (agreements/views/gateways.py, urls/gateways.py): proposing,
deciding, the GOV.UK errors, and where governance managers and administrators find them.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import pytest
from django.urls import reverse

from agreements.models import GatewayProposal, LegalGateway, ProposalStatus
from agreements.services import gateway_propose
from tests.agreements.helpers import error_summary

pytestmark = pytest.mark.django_db

ASBCPA = {
    "instrument": "Anti-social Behaviour, Crime and Policing Act 2014", "provision": "s104",
    "title": "ASB case reviews (the community trigger)", "category": "statute",
    "summary": "The council, police, health and social landlords review the response to persistent anti-social "
               "behaviour together, sharing what they know of the case.",
}


def proposed(roles) -> GatewayProposal:
    return gateway_propose(by_user=roles.governance_manager, **ASBCPA)


class TestPropose:
    url = reverse("agreements:gateway_propose")

    def test_a_governance_manager_proposes_and_sees_it_awaiting(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).post(self.url, ASBCPA, follow=True)

        assert response.redirect_chain == [(reverse("agreements:gateway_proposals"), 302)]
        content = response.content.decode()
        assert ("Anti-social Behaviour, Crime and Policing Act 2014 s104 proposed: a portal administrator will "
                "approve it or say why not.") in content
        assert GatewayProposal.objects.get().proposed_by == roles.governance_manager
        assert LegalGateway.objects.filter(instrument=ASBCPA["instrument"]).exists() is False

    def test_an_empty_form_shows_the_error_summary_and_saves_nothing(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).post(self.url, {})

        summary = error_summary(response)
        for message in ("Enter the Act, regulation or doctrine.", "Enter a short title.",
                        "Say what it allows or requires, in plain English.", "Select the kind of gateway."):
            assert message in summary
        assert GatewayProposal.objects.exists() is False

    def test_the_legal_gateways_task_links_to_it(self, client, sign_in, roles):
        content = sign_in(client, roles.governance_manager).get(
            reverse("agreements:task_gateways", args=[roles.draft.pk]),
        ).content.decode()

        assert f'href="{self.url}"' in content


class TestDecide:
    def url(self, proposal) -> str:
        return reverse("agreements:gateway_proposal_decide", args=[proposal.pk])

    def test_the_administrator_is_told_on_the_home_page_and_approves(self, client, sign_in, roles):
        proposal = proposed(roles)
        admin = sign_in(client, roles.admin)

        home = admin.get(reverse("home")).content.decode()
        assert "1 legal gateway proposal awaiting your decision" in home

        response = admin.post(self.url(proposal), {"decision": "approve"}, follow=True)

        gateway = LegalGateway.objects.get(instrument=ASBCPA["instrument"], provision="s104")
        assert f"{gateway} added to the catalogue: agreements may now cite it." in response.content.decode()
        proposal.refresh_from_db()
        assert (proposal.status, proposal.gateway) == (ProposalStatus.APPROVED, gateway)

    def test_not_approving_needs_a_reason_and_the_proposer_reads_it(self, client, sign_in, roles):
        proposal = proposed(roles)
        admin = sign_in(client, roles.admin)

        refused = admin.post(self.url(proposal), {"decision": "reject", "reason": ""})
        assert "Give the reason it is not approved." in error_summary(refused)

        admin.post(self.url(proposal), {"decision": "reject", "reason": "Cite Sch 4 para 7, the information power."})

        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.REJECTED
        mine = sign_in(client, roles.governance_manager).get(reverse("agreements:gateway_proposals")).content.decode()
        assert "Not approved" in mine and "Cite Sch 4 para 7, the information power." in mine

    def test_a_decided_proposal_offers_no_decision(self, client, sign_in, roles):
        proposal = proposed(roles)
        admin = sign_in(client, roles.admin)
        admin.post(self.url(proposal), {"decision": "approve"})

        again = admin.post(self.url(proposal), {"decision": "reject", "reason": "Changed my mind."})

        assert "This proposal was approved already." in error_summary(again)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.APPROVED
