"""The DPIA page's form: the screening, whether a DPIA is needed, and the DPIA.

The rules are the service's (``agreements.services.dpias.dpia_record``); this form turns the
page's input into its arguments, with GOV.UK error messages worded as the service words them.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import TOO_LONG, DateField, ServiceErrorsMixin
from govuk_blocks.glossary import glossary_hint

from ..models import Dpia, DpiaOutcome, ScreeningCriterion

TEXT_LIMIT = 5000
REFERENCE_LIMIT = 100
YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=TEXT_LIMIT, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG.format(label=label, limit=TEXT_LIMIT)},
    )


def _yes_no(label: str, *, required: str | None) -> forms.TypedChoiceField:
    message = required or f"Select yes or no: {label[0].lower()}{label[1:]}"
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda value: value == "yes", empty_value=None,
        required=required is not None, widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class DpiaForm(ServiceErrorsMixin, forms.Form):
    files_again = {"document": "Select the DPIA again: a file is not kept when something else on the page "
                               "needs correcting"}

    screening = forms.MultipleChoiceField(
        label="Which of the ICO's screening criteria apply?", required=False, choices=ScreeningCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=glossary_hint("Select all that apply. Two or more usually mean a DPIA is needed.", "dpia"),
        error_messages={"invalid_choice": "Choose screening criteria from the list"},
    )
    needed = _yes_no("Does the agreement need a DPIA?", required="Choose whether the agreement needs a DPIA")
    not_needed_reason = _text("If no DPIA is needed, why not?")
    reference = forms.CharField(
        label="DPIA reference", required=False, max_length=REFERENCE_LIMIT,
        help_text="Its reference in your organisation's register of DPIAs.",
        error_messages={"max_length": TOO_LONG.format(label="DPIA reference", limit=REFERENCE_LIMIT)},
    )
    document = forms.FileField(
        label="Upload the DPIA", required=False,
        help_text="A PDF, PNG or JPEG. A new file replaces the one on record.",
        error_messages={"invalid": "The selected file must be a PDF, PNG or JPEG",
                        "missing": "Select the DPIA", "empty": "The selected file is empty"},
    )
    completed_on = DateField(
        noun=_("the date the DPIA was completed"), label="Date the DPIA was completed", required=False,
        help_text="For example, 27 3 2026.",
    )
    outcome = forms.ChoiceField(
        label="Outcome of the DPIA", required=False, choices=DpiaOutcome.choices, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose the outcome of the DPIA"},
    )
    dpo_advice = _text("The data protection officer's advice")
    dpo_advice_followed = _yes_no("Was the DPO's advice followed?", required=None)
    dpo_advice_not_followed_reason = _text("If the advice was not followed, why not?")
    review_on = DateField(
        noun=_("the date the DPIA is next reviewed"), label="Date the DPIA is next reviewed", required=False,
        help_text="A review of the agreement opens on this date. For example, 27 3 2027.",
    )

    def __init__(self, *args, dpia: Dpia | None = None, **kwargs):
        if dpia is not None:
            kwargs.setdefault("initial", {
                "screening": dpia.screening,
                "needed": {True: "yes", False: "no"}.get(dpia.needed),
                "not_needed_reason": dpia.not_needed_reason, "reference": dpia.reference,
                "completed_on": dpia.completed_on, "outcome": dpia.outcome, "dpo_advice": dpia.dpo_advice,
                "dpo_advice_followed": {True: "yes", False: "no"}.get(dpia.dpo_advice_followed),
                "dpo_advice_not_followed_reason": dpia.dpo_advice_not_followed_reason, "review_on": dpia.review_on,
            })
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
