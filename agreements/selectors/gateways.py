"""Reads of the legal gateways an agreement cites."""

from django.db.models import QuerySet

from ..models import Agreement, GatewayStatus, LegalGateway

# Gateway statuses that mean the law is no longer current.
NOT_CURRENT_LAW = (GatewayStatus.REPEALED, GatewayStatus.SUPERSEDED)


def gateway_labels(keys) -> dict[str, str]:
    """How to name each legal gateway of ``keys`` (catalogue keys, as versions keep them)."""
    return {gateway.key: f"{gateway} – {gateway.title}" for gateway in LegalGateway.objects.filter(key__in=keys)}


def agreement_gateways(agreement: Agreement) -> QuerySet[LegalGateway]:
    return agreement.gateways.select_related("replaced_by").order_by("instrument", "provision")
