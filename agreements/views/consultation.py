"""A draft's consultation (001 §3): the comments partners make on it, and the owner's answers.

An agreement outside the user's selector is a 404; a visible one whose consultation the user may
not read, a 403 (rules in ``agreements.permissions``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from govuk_blocks.forms import submitted

from .. import permissions
from ..forms.consultation import ConsultationAnswerForm, ConsultationCommentForm
from ..selectors.consultation import consultation_comments
from ..selectors.drafting import agreements_visible_to
from ..services import consultation as services


@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    agreement = get_object_or_404(agreements_visible_to(request.user).select_related("owner"), pk=pk)
    manages = permissions.can_manage(request.user, agreement)
    if not permissions.can_read_consultation(request.user, agreement, manages=manages):
        raise PermissionDenied
    may_comment = permissions.can_comment(request.user, agreement, reads=True)
    if request.method == "POST" and not may_comment:
        raise PermissionDenied
    form = ConsultationCommentForm(submitted(request)) if may_comment else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            comment = services.consultation_comment_add(agreement=agreement, by_user=request.user,
                                                        text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Your comment for {comment.organisation} is recorded. "
                                      f"{agreement.owner}'s people who act for it have been told.")
            return redirect("agreements:consultation", pk=agreement.pk)
    return render(request, "agreements/consultation/comments.html", {
        "agreement": agreement, "form": form, "comments": consultation_comments(agreement),
        "may_answer": manages,
    })


@require_http_methods(["GET", "POST"])
def consultation_answer(request, pk: int, comment_pk: int):
    agreement = get_object_or_404(agreements_visible_to(request.user).select_related("owner"), pk=pk)
    comment = get_object_or_404(consultation_comments(agreement), pk=comment_pk)
    if not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    form = ConsultationAnswerForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_comment_answer(comment=comment, by_user=request.user,
                                                 answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Your answer to {comment.organisation}'s comment is recorded, "
                                      "and the person who made it has been told.")
            return redirect("agreements:consultation", pk=agreement.pk)
    return render(request, "agreements/consultation/answer.html", {
        "agreement": agreement, "comment": comment, "form": form,
    })
