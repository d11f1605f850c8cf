"""Breaches and near misses (002 §6): the list, recording one, its page with its deadlines and
the partners' acknowledgements, and the pages that record what followed.

A breach the user may not see is a 404; one they may see but not act on, a 403 (rules in
``agreements.permissions``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govuk_blocks.exports import CSV, download
from govuk_blocks.forms import submitted
from govuk_blocks.pages import page_of
from partners.selectors import undelivered_summary

from .. import exports, permissions
from ..forms.breaches import BreachAffectedForm, BreachCloseForm, BreachForm, BreachIcoForm, BreachProgressForm
from ..models import Breach
from ..selectors import breaches as selectors
from ..services import breaches as services

TEMPLATES = "agreements/breaches/"


def _breach(request, pk: int) -> Breach:
    return get_object_or_404(selectors.breaches_visible_to(request.user), pk=pk)


def _managed_breach(request, pk: int) -> Breach:
    breach = _breach(request, pk)
    if not permissions.can_manage_breach(request.user, breach):
        raise PermissionDenied("The agreement's governance managers and the reporting organisation manage a breach.")
    return breach


def _breaches_filtered(request) -> tuple[str, list[Breach]]:
    """The status filter asked for (open, overdue, closed or every one) and the breaches it selects."""
    if not permissions.can_read_breaches(request.user):
        raise PermissionDenied("Breaches are for SPOCs, governance managers and auditors.")
    status = request.GET.get("status", "")
    status = status if status in dict(selectors.BREACH_FILTERS) else ""
    return status, selectors.breaches_listed(selectors.breaches_visible_to(request.user), status=status)


def breach_list(request):
    status, breaches = _breaches_filtered(request)
    page = page_of(request, breaches)
    return render(request, f"{TEMPLATES}breach_list.html", {
        "page": page, "breaches": page.object_list,
        "status": status, "filters": selectors.BREACH_FILTERS,
        "can_record": permissions.can_record_breach(request.user),
    })


def breach_export(request, fmt: str = CSV):
    """The breaches the list shows, with its filter, as a CSV or XLSX file."""
    _, breaches = _breaches_filtered(request)
    return download(columns=exports.BREACH_COLUMNS, objects=breaches, fmt=fmt,
                    filename=f"breaches-{timezone.localdate():%Y-%m-%d}", title="Breaches and near misses")


@require_http_methods(["GET", "POST"])
def breach_create(request):
    if not permissions.can_record_breach(request.user):
        raise PermissionDenied("Breaches are recorded by SPOCs and governance managers.")
    form = BreachForm(submitted(request), user=request.user)
    if form.is_valid():
        try:
            breach = services.breach_record(by_user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            missed = list(selectors.breach_undelivered(breach))
            told = (
                f"Not every partner could be told: {undelivered_summary(missed)}." if missed
                else "Every other partner's SPOC has been told."
            )
            messages.success(request, f"{breach.get_kind_display()} recorded. {told}")
            return redirect(breach)
    return render(request, f"{TEMPLATES}breach_form.html", {"form": form})


def breach_detail(request, pk: int):
    breach = _breach(request, pk)
    notifications = list(selectors.breach_notifications(breach))
    for notification in notifications:
        notification.may_acknowledge = (
            notification.acknowledged_at is None and permissions.can_acknowledge_breach(request.user, notification)
        )
    return render(request, f"{TEMPLATES}breach_detail.html", {
        "breach": breach, "deadlines": selectors.breach_deadlines(breach), "notifications": notifications,
        "manages": breach.closed_on is None and permissions.can_manage_breach(request.user, breach),
    })


def _step(request, pk: int, *, make_form, template: str, save, done: str):
    """A page that records one part of a managed breach's story: ``make_form(data, breach)``,
    then ``save(breach, form)`` through a service."""
    breach = _managed_breach(request, pk)
    form = make_form(submitted(request), breach)
    if form.is_valid():
        try:
            save(breach, form)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect(breach)
    return render(request, f"{TEMPLATES}{template}", {"breach": breach, "form": form})


@require_http_methods(["GET", "POST"])
def breach_progress(request, pk: int):
    return _step(
        request, pk, make_form=lambda data, breach: BreachProgressForm(data, breach=breach),
        template="breach_progress.html", done="Progress saved",
        save=lambda breach, form: services.breach_progress_update(breach=breach, **form.cleaned_data),
    )


@require_http_methods(["GET", "POST"])
def breach_ico(request, pk: int):
    return _step(
        request, pk, make_form=lambda data, breach: BreachIcoForm(data), template="breach_ico.html",
        done="ICO decision saved",
        save=lambda breach, form: services.breach_ico_record(breach=breach, **form.service_kwargs()),
    )


@require_http_methods(["GET", "POST"])
def breach_affected(request, pk: int):
    return _step(
        request, pk, make_form=lambda data, breach: BreachAffectedForm(data, breach=breach),
        template="breach_affected.html", done="Decision on telling the people affected saved",
        save=lambda breach, form: services.breach_affected_record(
            breach=breach, by_user=request.user, **form.service_kwargs(),
        ),
    )


@require_http_methods(["GET", "POST"])
def breach_close(request, pk: int):
    return _step(
        request, pk, make_form=lambda data, breach: BreachCloseForm(data), template="breach_close.html", done="Closed",
        save=lambda breach, form: services.breach_close(breach=breach, **form.cleaned_data),
    )


@require_POST
def breach_acknowledge(request, pk: int, notification_pk: int):
    breach = _breach(request, pk)
    notification = get_object_or_404(breach.notifications.select_related("party__organisation"), pk=notification_pk)
    if not permissions.can_acknowledge_breach(request.user, notification):
        raise PermissionDenied("Only the SPOC of the partner told acknowledges for it.")
    try:
        services.breach_acknowledge(notification=notification, by_user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, f"Acknowledged for {notification.party.organisation}")
    return redirect(breach)
