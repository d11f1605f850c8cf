"""Agreements that predate the portal: record their versions, then the day they came into force.
For the agreement's managers (``agreements.permissions.can_manage``), like the status page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from govuk_blocks.dates import long_date
from govuk_blocks.forms import submitted

from ..forms.existing import ExistingAgreementForm, InForceSinceForm
from ..services import existing as services
from .drafting import managed_agreement

TEMPLATES = "agreements/existing/"


@require_http_methods(["GET", "POST"])
def record_existing(request, pk: int):
    agreement = managed_agreement(request, pk)
    form = ExistingAgreementForm(submitted(request))
    if form.is_valid():
        try:
            services.agreement_record_existing(agreement=agreement, by_user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Versions recorded. Now record each party’s signature form with the date it "
                                      f"was signed, then the date “{agreement.title}” came into force.")
            return redirect("agreements:signatures", pk=agreement.pk)
    return render(request, f"{TEMPLATES}record_existing.html", {"agreement": agreement, "form": form})


@require_http_methods(["GET", "POST"])
def record_in_force(request, pk: int):
    agreement = managed_agreement(request, pk)
    form = InForceSinceForm(submitted(request))
    if form.is_valid():
        try:
            services.agreement_record_in_force(agreement=agreement, by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"“{agreement.title}” recorded as in force since "
                                      f"{long_date(agreement.effective_date)}.")
            return redirect(agreement)
    return render(request, f"{TEMPLATES}record_in_force.html", {"agreement": agreement, "form": form})
