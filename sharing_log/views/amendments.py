"""Amending an entry: changing one of its details, or voiding it, in place of editing or deleting it.
An entry the user may not read is a 404; one they may read but not amend, a 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from govuk_blocks.forms import submitted

from .. import selectors, services
from ..forms.amendments import AmendmentForm, VoidForm
from ..permissions import can_amend


def disclosure_amend(request, pk: int):
    """Amend one detail of an entry, with a reason; the entry itself stays as logged."""
    disclosure = get_object_or_404(selectors.disclosure_for_page(request.user, pk))
    if not can_amend(request.user, disclosure):
        raise PermissionDenied("Only the person who logged the entry, or a SPOC or governance manager of "
                               "the organisation that made it, may amend it.")
    form = AmendmentForm(submitted(request), disclosure=disclosure)
    if request.method == "POST" and form.is_valid():
        try:
            services.disclosure_amend(disclosure=disclosure, by_user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Amendment recorded")
            return redirect("sharing_log:detail", pk=disclosure.pk)
    return render(request, "sharing_log/disclosure_amend.html", {"form": form, "disclosure": disclosure})


def disclosure_void(request, pk: int):
    """Void an entry with a reason, in place of deleting it."""
    disclosure = get_object_or_404(selectors.disclosure_for_page(request.user, pk))
    if not can_amend(request.user, disclosure):
        raise PermissionDenied("Only the person who logged the entry, or a SPOC or governance manager of "
                               "the organisation that made it, may void it.")
    form = VoidForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.disclosure_void(disclosure=disclosure, by_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Entry voided")
            return redirect("sharing_log:detail", pk=disclosure.pk)
    return render(request, "sharing_log/disclosure_void.html", {
        "form": form, "disclosure": disclosure, "void": selectors.void_of(disclosure),
    })
