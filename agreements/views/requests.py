"""Rights and freedom of information requests (001 §6.2): the list, recording one (which routes
it), its page, where the organisation it is routed to records the response, and the page where
that organisation extends a rights request under UK GDPR Article 12(3).

A request the user may not see is a 404; one they may see but not answer, a 403 on answering
(rules in ``agreements.permissions``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from govuk_blocks.dates import long_date
from govuk_blocks.exports import CSV, download
from govuk_blocks.forms import submitted
from govuk_blocks.pages import page_of
from partners.selectors import undelivered_notices_of, undelivered_summary

from .. import exports, permissions
from ..forms.requests import (
    InformationRequestExtensionForm,
    InformationRequestForm,
    InformationRequestResponseForm,
)
from ..selectors import requests as selectors
from ..services import requests as services

TEMPLATES = "agreements/requests/"


def _require_reader(user) -> None:
    if not permissions.can_read_requests(user):
        raise PermissionDenied("Subject access and freedom of information requests are for SPOCs and governance "
                               "managers.")


def request_list(request):
    _require_reader(request.user)
    visible = selectors.information_requests_visible_to(request.user)
    on = timezone.localdate()
    waiting = list(visible.filter(responded_on__isnull=True).order_by("due_on", "pk"))
    for item in waiting:
        item.deadline = selectors.request_deadline(item, on=on)
    # Those answered grow for ever: a page at a time, newest first.
    page = page_of(request, visible.filter(responded_on__isnull=False).order_by("-responded_on", "-pk"))
    return render(request, f"{TEMPLATES}request_list.html", {
        "waiting": waiting, "page": page, "answered": page.object_list,
    })


def request_export(request, fmt: str = CSV):
    """The requests the list shows, waiting then answered, as a CSV or XLSX file."""
    _require_reader(request.user)
    rows = exports.request_rows(selectors.information_requests_visible_to(request.user))
    return download(columns=exports.REQUEST_COLUMNS, objects=rows, fmt=fmt,
                    filename=f"requests-{timezone.localdate():%Y-%m-%d}", title="Requests")


@require_http_methods(["GET", "POST"])
def request_create(request):
    if not permissions.can_read_requests(request.user):
        raise PermissionDenied("Requests are recorded by SPOCs and governance managers.")
    form = InformationRequestForm(submitted(request), user=request.user)
    if form.is_valid():
        try:
            recorded = services.information_request_record(by_user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            missed = list(undelivered_notices_of(services.routed_event_key(recorded)))
            messages.success(
                request, f"{recorded.get_kind_display()} recorded, to answer by {long_date(recorded.due_on)}. "
                         f"Nobody could be told: {undelivered_summary(missed)}." if missed
                else f"{recorded.get_kind_display()} recorded and sent to {recorded.routed_to}, "
                     f"to answer by {long_date(recorded.due_on)}",
            )
            return redirect(recorded)
    return render(request, f"{TEMPLATES}request_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def request_detail(request, pk: int):
    information_request = get_object_or_404(selectors.information_requests_visible_to(request.user), pk=pk)
    may_answer = permissions.can_respond_to_request(request.user, information_request)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied(f"Only {information_request.routed_to}'s SPOCs and governance managers answer it.")
    form = None
    # A second answer is posted only to be refused by the service, with its reason.
    if may_answer and (information_request.responded_on is None or request.method == "POST"):
        form = InformationRequestResponseForm(submitted(request))
    if form is not None and form.is_valid():
        try:
            services.information_request_respond(
                request=information_request, by_user=request.user, **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Response recorded")
            return redirect(information_request)
    return render(request, f"{TEMPLATES}request_detail.html", {
        "information_request": information_request, "form": form,
        "deadline": selectors.request_deadline(information_request),
        "may_extend": may_answer and selectors.request_extendable(information_request),
    })


@require_http_methods(["GET", "POST"])
def request_extend(request, pk: int):
    """Extend a rights request by two further months (Art 12(3)): the routed organisation's page."""
    information_request = get_object_or_404(selectors.information_requests_visible_to(request.user), pk=pk)
    if not permissions.can_respond_to_request(request.user, information_request):
        raise PermissionDenied(f"Only {information_request.routed_to}'s SPOCs and governance managers extend it.")
    if request.method == "GET" and not selectors.request_extendable(information_request):
        # Answered, already extended, or FOI: there is nothing to extend; a POST is refused by the service.
        return redirect(information_request)
    form = InformationRequestExtensionForm(submitted(request))
    if form.is_valid():
        try:
            extended = services.information_request_extend(
                request=information_request, by_user=request.user, **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Extended: it is now due by {long_date(extended.due_on)}")
            return redirect(extended)
    return render(request, f"{TEMPLATES}request_extend.html", {
        "information_request": information_request, "form": form,
        "extended_due": selectors.request_extended_due(information_request),
    })
