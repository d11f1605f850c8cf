"""Data quality (001 §5.6): the originator marks an entry inaccurate; each recipient's SPOC
confirms its copy corrected or destroyed. The same list and page take the confirmations asked
for when an entry is destroyed under the retention rule (``views.retention``).

An entry or confirmation the user may not read is a 404; one they may read but not act on, a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from govuk_blocks.forms import submitted
from govuk_blocks.pages import page_of

from .. import selectors, services
from ..forms.quality import ConfirmCopyForm, InaccurateForm
from ..models.quality import ConfirmationOutcome, ConfirmationReason
from ..permissions import can_acknowledge_any, can_confirm, can_confirm_any, can_mark_inaccurate
from . import retention


def entry_context(user, disclosure, confirmations=None) -> dict:
    """What the entry's page shows of its inaccuracy notice, and what ``user`` may do there;
    ``confirmations`` from ``selectors.entry_confirmations`` when the page has read them."""
    notice = selectors.inaccuracy_of(disclosure)
    if notice is None:
        confirmations = []
    elif confirmations is None:
        confirmations = list(selectors.recipient_confirmations_of(notice))
    else:
        marked = set(selectors.marked_with(notice))
        confirmations = [item for item in confirmations
                         if item.reason == ConfirmationReason.INACCURACY and item.disclosure_id in marked]
    markable = selectors.void_of(disclosure) is None and services.inaccuracy_problem(disclosure) is None
    return {
        "inaccuracy": notice,
        "inaccuracy_same_as": notice.changes.get("same_as_entry") if notice else None,
        "recipient_confirmations": confirmations,
        "confirmable": {
            confirmation.pk for confirmation in confirmations
            if confirmation.outcome == ConfirmationOutcome.PENDING
            and can_confirm(user, confirmation)
        },
        "can_mark_inaccurate": markable and can_mark_inaccurate(user, disclosure),
    }


def mark_inaccurate(request, pk: int):
    """Mark an entry inaccurate, saying what is wrong; every recipient is asked to correct it."""
    disclosure = get_object_or_404(selectors.disclosure_for_page(request.user, pk))
    if not can_mark_inaccurate(request.user, disclosure):
        raise PermissionDenied("Only the person who logged the entry, or a SPOC or governance manager of the "
                               "organisation that made it, may mark it inaccurate.")
    form = InaccurateForm(submitted(request), disclosure=disclosure)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.disclosure_mark_inaccurate(
                disclosure=disclosure, by_user=request.user, **form.service_kwargs(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            asked = selectors.recipient_confirmations_of(notice).count()
            messages.success(request, f"Entry marked inaccurate: {asked} "
                                      f"{'recipient' if asked == 1 else 'recipients'} asked to correct or destroy "
                                      "their copy")
            return redirect("sharing_log:detail", pk=disclosure.pk)
    return render(request, "sharing_log/quality/mark_inaccurate.html", {
        "form": form, "disclosure": disclosure, "void": selectors.void_of(disclosure),
        "problem": services.inaccuracy_problem(disclosure),
        "onward_recipients": selectors.onward_recipients(disclosure),
    })


def copy_list(request):
    """Copies the SPOC's organisations hold of information marked inaccurate, still to confirm."""
    if not can_confirm_any(request.user):
        raise PermissionDenied("Only a SPOC confirms what their organisation did with an inaccurate copy.")
    page = page_of(request, selectors.confirmations_awaiting(request.user))
    return render(request, "sharing_log/quality/copy_list.html", {
        "page": page, "confirmations": page.object_list,
        "show_inbox": can_acknowledge_any(request.user),
    })


def copy_confirm(request, pk: int):
    """A recipient's SPOC reads what was wrong and confirms its copy corrected or destroyed."""
    confirmation = get_object_or_404(selectors.confirmation_for_page(request.user, pk))
    if not can_confirm(request.user, confirmation):
        raise PermissionDenied(f"Only a SPOC of {confirmation.organisation} may confirm what it did with its copy.")
    if confirmation.reason == ConfirmationReason.RETENTION:
        return retention.destruction_confirm(request, confirmation)
    form = ConfirmCopyForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.recipient_copy_confirm(
                confirmation=confirmation, by_user=request.user, outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
            confirmation.refresh_from_db()
        else:
            messages.success(request, f"{confirmed.organisation}'s copy confirmed "
                                      f"{confirmed.get_outcome_display().lower()}")
            return redirect("sharing_log:copies")
    disclosure = confirmation.disclosure
    return render(request, "sharing_log/quality/copy_confirm.html", {
        "form": form, "confirmation": confirmation, "disclosure": disclosure,
        "notice": selectors.inaccuracy_of(disclosure),
        "consent": selectors.onward_consent_to(confirmation),
        "case_reference": selectors.current_case_reference(disclosure),
        "may_read_entry": selectors.disclosures_visible_to(request.user).filter(pk=disclosure.pk).exists(),
    })
