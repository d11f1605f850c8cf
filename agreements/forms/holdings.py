"""A withdrawn partner's answer: what it did with what it holds under the agreement."""

from django import forms

from govuk_blocks.forms import ServiceErrorsMixin

from ..models import HoldingsOutcome


class PartyHoldingsForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=HoldingsOutcome.choices, widget=forms.RadioSelect,
        label="What did your organisation do with the information it received under the agreement?",
        error_messages={"required": "Select what your organisation did with the information it holds",
                        "invalid_choice": "Select what your organisation did with the information it holds"},
    )
    retained_reason = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        label="Why did your organisation retain it?",
        help_text="For example, a legal duty to keep it. Do not name anyone.",
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )
