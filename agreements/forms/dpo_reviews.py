"""The DPO review form (decision 0062): the outcome and comments. The rules (comments when
changes are needed, the version still the latest) are ``services.dpo_reviews``'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import ServiceErrorsMixin

from ..models import DpoReviewOutcome
from ..services.dpo_reviews import COMMENTS_MAX


class DpoReviewForm(ServiceErrorsMixin, forms.Form):
    """``version`` carries the id of the version shown, so a version replaced while the page was
    open is not reviewed unseen."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Read the agreement again and review it."),
                        "invalid": _("Read the agreement again and review it.")},
    )
    outcome = forms.ChoiceField(
        choices=DpoReviewOutcome.choices, widget=forms.RadioSelect, label=_("Your review"),
        error_messages={
            "required": _("Select whether the version is content to sign or needs changes"),
            "invalid_choice": _("Select whether the version is content to sign or needs changes"),
        },
    )
    comments = forms.CharField(
        required=False, max_length=COMMENTS_MAX, label=_("Comments"),
        help_text=_("Required when changes are needed: say what must change."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("Comments must be 5,000 characters or fewer")},
    )
