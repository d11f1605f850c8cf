"""The QA review before coming into force (decision 0064): the page where the owner asks for it
and a named reviewer records findings per checklist point.

An agreement outside the user's selector is a 404; a visible one the user may neither manage nor
review, a 403 (rules in ``agreements.permissions``).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from govuk_blocks.forms import submitted

from .. import permissions
from ..forms.qa_reviews import QaRequirementForm, QaReviewForm
from ..models import Agreement, QaReview
from ..selectors.drafting import agreements_visible_to
from ..selectors.qa_reviews import qa_problems, qa_review_counting
from ..selectors.versions import latest_version, version_for_reading
from ..services import qa_reviews as services


def qa_review(request, pk: int):
    # A QA reviewer may be outside every party (a WASPI regional QA group): named, they reach this
    # page, and read the version here, though not the rest of the agreement's pages.
    named = Agreement.objects.filter(qa_required=True, qa_reviewers=request.user) if request.user.is_authenticated \
        else Agreement.objects.none()
    visible = agreements_visible_to(request.user).values("pk")
    agreement = get_object_or_404(
        Agreement.objects.filter(Q(pk__in=visible) | Q(pk__in=named.values("pk"))), pk=pk,
    )
    can_manage = permissions.can_manage(request.user, agreement)
    can_review = permissions.can_review_qa(request.user, agreement)
    if not (can_manage or can_review):
        raise PermissionDenied
    version = latest_version(agreement)
    refusal = services.qa_review_refusal(agreement)
    action = request.POST.get("action") if request.method == "POST" else None
    setting_form = review_form = None
    if can_manage:
        reviewers = agreement.qa_reviewers.order_by("email")
        setting_form = QaRequirementForm(
            submitted(request) if action == "requirement" else None,
            initial={"required": "yes" if agreement.qa_required else "no", "group_name": agreement.qa_group_name,
                     "reviewer_emails": "\n".join(u.email for u in reviewers)},
        )
    if can_review and not refusal:
        review_form = QaReviewForm(submitted(request) if action == "review" else None,
                                   initial={"version": version.pk})
    if action == "requirement" and setting_form is not None and setting_form.is_valid():
        data = setting_form.cleaned_data
        users = []
        unknown = []
        for email in data["reviewer_emails"]:
            user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            (users.append(user) if user else unknown.append(email))
        try:
            if unknown:
                raise ValidationError({"reviewer_emails": _("No ISA Portal account has the address %(email)s") % {
                    "email": unknown[0]}})
            services.qa_requirement_set(
                agreement=agreement, required=data["required"] == "yes", by_user=request.user,
                group_name=data["group_name"], reviewers=users,
            )
        except ValidationError as error:
            setting_form.add_service_errors(error)
        else:
            messages.success(request, _("The QA review is now required before the agreement comes into force.")
                             if data["required"] == "yes" else _("The agreement no longer needs a QA review."))
            return redirect("agreements:qa_review", pk=agreement.pk)
    elif action == "review" and review_form is not None and review_form.is_valid():
        shown = agreement.versions.filter(pk=review_form.cleaned_data["version"]).first()
        try:
            if shown is None:
                raise ValidationError(_("That version is not a version of this agreement."))
            review = services.qa_review_record(
                agreement=agreement, version=shown, user=request.user, outcome=review_form.cleaned_data["outcome"],
                findings=review_form.findings(), comments=review_form.cleaned_data["comments"],
            )
        except ValidationError as error:
            review_form.add_service_errors(error)
        else:
            messages.success(request, _("Your QA review of version %(version)s is recorded: %(outcome)s.") % {
                "version": shown.label, "outcome": review.get_outcome_display()})
            return redirect("agreements:qa_review", pk=agreement.pk)
    elif action not in (None, "requirement", "review") or (action and not (setting_form or review_form)):
        raise PermissionDenied
    return render(request, "agreements/qa_review.html", {
        "agreement": agreement, "version": version, "refusal": refusal, "can_manage": can_manage,
        "setting_form": setting_form, "review_form": review_form,
        "form": (review_form if action == "review" else setting_form if action == "requirement" else None),
        "counting": qa_review_counting(agreement, version) if version else None,
        "problems": qa_problems(agreement),
        "content": version_for_reading(version) if version and review_form else None,
        "reviews": QaReview.objects.filter(agreement=agreement).select_related("version")
        .prefetch_related("findings").order_by("-reviewed_at", "-pk"),
    })
