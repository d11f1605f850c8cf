"""Escalating a refusal to share to the agreement's lead, and the lead's decision."""

from django import forms

from govuk_blocks.forms import ServiceErrorsMixin

from ..models.escalations import EscalationOutcome
from ..services.escalations import free_text_warning
from .disclosures import TEXTAREA, _required


class EscalationForm(ServiceErrorsMixin, forms.Form):
    concern = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), max_length=1000,
        label="Why is the information needed to keep a child safe?",
        help_text="What you asked for, and the risk to the child if it is not shared. Do not name anyone or give "
                  "dates of birth, addresses or other identifying details: use the case reference.",
        error_messages={"required": "Say why the information is needed to keep a child safe",
                        "max_length": "The concern must be 1,000 characters or fewer"},
    )
    concern_checked = forms.BooleanField(
        required=False, label="I have checked the concern holds no identifying details",
    )

    @property
    def show_concern_check(self) -> bool:
        return self.is_bound and bool(free_text_warning(self.data.get("concern", ""), what="the concern"))


class EscalationResolveForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=EscalationOutcome.choices, widget=forms.RadioSelect, label="What is the outcome?",
        error_messages=_required("Select the outcome"),
    )
    resolution_note = forms.CharField(
        widget=forms.Textarea(attrs=TEXTAREA), max_length=1000, label="Reasons for the decision",
        help_text="Who decided, and why. No names of the people the case is about.",
        error_messages={"required": "Give the reasons for the decision",
                        "max_length": "The reasons must be 1,000 characters or fewer"},
    )
    note_checked = forms.BooleanField(
        required=False, label="I have checked the reasons hold no identifying details",
    )

    @property
    def show_note_check(self) -> bool:
        return self.is_bound and bool(free_text_warning(self.data.get("resolution_note", ""), what="the reasons"))
