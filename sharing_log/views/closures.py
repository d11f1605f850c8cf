"""Case closure (001 §5.15): close a case, change its closing date, re-open it; the entries'
retention due dates follow.

A closure the user may not see is a 404; one they may see but not change, a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from govuk_blocks.forms import submitted
from govuk_blocks.pages import page_of

from .. import selectors, services
from ..forms.closures import CaseChangeForm, CaseCloseForm, CaseReopenForm
from ..permissions import can_acknowledge_any, can_close_case_of, can_close_cases, can_manage_case, can_read_log


def entry_context(user, disclosure) -> dict:
    """What the entry's page shows of its case's closure, and whether ``user`` may close it."""
    closure = selectors.closure_of(disclosure)
    return {
        "case_closure": closure,
        "can_see_case": closure is not None and selectors.closure_visible_to(user, closure),
        "can_close_case": can_close_case_of(user, disclosure) and (closure is None or not closure.is_closed),
        "case_reference": selectors.current_case_reference(disclosure),
    }


def _manageable(request, pk: int, doing: str):
    closure = get_object_or_404(selectors.closure_for_page(request.user, pk))
    if not can_manage_case(request.user, closure):
        raise PermissionDenied(f"Only a SPOC or governance manager of {closure.organisation} may {doing}.")
    return closure


def case_list(request):
    """The cases the user's organisations have closed or re-opened."""
    if not can_read_log(request.user):
        raise PermissionDenied("The sharing log is for practitioners, SPOCs, governance managers and auditors.")
    page = page_of(request, selectors.closures_visible_to(request.user).order_by("-closed_on", "case_reference", "pk"))
    return render(request, "sharing_log/case_list.html", {
        "page": page, "closures": page.object_list,
        "open_too_long": selectors.cases_open_too_long_visible_to(request.user, on=timezone.localdate()),
        "can_close": can_close_cases(request.user), "show_inbox": can_acknowledge_any(request.user),
    })


def case_close(request):
    """Close a case (or close a re-opened one again): its entries get a retention due date."""
    if not can_close_cases(request.user):
        raise PermissionDenied("Only a SPOC or governance manager closes cases.")
    form = CaseCloseForm(submitted(request), user=request.user,
                         initial={"case_reference": request.GET.get("case_reference", "")[:60]})
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.case_close(by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Case {closure.case_reference} closed")
            return redirect(closure)
    return render(request, "sharing_log/case_close.html", {"form": form})


def case_detail(request, pk: int):
    closure = get_object_or_404(selectors.closure_for_page(request.user, pk))
    return render(request, "sharing_log/case_detail.html", {
        "closure": closure,
        "entries": selectors.case_entries(organisation=closure.organisation, case_reference=closure.case_reference),
        "timeline": selectors.closure_timeline(closure),
        "can_manage": can_manage_case(request.user, closure),
    })


def case_change(request, pk: int):
    """Move a closed case's closing date, with the reason."""
    closure = _manageable(request, pk, "change the date its case closed")
    form = CaseChangeForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_closure_change(closure=closure, by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Closing date changed")
            return redirect(closure)
    return render(request, "sharing_log/case_change.html", {"form": form, "closure": closure})


def case_reopen(request, pk: int):
    """Re-open a closed case, with the reason: its entries lose their retention due dates."""
    closure = _manageable(request, pk, "re-open its cases")
    form = CaseReopenForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(closure=closure, by_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Case {closure.case_reference} re-opened")
            return redirect(closure)
    return render(request, "sharing_log/case_reopen.html", {"form": form, "closure": closure})
