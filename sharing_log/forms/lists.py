"""The filters of the log's lists."""

from django import forms

from govuk_blocks.forms import date_out_of_range

from .. import selectors
from ..models.disclosures import Decision


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
    date_from = forms.DateField(
        required=False, label="From", help_text="For example, 1/3/2026",
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y"],
        error_messages={"invalid": "Enter the date from as a real date, for example 1/3/2026"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    date_to = forms.DateField(
        required=False, label="To", help_text="For example, 31/3/2026",
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y"],
        error_messages={"invalid": "Enter the date to as a real date, for example 31/3/2026"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
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
        self.fields["agreement"].queryset = options["agreements"]
        self.fields["partner"].queryset = options["partners"]
        self.fields["lawful_basis"].queryset = options["lawful_bases"]
        self.fields["data_category"].choices = [("", "Any category"), *selectors.category_choices()]

    def clean_date_from(self):
        return self._in_range("date_from", "the date from")

    def clean_date_to(self):
        return self._in_range("date_to", "the date to")

    def _in_range(self, name: str, noun: str):
        # 31/12/9999 is a date, but the day after it (the filter's end) is not one Python can hold.
        value = self.cleaned_data[name]
        message = value and date_out_of_range(value, noun=noun)
        if message:
            raise forms.ValidationError(message)
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The date to must be the same as or after the date from")
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
