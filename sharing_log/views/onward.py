"""Onward disclosure: the recipient asks to pass an entry on; the originating SPOC decides.

An entry or request the user may not read is a 404; one they may read but not act on, a 403.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from govuk_blocks.exports import CSV
from govuk_blocks.forms import submitted
from govuk_blocks.pages import page_of
from partners.selectors import undelivered_notices_of, undelivered_summary

from .. import exports, selectors, services
from ..forms.onward import OnwardDecisionForm, OnwardRequestForm
from ..models.onward import OnwardDecision
from ..permissions import can_acknowledge_any, can_decide_onward, can_decide_onward_any, can_request_onward


def entry_context(user, disclosure, requests=None) -> dict:
    """What the entry's page shows of onward disclosure, and what ``user`` may do there; the
    entry's ``requests`` when the page has read them."""
    requests = list(selectors.onward_requests_of(disclosure)) if requests is None else requests
    passable = selectors.void_of(disclosure) is None and services.onward_request_problem(disclosure) is None
    may_pass_on = passable and can_request_onward(user, disclosure)
    return {
        "onward_requests": requests,
        "can_request_onward": may_pass_on,
        "pass_on_query": pass_on_query(disclosure) if may_pass_on else "",
        "onward_decidable": {
            request.pk for request in requests
            if request.decision == OnwardDecision.PENDING and can_decide_onward(user, request)
        },
    }


def pass_on_query(disclosure) -> str:
    """The address query of "Log passing this on", for an entry shared with the reader's
    organisation: the log form with the entry chosen as the one passed on, under the entry's own
    agreement when the reader may log under it (``loggable``, read with the entry's page), else
    after choosing one. Any entry received can be chosen this way, however old (the form lists
    only the most recent)."""
    query = {"received_disclosure": disclosure.pk}
    if getattr(disclosure, "loggable", None):
        query = {"agreement": disclosure.agreement_id, **query}
    return urlencode(query)


def onward_request(request, pk: int):
    """Ask the originating organisation's written consent to pass an entry on (001 §5.7)."""
    disclosure = get_object_or_404(selectors.disclosure_for_page(request.user, pk))
    if not can_request_onward(request.user, disclosure):
        raise PermissionDenied("Only a practitioner, SPOC or governance manager of the organisation it was "
                               "shared with may ask to pass it on.")
    form = OnwardRequestForm(submitted(request), disclosure=disclosure)
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.onward_disclosure_request(
                disclosure=disclosure, by_user=request.user, **form.service_kwargs(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            missed = list(undelivered_notices_of(services.onward_requested_event_key(asked)))
            told = f". Nobody could be told: {undelivered_summary(missed)}." if missed else ""
            messages.success(request, f"Consent to pass this on to {asked.third_party} asked of "
                                      f"{disclosure.disclosing_organisation}{told}")
            return redirect("sharing_log:detail", pk=disclosure.pk)
    return render(request, "sharing_log/onward_request.html", {
        "form": form, "disclosure": disclosure, "void": selectors.void_of(disclosure),
        "problem": services.onward_request_problem(disclosure),
    })


def onward_list(request):
    """Requests to pass on what the user's organisations shared, awaiting consent."""
    if not can_decide_onward_any(request.user):
        raise PermissionDenied("Only a SPOC or governance manager gives or refuses consent to pass information on.")
    page = page_of(request, selectors.onward_requests_to_decide(request.user))
    return render(request, "sharing_log/onward_list.html", {
        "page": page, "onward_requests": page.object_list,
        "show_inbox": can_acknowledge_any(request.user),
    })


def onward_export(request, fmt: str = CSV):
    """The requests the list shows, as a CSV or XLSX file."""
    if not can_decide_onward_any(request.user):
        raise PermissionDenied("Only a SPOC or governance manager gives or refuses consent to pass information on.")
    rows = exports.onward_rows(selectors.onward_requests_to_decide(request.user))
    return exports.download(columns=exports.ONWARD_COLUMNS, objects=rows, fmt=fmt, title="Requests to pass on",
                            filename=f"requests-to-pass-on-{timezone.localdate():%Y-%m-%d}")


def onward_decide(request, pk: int):
    """Give or refuse consent to pass an entry on, with a reason; once."""
    onward_request = get_object_or_404(selectors.onward_request_for_page(request.user, pk))
    disclosure = onward_request.disclosure
    if onward_request.requested_by_id == request.user.pk:
        raise PermissionDenied(f"You asked for this consent: someone else at {disclosure.disclosing_organisation} "
                               "must decide it.")
    if not can_decide_onward(request.user, onward_request):
        raise PermissionDenied("Only a SPOC or governance manager of the organisation that shared the "
                               "information may give or refuse consent to pass it on.")
    form = OnwardDecisionForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decided = services.onward_disclosure_decide(
                onward_request=onward_request, by_user=request.user, **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            verb = "given" if decided.decision == OnwardDecision.GRANTED else "refused"
            messages.success(request, f"Consent to pass it on to {decided.third_party} {verb}")
            return redirect("sharing_log:detail", pk=disclosure.pk)
        onward_request.refresh_from_db()
    return render(request, "sharing_log/onward_decide.html", {
        "form": form, "onward_request": onward_request, "disclosure": disclosure,
        "case_reference": selectors.current_case_reference(disclosure),
    })
