"""A withdrawn partner confirms what it did with what it holds (001 §3.5)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from govuk_blocks.forms import submitted

from .. import permissions
from ..forms.holdings import PartyHoldingsForm
from ..selectors.drafting import agreements_visible_to
from ..services import holdings as services


@require_http_methods(["GET", "POST"])
def party_holdings(request, pk: int, party_pk: int):
    agreement = get_object_or_404(agreements_visible_to(request.user), pk=pk)
    party = get_object_or_404(agreement.parties.select_related("organisation", "agreement"), pk=party_pk)
    if not permissions.can_confirm_holdings(request.user, party):
        raise PermissionDenied
    refusal = services.holdings_refusal(party)
    form = PartyHoldingsForm(submitted(request))
    if refusal is None and request.method == "POST" and form.is_valid():
        try:
            holdings = services.party_holdings_confirm(party=party, by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Recorded: {party.organisation} {holdings.get_outcome_display().lower()} "
                                      "the information it held under the agreement.")
            return redirect("agreements:parties", pk=agreement.pk)
    return render(request, "agreements/holdings/party_holdings.html", {
        "agreement": agreement, "party": party, "form": form, "refusal": refusal,
    })
