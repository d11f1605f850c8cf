"""A party's DPO review (decision 0062), and the owner turning the step on or off.

An agreement outside the user's selector is a 404; a visible one the user may not act on, a 403
(rules in ``agreements.permissions``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govuk_blocks.forms import submitted

from .. import permissions
from ..forms.dpo_reviews import DpoReviewForm
from ..selectors.dpo_reviews import dpo_stages_attach, party_dpo_reviews
from ..selectors.drafting import agreements_visible_to
from ..selectors.signing import party_signature_state
from ..selectors.versions import latest_version, version_for_reading
from ..services import dpo_reviews as services


def _agreement(request, pk: int):
    return get_object_or_404(agreements_visible_to(request.user), pk=pk)


def party_dpo_review(request, pk: int, party_pk: int):
    agreement = _agreement(request, pk)
    party = get_object_or_404(agreement.parties.select_related("organisation", "agreement"), pk=party_pk)
    if not permissions.can_review_as_dpo(request.user, party):
        raise PermissionDenied
    version = latest_version(agreement)
    refusal = services.dpo_review_refusal(party)
    form = None if refusal else DpoReviewForm(submitted(request), initial={"version": version.pk})
    if request.method == "POST" and form is not None and form.is_valid():
        shown = agreement.versions.filter(pk=form.cleaned_data["version"]).first()
        try:
            if shown is None:
                raise ValidationError("That version is not a version of this agreement.")
            review = services.dpo_review_record(
                party=party, version=shown, user=request.user,
                outcome=form.cleaned_data["outcome"], comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _(
                "Your review of version %(version)s for %(organisation)s is recorded: %(outcome)s."
            ) % {"version": shown.label, "organisation": party.organisation, "outcome": review.get_outcome_display()})
            return redirect("agreements:party_dpo_review", pk=agreement.pk, party_pk=party.pk)
    state = party_signature_state(party)
    dpo_stages_attach([state], version)
    return render(request, "agreements/signing/dpo_review.html", {
        "agreement": agreement, "party": state, "version": version, "refusal": refusal, "form": form,
        "content": version_for_reading(version) if version and not refusal else None,
        "reviews": party_dpo_reviews(party),
    })


@require_POST
def dpo_review_requirement(request, pk: int):
    """Turn the DPO review step on (``required=yes``) or off, back to the signatures page."""
    agreement = _agreement(request, pk)
    if not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    required = request.POST.get("required") == "yes"
    services.dpo_review_requirement_set(agreement=agreement, required=required, by_user=request.user)
    messages.success(request, _(
        "Each party's data protection officer now reviews the latest version before its lead signatory signs."
    ) if required else _("Lead signatories now sign without a DPO review first."))
    return redirect("agreements:signatures", pk=agreement.pk)
