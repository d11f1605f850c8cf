"""Data-quality correction: marking an entry inaccurate, and a recipient's confirmation."""

from django import forms

from govuk_blocks.dates import long_date
from govuk_blocks.forms import ModelMultipleChoiceField, ServiceErrorsMixin

from .. import selectors
from ..models.disclosures import Disclosure
from ..models.quality import ConfirmationOutcome
from ..services.quality import inaccuracy_warning
from .disclosures import TEXTAREA, _required


class SameCaseEntryField(ModelMultipleChoiceField):
    def label_from_instance(self, entry: Disclosure) -> str:
        return (f"Entry {entry.pk}: shared with {entry.recipient_organisation} on "
                f"{long_date(entry.occurred_at)}")


class InaccurateForm(ServiceErrorsMixin, forms.Form):
    """Say what is wrong with an entry, and which other entries of the case carry the same."""

    what_is_wrong = forms.CharField(
        widget=forms.Textarea(attrs=TEXTAREA), max_length=1000,
        label="What is wrong with the information that was shared?",
        help_text="Say what is wrong and what is right, in as few words as you can. Do not name anyone.",
        error_messages={"required": "Say what is wrong with the information that was shared",
                        "max_length": "What is wrong must be 1,000 characters or fewer"},
    )
    also_entries = SameCaseEntryField(
        queryset=Disclosure.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Which other entries carry the same inaccurate information?",
        help_text="Your organisation shared these under the same case reference. Their recipients will be told too.",
        error_messages=_required("Choose entries from the list"),
    )
    text_checked = forms.BooleanField(
        required=False, label="I have checked what I have written holds no identifying details",
    )

    def __init__(self, *args, disclosure, **kwargs):
        super().__init__(*args, **kwargs)
        self.same_case = selectors.entries_of_the_same_case(disclosure)
        self.fields["also_entries"].queryset = Disclosure.objects.filter(
            pk__in=[entry.pk for entry in self.same_case],
        ).select_related("recipient_organisation").order_by("occurred_at", "pk")

    @property
    def show_text_check(self) -> bool:
        return self.is_bound and bool(inaccuracy_warning(self.data.get("what_is_wrong", "")))

    def service_kwargs(self) -> dict:
        return {
            "what_is_wrong": self.cleaned_data["what_is_wrong"],
            "also_entries": list(self.cleaned_data["also_entries"]),
            "text_checked": self.cleaned_data["text_checked"],
        }


class ConfirmCopyForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (ConfirmationOutcome.CORRECTED, "We corrected our copy"),
            (ConfirmationOutcome.DESTROYED, "We destroyed our copy"),
        ],
        widget=forms.RadioSelect, label="What did your organisation do with its copy?",
        error_messages=_required("Select whether your organisation corrected or destroyed its copy"),
    )
