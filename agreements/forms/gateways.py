"""Proposing a legal gateway for the catalogue, and a portal administrator's decision on it."""

from django import forms

from govuk_blocks.forms import TOO_LONG, ServiceErrorsMixin

from ..models import GatewayCategory, GatewayProposal

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
