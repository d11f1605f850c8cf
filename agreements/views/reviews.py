"""An agreement's reviews: the list (overdue, due, waiting triggers, completed), starting one,
one review with its completion form, its actions and its findings report.

Whoever may see the agreement reads its reviews; the owner's governance managers change them
(``agreements.permissions``). An agreement or review outside the selectors is a 404; a change
by someone who may only read is a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from govuk_blocks.dates import long_date
from govuk_blocks.forms import submitted

from .. import permissions
from ..forms.reviews import (
    FindingsReportedForm,
    ReviewActionDoneForm,
    ReviewActionForm,
    ReviewCompleteForm,
    ReviewStartForm,
)
from ..models import AgreementQuerySet, ReviewOutcome
from ..selectors import reviews as selectors
from ..selectors.drafting import agreements_visible_to
from ..services import reviews as services

TEMPLATES = "agreements/reviews/"


def _agreement(request, pk: int, *, to_manage: bool = False):
    agreement = get_object_or_404(agreements_visible_to(request.user).select_related("owner"), pk=pk)
    if to_manage and not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    return agreement


def _review(request, pk: int, review_pk: int, *, to_manage: bool = False):
    agreement = _agreement(request, pk, to_manage=to_manage)
    review = get_object_or_404(agreement.reviews.select_related("agreement", "resulting_version"), pk=review_pk)
    return agreement, review


def review_list(request, pk: int):
    agreement = _agreement(request, pk)
    return render(request, f"{TEMPLATES}review_list.html", {
        "agreement": agreement, "board": selectors.agreement_reviews(agreement),
        "manages": permissions.can_manage(request.user, agreement),
        "in_force": agreement.status in AgreementQuerySet.BINDING,
        "policy": selectors.policy_text(agreement),
    })


@require_http_methods(["GET", "POST"])
def review_start(request, pk: int):
    agreement = _agreement(request, pk, to_manage=True)
    board = selectors.agreement_reviews(agreement)
    form = ReviewStartForm(submitted(request), waiting=board.waiting, scheduled_on=board.next_scheduled_on)
    if form.is_valid():
        try:
            review = services.review_start(agreement=agreement, by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"The review is started. It is due by {long_date(review.due_on)}.")
            return redirect(review)
    return render(request, f"{TEMPLATES}review_start.html", {"agreement": agreement, "form": form})


@require_http_methods(["GET", "POST"])
def review_detail(request, pk: int, review_pk: int):
    agreement, review = _review(request, pk, review_pk)
    manages = permissions.can_manage(request.user, agreement)
    if request.method == "POST" and not manages:
        raise PermissionDenied
    form = ReviewCompleteForm(submitted(request), review=review) if manages else None
    if form is not None and form.is_valid():
        try:
            services.review_complete(review=review, by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            review.refresh_from_db()
            form.add_service_errors(error)
        else:
            messages.success(request, _completed_message(review))
            return redirect(review)
    today = timezone.localdate()
    review.state = selectors.review_state(review, on=today)
    review.findings_overdue = selectors.findings_report_overdue(review, on=today)
    return render(request, f"{TEMPLATES}review_detail.html", {
        "agreement": agreement, "review": review, "form": form, "manages": manages, "today": today,
        "actions": review.actions.select_related("owner__organisation"),
    })


def _completed_message(review) -> str:
    message = (
        f"The review is recorded as completed. Its findings must be reported by "
        f"{long_date(review.findings_report_due_on)}."
    )
    if review.outcome == ReviewOutcome.SUBSTANTIVE:
        message += f" Version {review.resulting_version.label} must now be signed by every party."
    return message


@require_http_methods(["GET", "POST"])
def review_action_add(request, pk: int, review_pk: int):
    agreement, review = _review(request, pk, review_pk, to_manage=True)
    form = ReviewActionForm(submitted(request), review=review)
    if form.is_valid():
        try:
            action = services.review_action_add(review=review, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"The action is added. {action.owner.name} owns it.")
            return redirect(review)
    return render(request, f"{TEMPLATES}review_action_add.html", {
        "agreement": agreement, "review": review, "form": form,
    })


@require_http_methods(["GET", "POST"])
def review_action_done(request, pk: int, review_pk: int, action_pk: int):
    agreement, review = _review(request, pk, review_pk, to_manage=True)
    action = get_object_or_404(review.actions.select_related("owner"), pk=action_pk)
    form = ReviewActionDoneForm(submitted(request))
    if form.is_valid():
        try:
            services.review_action_done(action=action, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The action is marked done.")
            return redirect(review)
    return render(request, f"{TEMPLATES}review_action_done.html", {
        "agreement": agreement, "review": review, "action": action, "form": form,
    })


@require_http_methods(["GET", "POST"])
def review_findings_reported(request, pk: int, review_pk: int):
    agreement, review = _review(request, pk, review_pk, to_manage=True)
    form = FindingsReportedForm(submitted(request))
    if form.is_valid():
        try:
            services.review_findings_reported(review=review, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The findings are recorded as reported.")
            return redirect(review)
    return render(request, f"{TEMPLATES}review_findings_reported.html", {
        "agreement": agreement, "review": review, "form": form,
    })
