"""Choosing an agreement's legal gateways (its drafting task), proposing a legal gateway for the
catalogue, and a portal administrator's decision on it."""

from django import forms
from django.core.exceptions import ValidationError

from govuk_blocks.forms import TOO_LONG, ServiceErrorsMixin

from ..models import Agreement, GatewayCategory, GatewayProposal, LegalGateway

DECISIONS = [("approve", "Approve: add it to the catalogue"), ("reject", "Do not approve")]


def _length(name: str, label: str) -> dict:
    limit = GatewayProposal._meta.get_field(name).max_length
    return {"max_length": limit, "error_messages": {"max_length": TOO_LONG.format(label=label, limit=limit)}}


class GatewayProposalForm(ServiceErrorsMixin, forms.Form):
    instrument = forms.CharField(
        label="Act, regulation or doctrine", **_length("instrument", "Act, regulation or doctrine"),
        help_text="Its full title and year, for example Anti-social Behaviour, Crime and Policing Act 2014.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    provision = forms.CharField(
        label="Section or provision", required=False, **_length("provision", "Section or provision"),
        help_text="For example s104, or Sch 4 para 7. Leave blank if the whole Act is cited.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    title = forms.CharField(
        label="Short title", **_length("title", "Short title"),
        help_text="What the provision is about, for example ASB case reviews (the community trigger).",
    )
    summary = forms.CharField(
        label="What it allows or requires, in plain English", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": TOO_LONG.format(label="The summary", limit=2000)},
    )
    category = forms.ChoiceField(
        label="Kind of gateway", choices=GatewayCategory.choices, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the kind of gateway."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in {
            "instrument": "Enter the Act, regulation or doctrine.",
            "title": "Enter a short title.",
            "summary": "Say what it allows or requires, in plain English.",
            "category": "Select the kind of gateway.",
        }.items():
            self.fields[name].error_messages["required"] = message

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class GatewayDecisionForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", choices=DECISIONS, widget=forms.RadioSelect,
        error_messages={"required": "Select whether to approve it.", "invalid_choice": "Select whether to approve it."},
    )
    reason = forms.CharField(
        label="Why is it not approved?", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person who proposed it reads this.",
        error_messages={"max_length": TOO_LONG.format(label="The reason", limit=2000)},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give the reason it is not approved.")
        return cleaned


class GatewayCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose repealed or superseded options cannot be newly ticked."""

    def __init__(self, *args, disabled_values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values = {str(value) for value in disabled_values}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def gateway_label(gateway: LegalGateway) -> str:
    label = f"{gateway}: {gateway.title}" if gateway.title else str(gateway)
    if not gateway.is_current:
        label += f" ({gateway.get_status_display().lower()}"
        label += f", replaced by {gateway.replaced_by})" if gateway.replaced_by_id else ")"
    return label


class GatewaysForm(ServiceErrorsMixin, forms.Form):
    """One group of checkboxes per category of legal gateway (``gateways_<category>``).

    Repealed and superseded provisions are shown with what replaced them, but cannot be ticked
    unless the agreement already cites them (then they can be unticked).
    """

    def __init__(self, *args, agreement: Agreement, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = set(agreement.gateways.values_list("pk", flat=True))
        gateways = list(LegalGateway.objects.select_related("replaced_by"))
        for category, label in GatewayCategory.choices:
            options = [g for g in gateways if g.category == category]
            if not options:
                continue
            self.fields[f"gateways_{category}"] = forms.TypedMultipleChoiceField(
                label=label, required=False, coerce=int,
                choices=[(g.pk, gateway_label(g)) for g in options],
                initial=[g.pk for g in options if g.pk in chosen],
                widget=GatewayCheckboxes(disabled_values=[
                    g.pk for g in options if not g.is_current and g.pk not in chosen
                ]),
                error_messages={"invalid_choice": "Select legal gateways from the list."},
            )
        self.gateways = {gateway.pk: gateway for gateway in gateways}

    def clean(self):
        cleaned = super().clean()
        chosen = [pk for name in self.fields for pk in cleaned.get(name, [])]
        if not self.fields:
            self.add_error(None, "There are no legal gateways to choose from yet. Ask a portal "
                                 "administrator to add the ones this agreement relies on.")
        elif not chosen and not self.errors:
            self.add_error(next(iter(self.fields)), "Select at least one legal gateway.")
        cleaned["gateways"] = [self.gateways[pk] for pk in chosen]
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        self.field_map = {"gateways": next(iter(self.fields), "gateways")}
        super().add_service_errors(error)

    def service_kwargs(self) -> dict:
        return {"gateways": self.cleaned_data["gateways"]}
