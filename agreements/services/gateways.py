"""Writes for the legal gateway catalogue (reference data) and the proposals to add to it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ..models import GatewayProposal, LegalGateway, ProposalStatus


@transaction.atomic
def gateway_save(*, key: str, **fields) -> LegalGateway:
    """Create or update one entry of the legal gateway catalogue (reference data)."""
    gateway = LegalGateway.objects.filter(key=key).first() or LegalGateway(key=key)
    for name, value in fields.items():
        setattr(gateway, name, value)
    gateway.full_clean()
    gateway.save()
    return gateway


def _already_catalogued(instrument: str, provision: str) -> None:
    same = LegalGateway.objects.filter(instrument__iexact=instrument, provision__iexact=provision).first()
    if same is not None:
        raise ValidationError({"provision": f"{same} is already in the catalogue: cite it from there."})


@transaction.atomic
def gateway_propose(
    *, by_user, instrument: str, provision: str, title: str, summary: str, category: str,
) -> GatewayProposal:
    """Ask for a provision of law to be added to the catalogue; a portal administrator decides."""
    instrument, provision = " ".join(instrument.split()), " ".join(provision.split())
    _already_catalogued(instrument, provision)
    waiting = GatewayProposal.objects.filter(
        instrument__iexact=instrument, provision__iexact=provision, status=ProposalStatus.PROPOSED,
    )
    if waiting.exists():
        raise ValidationError({"provision": f"{waiting.first()} has been proposed already and awaits a decision."})
    proposal = GatewayProposal(
        instrument=instrument, provision=provision, title=title, summary=summary, category=category,
        proposed_by=by_user,
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _undecided(proposal: GatewayProposal) -> None:
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(f"This proposal was {proposal.get_status_display().lower()} already.")


@transaction.atomic
def gateway_proposal_approve(*, proposal: GatewayProposal, by_user) -> LegalGateway:
    """Add the proposed provision to the catalogue, from which agreements may cite it."""
    proposal = GatewayProposal.objects.select_for_update().get(pk=proposal.pk)
    _undecided(proposal)
    _already_catalogued(proposal.instrument, proposal.provision)
    key = slugify(f"{proposal.instrument} {proposal.provision}")[:80].strip("-")
    if LegalGateway.objects.filter(key=key).exists():
        key = f"{key[:70]}-{proposal.pk}"
    gateway = gateway_save(
        key=key, instrument=proposal.instrument, provision=proposal.provision, title=proposal.title,
        summary=proposal.summary, category=proposal.category, note=f"Proposed by {proposal.proposed_by}.",
    )
    proposal.status, proposal.gateway = ProposalStatus.APPROVED, gateway
    proposal.decided_by, proposal.decided_at = by_user, timezone.now()
    proposal.full_clean()
    proposal.save()
    return gateway


@transaction.atomic
def gateway_proposal_reject(*, proposal: GatewayProposal, by_user, reason: str) -> GatewayProposal:
    """Turn the proposal down, saying why (the proposer reads it)."""
    proposal = GatewayProposal.objects.select_for_update().get(pk=proposal.pk)
    _undecided(proposal)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason it is not approved."})
    proposal.status, proposal.reason = ProposalStatus.REJECTED, reason.strip()
    proposal.decided_by, proposal.decided_at = by_user, timezone.now()
    proposal.full_clean()
    proposal.save()
    return proposal
