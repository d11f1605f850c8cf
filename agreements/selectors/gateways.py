"""Reads of the legal gateways an agreement cites."""

from django.db.models import QuerySet

from ..models import Agreement, GatewayProposal, GatewayStatus, LegalGateway, ProposalStatus
from ..permissions import can_decide_gateway_proposal

# Gateway statuses that mean the law is no longer current.
NOT_CURRENT_LAW = (GatewayStatus.REPEALED, GatewayStatus.SUPERSEDED)


def gateway_labels(keys) -> dict[str, str]:
    """How to name each legal gateway of ``keys`` (catalogue keys, as versions keep them)."""
    return {gateway.key: f"{gateway} – {gateway.title}" for gateway in LegalGateway.objects.filter(key__in=keys)}


def agreement_gateways(agreement: Agreement) -> QuerySet[LegalGateway]:
    return agreement.gateways.select_related("replaced_by").order_by("instrument", "provision")


def gateway_proposals_visible_to(user) -> QuerySet[GatewayProposal]:
    """Every proposal for a portal administrator; their own for anyone else."""
    if not user.is_authenticated:
        return GatewayProposal.objects.none()
    proposals = GatewayProposal.objects.select_related("proposed_by", "decided_by", "gateway")
    if can_decide_gateway_proposal(user):
        return proposals
    return proposals.filter(proposed_by=user)


def gateway_proposals_awaiting(proposals: QuerySet[GatewayProposal]) -> QuerySet[GatewayProposal]:
    return proposals.filter(status=ProposalStatus.PROPOSED)
