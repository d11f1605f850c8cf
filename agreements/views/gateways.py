"""Legal gateways the catalogue lacks: a governance manager proposes one, a portal administrator
approves it (it joins the catalogue) or says why not. Rules in ``agreements.permissions``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from govuk_blocks.forms import submitted
from govuk_blocks.pages import page_of

from .. import permissions
from ..forms.gateways import GatewayDecisionForm, GatewayProposalForm
from ..selectors import gateways as selectors
from ..services import gateways as services

TEMPLATES = "agreements/gateways/"


def _may_see_proposals(user) -> None:
    if not (permissions.can_propose_gateway(user) or permissions.can_decide_gateway_proposal(user)):
        raise PermissionDenied("Legal gateways are proposed by governance managers and approved by administrators.")


def gateway_proposal_list(request):
    _may_see_proposals(request.user)
    proposals = selectors.gateway_proposals_visible_to(request.user)
    # Those decided grow for ever: a page at a time.
    page = page_of(request, proposals.exclude(pk__in=selectors.gateway_proposals_awaiting(proposals)))
    return render(request, f"{TEMPLATES}proposal_list.html", {
        "awaiting": selectors.gateway_proposals_awaiting(proposals),
        "page": page, "decided": page.object_list,
        "may_propose": permissions.can_propose_gateway(request.user),
        "may_decide": permissions.can_decide_gateway_proposal(request.user),
    })


@require_http_methods(["GET", "POST"])
def gateway_propose(request):
    if not permissions.can_propose_gateway(request.user):
        raise PermissionDenied("Legal gateways are proposed by governance managers.")
    form = GatewayProposalForm(submitted(request))
    if form.is_valid():
        try:
            proposal = services.gateway_propose(by_user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{proposal} proposed: a portal administrator will approve it or say why not.")
            return redirect("agreements:gateway_proposals")
    return render(request, f"{TEMPLATES}propose.html", {"form": form})


@require_http_methods(["GET", "POST"])
def gateway_proposal_decide(request, pk: int):
    proposal = get_object_or_404(selectors.gateway_proposals_visible_to(request.user), pk=pk)
    if not permissions.can_decide_gateway_proposal(request.user):
        raise PermissionDenied("Proposed legal gateways are approved by portal administrators.")
    form = GatewayDecisionForm(submitted(request))
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                gateway = services.gateway_proposal_approve(proposal=proposal, by_user=request.user)
                messages.success(request, f"{gateway} added to the catalogue: agreements may now cite it.")
            else:
                services.gateway_proposal_reject(
                    proposal=proposal, by_user=request.user, reason=form.cleaned_data["reason"],
                )
                messages.success(request, f"{proposal} not approved. The proposer can read why.")
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("agreements:gateway_proposals")
    return render(request, f"{TEMPLATES}decide.html", {"proposal": proposal, "form": form})
