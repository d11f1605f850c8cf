"""Recording an agreement that predates the portal: its versions, then the day it came into force."""

from django import forms
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField, ServiceErrorsMixin


def _label(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the version number, like 2.0",
            "max_length": "Enter a version number of 20 characters or fewer",
        },
    )


class ExistingAgreementForm(ServiceErrorsMixin, forms.Form):
    """The current version (the text drafted here) and, optionally, the one before it."""

    label = _label("Current version number", help_text="As the signed copy has it, for example 2.0.")
    issued_on = DateField(
        noun=_("the date the current version was issued"),
        label="Date the current version was issued",
        help_text="For example, 14 5 2019",
    )
    earlier_label = _label("Earlier version number", required=False, help_text="Leave blank if there was none.")
    earlier_issued_on = DateField(
        noun=_("the date the earlier version was issued"),
        label="Date the earlier version was issued",
        required=False,
        help_text="For example, 1 9 2016",
    )
    earlier_change_summary = forms.CharField(
        label="What changed in the current version",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "What changed must be 1000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("earlier_label")
            and not cleaned.get("earlier_issued_on")
            and "earlier_issued_on" not in self.errors
        ):
            self.add_error("earlier_issued_on", "Enter the date the earlier version was issued")
        if cleaned.get("earlier_issued_on") and not cleaned.get("earlier_label"):
            self.add_error("earlier_label", "Enter the earlier version number, like 1.0")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        earlier = []
        if data.get("earlier_label"):
            earlier.append(
                {"label": data["earlier_label"], "issued_on": data["earlier_issued_on"], "change_summary": ""}
            )
        return {
            "label": data["label"],
            "issued_on": data["issued_on"],
            "earlier": earlier,
            "change_summary": data.get("earlier_change_summary", ""),
        }


class InForceSinceForm(ServiceErrorsMixin, forms.Form):
    since = DateField(noun=_("the date it came into force"), label="In force since", help_text="For example, 1 10 2019")
    last_review_on = DateField(
        noun=_("the date of the last review"),
        label="Last reviewed on",
        required=False,
        help_text="Leave blank if it has not been reviewed.",
    )
    next_review_due = DateField(
        noun=_("the date the next review is due"),
        label="Next review due",
        required=False,
        help_text="Leave blank to take it from the agreement's review settings.",
    )
