"""The portal's pages for API clients: an organisation's people managers issue, list and revoke
its tokens and read their use (rules in ``api.permissions``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govuk_blocks.forms import submitted
from partners.models import Organisation

from . import selectors, services
from .forms import ApiTokenForm
from .models import ApiToken
from .permissions import can_manage_api_clients

RECENT_USES = 50


def _managed(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can_manage_api_clients(request.user, organisation):
        raise PermissionDenied
    return organisation


def clients(request, pk: int):
    organisation = _managed(request, pk)
    return render(request, "api/clients.html", {
        "organisation": organisation,
        "tokens": selectors.api_tokens_of(organisation),
        "uses": selectors.api_uses_of(organisation)[:RECENT_USES],
    })


def issue(request, pk: int):
    """Issue a token. Its secret is shown on the answer to the POST, once, and never kept."""
    organisation = _managed(request, pk)
    form = ApiTokenForm(submitted(request))
    if form.is_valid():
        try:
            token, secret = services.api_token_issue(
                organisation=organisation, by_user=request.user, **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return render(request, "api/issued.html", {"organisation": organisation, "token": token, "secret": secret})
    return render(request, "api/issue.html", {"organisation": organisation, "form": form})


@require_POST
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("organisation", "service_user"), pk=pk)
    if not can_manage_api_clients(request.user, token.organisation):
        raise PermissionDenied
    services.api_token_revoke(token=token, by_user=request.user)
    messages.success(request, f"The token for {token.name} is revoked: it no longer works.")
    return redirect("api_clients:list", pk=token.organisation_id)
