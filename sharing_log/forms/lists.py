"""The filters of the log's lists."""

from functools import partial

from django import forms
from django.utils.choices import BaseChoiceIterator

from govuk_blocks.forms import FilterDateField, filter_dates_in_order

from .. import selectors
from ..models.disclosures import Decision


def _choices(empty_label: str, options: dict, key: str) -> list[tuple]:
    return [("", empty_label), *selectors.filter_choices(options, key)]


class _ReadOnce(BaseChoiceIterator):
    """Choices read when first needed, then kept: Django iterates a drop-down's choices more than
    once to render it (``use_required_attribute`` looks at the first), which a callable would
    read again each time."""

    def __init__(self, read):
        self.read = read
        self.read_already = None

    def __iter__(self):
        if self.read_already is None:
            self.read_already = self.read()
        yield from self.read_already


class LogFilterForm(forms.Form):
    """The filters of the log's lists, read from the query string."""

    agreement = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any agreement",
        error_messages={"invalid_choice": "Select an agreement from the list"},
    )
    partner = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any partner",
        error_messages={"invalid_choice": "Select a partner from the list"},
    )
    date_from = FilterDateField(label="From", example="1/3/2026")
    date_to = FilterDateField(label="To", example="31/3/2026")
    decision = forms.ChoiceField(
        required=False, choices=[("", "Any decision"), *Decision.choices],
        error_messages={"invalid_choice": "Select a decision from the list"},
    )
    lawful_basis = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any lawful basis", label="Lawful basis",
        error_messages={"invalid_choice": "Select a lawful basis from the list"},
    )
    data_category = forms.ChoiceField(
        required=False, label="Data category",
        error_messages={"invalid_choice": "Select a data category from the list"},
    )
    case_reference = forms.CharField(
        required=False, max_length=60, label="Case reference",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        options = selectors.filter_options(user)
        # The querysets check a value sent; the drop-downs list plain (pk, label) values, read
        # only when the form is shown (issue 15: no model instance a choice).
        for name, key in (("agreement", "agreements"), ("partner", "partners"), ("lawful_basis", "lawful_bases")):
            field = self.fields[name]
            field.queryset = options[key]
            field.choices = _ReadOnce(partial(_choices, field.empty_label, options, key))
        self.fields["data_category"].choices = [("", "Any category"), *selectors.category_choices()]

    def clean(self):
        cleaned = super().clean()
        filter_dates_in_order(self)
        return cleaned

    def filters(self) -> selectors.LogFilters:
        """The valid filters; one that is not valid narrows nothing."""
        cleaned = getattr(self, "cleaned_data", {})
        return selectors.LogFilters(**{
            name: value for name, value in cleaned.items() if value not in (None, "") and name not in self.errors
        })

    @property
    def active(self) -> bool:
        return any(self.data.get(name) for name in self.fields)
