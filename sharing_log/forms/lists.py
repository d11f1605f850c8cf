"""The filters of the log's lists."""

from django import forms

from agreements.models import Agreement, LegalGateway
from govuk_blocks.forms import FilterDateField, filter_dates_in_order
from partners.models import Organisation

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
        error_messages={"max_length": "Case reference must be 60 characters or fewer"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        options = selectors.filter_options(user)
        # The drop-downs list the plain (pk, label) values read; a value sent is checked against
        # the same keys, its instance read only then (issue 15: no model instance a choice).
        for name, model, offered in (("agreement", Agreement, options.agreements),
                                     ("partner", Organisation, options.partners),
                                     ("lawful_basis", LegalGateway, options.lawful_bases)):
            field = self.fields[name]
            field.queryset = model.objects.filter(pk__in=[pk for pk, _ in offered])
            field.choices = [("", field.empty_label), *offered]
        self.fields["data_category"].choices = [("", "Any category"), *selectors.category_choices()]

    def clean(self):
        cleaned = super().clean()
        filter_dates_in_order(self)
        return cleaned

    def filters(self) -> selectors.LogFilters:
        """The valid filters (one that is not valid is left out; the log's views ask only of a form
        that is empty or valid, and list nothing otherwise)."""
        cleaned = getattr(self, "cleaned_data", {})
        return selectors.LogFilters(**{
            name: value for name, value in cleaned.items() if value not in (None, "") and name not in self.errors
        })

    @property
    def active(self) -> bool:
        return any(self.data.get(name) for name in self.fields)
