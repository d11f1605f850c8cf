"""The agreement list's filters: a GET form, so the filters stay in the page's address."""

from django import forms

from partners.models import Organisation

from ..history import HistoryKind
from ..models import Kind, Status
from ..selectors.browse import REVIEW_DUE_SOON, REVIEW_DUE_SOON_DAYS, REVIEW_OVERDUE

REVIEW_CHOICES = [
    ("", "Any time"),
    (REVIEW_OVERDUE, "Overdue"),
    (REVIEW_DUE_SOON, f"Due within {REVIEW_DUE_SOON_DAYS} days"),
]
FULL_WIDTH = {"class": "govuk-!-width-full"}


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AgreementFilterForm(forms.Form):
    """Every field is optional: an empty field filters nothing."""

    search = forms.CharField(
        label="Title or reference", required=False, max_length=100,
        help_text="For example, community safety or CSP ISA",
        error_messages={"max_length": "Title or reference must be 100 characters or fewer."},
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Status.choices],
        widget=forms.Select(attrs=FULL_WIDTH),
        error_messages={"invalid_choice": "Select a status from the list."},
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *Kind.choices],
        widget=forms.Select(attrs=FULL_WIDTH),
        error_messages={"invalid_choice": "Select a kind of agreement from the list."},
    )
    owner = OwnerChoiceField(
        label="Owner", required=False, queryset=Organisation.objects.none(), empty_label="Any owner",
        widget=forms.Select(attrs=FULL_WIDTH),
        error_messages={"invalid_choice": "Select an owner from the list."},
    )
    review = forms.ChoiceField(
        label="Next review", required=False, choices=REVIEW_CHOICES,
        widget=forms.Select(attrs=FULL_WIDTH),
        error_messages={"invalid_choice": "Select when the next review is due from the list."},
    )
    cites_repealed_law = forms.BooleanField(label="Cites repealed or superseded law", required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners

    def filters(self) -> dict:
        """The valid filters, as ``agreements.selectors.agreements_filtered`` takes them.

        A filter with a bad value is left out (and its error shown), the others still apply.
        """
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None, False)}

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())


class HistoryFilterForm(forms.Form):
    """The history page's one filter: which kind of change to show. A bad value is shown as an
    error and every change is listed."""

    kind = forms.ChoiceField(
        label="Show changes to", required=False, choices=[("", "Everything"), *HistoryKind.choices],
        error_messages={"invalid_choice": "Select what to show changes to from the list."},
    )

    def kind_wanted(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""
