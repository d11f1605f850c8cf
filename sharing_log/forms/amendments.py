"""Amending and voiding an entry: the amendments that stand in for edit and delete."""

from django import forms
from django.core.exceptions import ValidationError

from govuk_blocks.forms import RevealMixin, ServiceErrorsMixin

from .. import selectors
from ..selectors.amendments import CORRECTABLE_CHOICES
from ..services.disclosures import summary_warning
from .reveals import TEXTAREA, WIDTH_20, _required


class AmendmentForm(RevealMixin, forms.Form):
    """Amend one detail of an entry: which, its new value, and why."""

    field = forms.ChoiceField(
        choices=list(selectors.CORRECTABLE_FIELDS.items()), widget=forms.RadioSelect,
        label="Which detail is wrong?", error_messages=_required("Select the detail to correct"),
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs=TEXTAREA), label="Why is it being amended?", max_length=2000,
        error_messages={"required": "Give the reason for the correction",
                        "max_length": "The reason must be 2,000 characters or fewer"},
    )
    summary_checked = forms.BooleanField(
        required=False, label="I have checked the summary holds no identifying details",
    )

    def __init__(self, *args, disclosure, **kwargs):
        super().__init__(*args, **kwargs)
        self.disclosure = disclosure
        reveals = {}
        for name, label in selectors.CORRECTABLE_FIELDS.items():
            self.fields[f"value_{name}"] = self._value_field(name, label)
            reveals[name] = [f"value_{name}"]
        self.REVEALS = {"field": reveals}
        # The reason comes after the revealed values in the error summary, as on the page.
        self.order_fields(["field", *(f"value_{name}" for name in selectors.CORRECTABLE_FIELDS), "reason"])

    def _value_field(self, name: str, label: str) -> forms.Field:
        attrs = {"label": f"New {label.lower()}", "required": False}
        if name in CORRECTABLE_CHOICES:
            choices = list(dict(CORRECTABLE_CHOICES[name]).items())
            permitted = self.disclosure.agreement.transfer_methods
            if name == "transfer_method" and permitted:
                choices = [(value, text) for value, text in choices if value in permitted]
            return forms.ChoiceField(choices=[("", "Choose one"), *choices], **attrs,
                                     error_messages=_required(f"Select the new {label.lower()}"))
        if name in ("summary", "decision_reason"):
            return forms.CharField(widget=forms.Textarea(attrs=TEXTAREA), max_length=2000, **attrs)
        return forms.CharField(max_length=200, widget=forms.TextInput(attrs=WIDTH_20), **attrs)

    @property
    def show_summary_check(self) -> bool:
        return (self.is_bound and self.data.get("field") == "summary"
                and bool(summary_warning(self.data.get("value_summary", ""))))

    def service_kwargs(self) -> dict:
        field = self.cleaned_data["field"]
        return {
            "field": field, "value": self.cleaned_data[f"value_{field}"], "reason": self.cleaned_data["reason"],
            "summary_checked": self.cleaned_data["summary_checked"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        chosen = self.cleaned_data.get("field")
        for name, messages in error.message_dict.items():
            field = {"value": f"value_{chosen}"}.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class VoidForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs=TEXTAREA), label="Why is this entry being voided?", max_length=2000,
        error_messages={"required": "Give the reason for voiding this entry",
                        "max_length": "The reason must be 2,000 characters or fewer"},
    )
