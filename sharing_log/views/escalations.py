"""Escalation of a refusal to share (004 §6.4): raised from the refusal entry's page, listed for
those involved, resolved by the agreement's lead.

An entry or escalation the user may not see is a 404; one they may see but not act on, a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from govuk_blocks.forms import submitted
from govuk_blocks.pages import page_of
from partners.models import Organisation
from partners.selectors import undelivered_notices_of, undelivered_summary

from .. import selectors, services
from ..forms.escalations import EscalationForm, EscalationResolveForm
from ..models.escalations import EscalationStatus
from ..permissions import (
    can_acknowledge_any,
    can_escalate,
    can_read_log,
    can_resolve_escalation,
    escalating_organisation_ids,
)


def entry_context(user, disclosure) -> dict:
    """What the entry's page shows of its escalations, and whether ``user`` may escalate it."""
    # An entry read by ``selectors.disclosure_for_entry_page`` knows whether it has any.
    escalations = list(selectors.escalations_of(disclosure)) if getattr(disclosure, "has_escalations", True) else []
    escalatable = (
        services.escalation_problem(disclosure) is None and selectors.void_of(disclosure) is None
        and not any(escalation.status == EscalationStatus.OPEN for escalation in escalations)
    )
    return {
        "escalations": escalations,
        "can_escalate": escalatable and can_escalate(user, disclosure),
    }


def _escalating_organisation(user, disclosure) -> Organisation:
    """The organisation ``user`` escalates for: the one the refusal was logged to, if theirs."""
    ids = escalating_organisation_ids(user, disclosure)
    if disclosure.recipient_organisation_id in ids:
        return disclosure.recipient_organisation
    return Organisation.objects.filter(pk__in=ids).order_by("name").first()


def escalation_raise(request, pk: int):
    """Escalate a refusal to share to the agreement's lead."""
    disclosure = get_object_or_404(selectors.disclosure_for_page(request.user, pk))
    if not can_escalate(request.user, disclosure):
        raise PermissionDenied("Only a practitioner, SPOC or governance manager of a partner other than the one "
                               "that refused may escalate a refusal.")
    organisation = _escalating_organisation(request.user, disclosure)
    form = EscalationForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            escalation = services.escalation_raise(
                disclosure=disclosure, by_user=request.user, organisation=organisation,
                concern=form.cleaned_data["concern"], concern_checked=form.cleaned_data["concern_checked"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            missed = list(undelivered_notices_of(f"escalation-{escalation.pk}-raised"))
            told = f". Not everyone could be told: {undelivered_summary(missed)}." if missed else ""
            messages.success(request, f"Refusal escalated to {disclosure.agreement.owner}{told}")
            return redirect(escalation)
    return render(request, "sharing_log/escalation_form.html", {
        "form": form, "disclosure": disclosure, "organisation": organisation,
        "void": selectors.void_of(disclosure), "problem": services.escalation_problem(disclosure),
        "open_escalation": selectors.open_escalation_of(disclosure),
    })


def escalation_list(request):
    """Open and resolved escalations the user's organisations are involved in or lead."""
    if not can_read_log(request.user):
        raise PermissionDenied("The sharing log is for practitioners, SPOCs, governance managers and auditors.")
    escalations = selectors.escalations_visible_to(request.user)
    # Those resolved grow for ever: a page at a time, newest first.
    page = page_of(request, escalations.filter(status=EscalationStatus.RESOLVED).order_by("-resolved_at", "-pk"))
    return render(request, "sharing_log/escalation_list.html", {
        "open": escalations.filter(status=EscalationStatus.OPEN).order_by("raised_at", "pk"),
        "page": page, "resolved": page.object_list,
        "show_inbox": can_acknowledge_any(request.user),
    })


def escalation_detail(request, pk: int):
    escalation = get_object_or_404(selectors.escalation_for_page(request.user, pk))
    return render(request, "sharing_log/escalation_detail.html", {
        "escalation": escalation,
        "rows": selectors.escalation_entry_rows(escalation),
        "timeline": selectors.escalation_timeline(escalation),
        "can_resolve": escalation.status == EscalationStatus.OPEN and can_resolve_escalation(request.user, escalation),
        "can_see_entry": selectors.disclosure_for_page(request.user, escalation.disclosure_id).exists(),
    })


def escalation_resolve(request, pk: int):
    """The lead's decision on an escalation: the outcome and the reasons."""
    escalation = get_object_or_404(selectors.escalation_for_page(request.user, pk))
    if not can_resolve_escalation(request.user, escalation):
        raise PermissionDenied(f"Only a SPOC or governance manager of {escalation.disclosure.agreement.owner}, the "
                               "agreement's lead, may resolve an escalation.")
    form = EscalationResolveForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_resolve(escalation=escalation, by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Escalation resolved")
            return redirect(escalation)
    return render(request, "sharing_log/escalation_resolve.html", {
        "form": form, "escalation": escalation, "rows": selectors.escalation_entry_rows(escalation),
    })
