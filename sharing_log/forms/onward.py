"""Onward disclosure: asking to pass an entry on, and giving or refusing consent."""

from django import forms

from govuk_blocks.forms import RevealMixin, ServiceErrorsMixin

from .. import selectors
from ..models.onward import OnwardDecision
from .reveals import TEXTAREA, WIDTH_20, _required


class OnwardRequestForm(ServiceErrorsMixin, RevealMixin, forms.Form):
    """Ask the originating organisation's consent to pass an entry on to a third party."""

    in_directory = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No, it is not in the directory")], widget=forms.RadioSelect,
        label="Is the organisation you want to pass it to in the directory?",
        error_messages=_required("Select whether the organisation is in the directory"),
    )
    third_party_organisation = forms.ModelChoiceField(
        queryset=None, required=False, label="Organisation", empty_label="Choose an organisation",
        error_messages=_required("Select the organisation you want to pass it to"),
    )
    third_party_name = forms.CharField(
        required=False, max_length=255, label="Name of the organisation", widget=forms.TextInput(attrs=WIDTH_20),
        error_messages={"max_length": "The name must be 255 characters or fewer"},
    )
    purpose = forms.CharField(
        widget=forms.Textarea(attrs=TEXTAREA), max_length=2000, label="Why do you want to pass it on?",
        help_text="The purpose, and what you would pass on. Do not name the person it is about.",
        error_messages={"required": "Give the purpose of passing it on",
                        "max_length": "The purpose must be 2,000 characters or fewer"},
    )
    REVEALS = {"in_directory": {"yes": ["third_party_organisation"], "no": ["third_party_name"]}}

    def __init__(self, *args, disclosure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["third_party_organisation"].queryset = selectors.third_party_choices(disclosure)

    def clean(self):
        cleaned = super().clean()
        in_directory = cleaned.get("in_directory")
        if in_directory == "yes" and not cleaned.get("third_party_organisation") \
                and "third_party_organisation" not in self.errors:
            self.add_error("third_party_organisation", "Select the organisation you want to pass it to")
        if in_directory == "no" and not cleaned.get("third_party_name", "").strip() \
                and "third_party_name" not in self.errors:
            self.add_error("third_party_name", "Enter the name of the organisation you want to pass it to")
        return cleaned

    def service_kwargs(self) -> dict:
        in_directory = self.cleaned_data["in_directory"] == "yes"
        return {
            "third_party_organisation": self.cleaned_data["third_party_organisation"] if in_directory else None,
            "third_party_name": "" if in_directory else self.cleaned_data["third_party_name"],
            "purpose": self.cleaned_data["purpose"],
        }


class OnwardDecisionForm(ServiceErrorsMixin, forms.Form):
    """Give or refuse consent to pass an entry on, with a reason."""

    decision = forms.ChoiceField(
        choices=[(OnwardDecision.GRANTED, "Give consent"), (OnwardDecision.REFUSED, "Refuse consent")],
        widget=forms.RadioSelect, label="Do you consent to it being passed on?",
        error_messages=_required("Select whether you give or refuse consent"),
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs=TEXTAREA), max_length=2000, label="Your reason",
        help_text="If you give consent, say on what conditions, if any.",
        error_messages={"required": "Give the reason for your decision",
                        "max_length": "The reason must be 2,000 characters or fewer"},
    )
