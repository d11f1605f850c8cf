"""Forms of rights and freedom of information requests: record one, extend one (Art 12(3)),
record its response.

Whom a request is routed to, and when it is due, are the services' business.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField, ServiceErrorsMixin
from partners.models import Organisation

from ..models import RequestKind
from ..selectors import requests as selectors
from .breaches import AgreementField

PARTNERSHIP = "partnership"


class InformationRequestForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of request is it?", choices=RequestKind.choices, widget=forms.RadioSelect,
        help_text="A request under the UK GDPR (subject access, rectification, erasure, restriction or "
                  "objection) must be answered within one calendar month, a freedom of information "
                  "request within 20 working days.",
        error_messages={"required": "Select the kind of request", "invalid_choice": "Select the kind of request"},
    )
    agreement = AgreementField(
        queryset=None, label="Agreement", empty_label="Choose an agreement",
        help_text="The agreement under which the information asked about was shared.",
        error_messages={
            "required": "Choose the agreement it is about", "invalid_choice": "Choose the agreement it is about",
        },
    )
    organisation = forms.ChoiceField(
        label="Which partner does it concern?",
        help_text="The partner it concerns answers it. A request about the partnership as a whole, naming no "
                  "partner, is answered by the agreement's owner.",
        error_messages={
            "required": "Choose the partner it concerns, or the partnership as a whole",
            "invalid_choice": "Choose the partner it concerns, or the partnership as a whole",
        },
    )
    received_on = DateField(
        noun=_("the date it was received"), label="Date it was received", help_text="For example, 3 9 2026",
    )
    description = forms.CharField(
        label="What is asked for?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In a line or two. Do not name the person who asked, or anyone else.",
        error_messages={
            "required": "Describe what is asked for", "max_length": "What is asked for must be 500 characters or fewer",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = selectors.agreements_for_requests(user)
        self.fields["agreement"].queryset = agreements
        self.organisations = {str(org.pk): org for org in selectors.organisations_concerned(agreements)}
        self.fields["organisation"].choices = [
            ("", "Choose a partner"), (PARTNERSHIP, "The partnership as a whole"),
            *((pk, org.name) for pk, org in self.organisations.items()),
        ]

    def clean_organisation(self) -> Organisation | None:
        value = self.cleaned_data["organisation"]
        if value == PARTNERSHIP:
            return None
        try:
            return self.organisations[value]
        except KeyError:
            raise ValidationError("Choose the partner it concerns, or the partnership as a whole") from None

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "agreement", "organisation", "received_on", "description")}


class InformationRequestResponseForm(ServiceErrorsMixin, forms.Form):
    responded_on = DateField(
        noun=_("the date it was answered"), label="Date the response was sent", help_text="For example, 1 10 2026",
    )
    response_note = forms.CharField(
        label="How was it answered?", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example “Disclosed in full” or “Refused under section 40”. Do not name anyone.",
        error_messages={"max_length": "How it was answered must be 500 characters or fewer"},
    )


class InformationRequestExtensionForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Why does it need longer?", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Article 12(3) allows two further months only where the request is complex or the requests "
                  "numerous. Do not name the requester.",
        error_messages={
            "required": "Explain why the request is complex or the requests numerous",
            "max_length": "Why it needs longer must be 1000 characters or fewer",
        },
    )
    told_on = DateField(
        noun=_("the date the requester was told"), label="Date the requester was told of the extension and why",
        help_text="They must be told within one month of receipt. For example, 1 10 2026",
    )
