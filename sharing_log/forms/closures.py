"""Closing a case, changing its closing date, and re-opening it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField, ServiceErrorsMixin

from .. import selectors
from .disclosures import TEXTAREA, _required

REASON = {
    "widget": forms.Textarea(attrs=TEXTAREA), "max_length": 1000,
}


class CaseCloseForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, label="Whose case is it?", empty_label="Choose an organisation",
        error_messages=_required("Select the organisation whose case it is"),
    )
    case_reference = forms.CharField(
        max_length=60, label="Case reference", help_text="Your organisation's pseudonymous case reference.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        error_messages={"required": "Enter the case reference",
                        "max_length": "The case reference must be 60 characters or fewer"},
    )
    closed_on = DateField(
        noun=_("the date the case closed"), label="When did the case close?", help_text="For example, 27 3 2026",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = selectors.case_closing_organisations(user)
        field = self.fields["organisation"]
        field.queryset = organisations
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()
            field.initial = organisations[0].pk


class CaseChangeForm(ServiceErrorsMixin, forms.Form):
    closed_on = DateField(
        noun=_("the date the case closed"), label="When did the case close?", help_text="For example, 27 3 2026",
    )
    reason = forms.CharField(
        **REASON, label="Why is the closing date changing?",
        error_messages={"required": "Give the reason the closing date is changing",
                        "max_length": "The reason must be 1,000 characters or fewer"},
    )


class CaseReopenForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        **REASON, label="Why is the case being re-opened?",
        error_messages={"required": "Give the reason the case is being re-opened",
                        "max_length": "The reason must be 1,000 characters or fewer"},
    )
