"""Forms of the parties journey: invite, standing, contacts, data items, withdrawal.

Dates are GOV.UK date inputs (day, month, year): ``govuk_blocks.forms.DateField``, rendered by
``govuk_blocks/includes/date_input.html``.
"""


from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import TOO_LONG, DateField, ModelMultipleChoiceField, ServiceErrorsMixin
from partners.selectors import contacts_of

from ..models import Agreement, ContactRole, DataItem, DataLevel, Party, PartyStatus
from ..selectors import parties as selectors
from ..services.parties import RECORDABLE


class PartyInviteForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, label="Organisation to invite", empty_label="Choose an organisation",
        help_text="Organisations in the directory that are not yet parties to this agreement.",
        error_messages={
            "required": "Choose the organisation to invite",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    board_member = forms.BooleanField(
        required=False, label="It will sit on the partnership's board",
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisations_invitable(agreement)


class PartyStatusForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label="Where does the party stand?", widget=forms.RadioSelect,
        choices=[(status.value, status.label) for status in RECORDABLE],
        error_messages={
            "required": "Choose where the party stands",
            "invalid_choice": "Choose where the party stands",
        },
    )
    declined_on = DateField(
        noun=_("the date it declined"), required=False, label="Date it declined",
        help_text="Only if it declined. For example, 27 3 2026. If you leave it blank, today's date is used.",
    )
    status_note = forms.CharField(
        required=False, max_length=255, label="What the register says",
        help_text="Word for word, if your register of partners says more, for example "
                  "“Awaiting details of SPOC”.",
        error_messages={"max_length": TOO_LONG.format(label="What the register says", limit=255)},
    )

    def __init__(self, *args, party, **kwargs):
        kwargs.setdefault("initial", {
            "status": party.status if party.status in RECORDABLE else None,
            "declined_on": party.declined_on,
            "status_note": party.status_note,
        })
        super().__init__(*args, **kwargs)

    def clean_declined_on(self):
        declined_on = self.cleaned_data["declined_on"]
        if declined_on and declined_on > timezone.localdate():
            raise ValidationError("The date it declined must be today or in the past")
        return declined_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("declined_on") and cleaned.get("status") not in (None, PartyStatus.DECLINED):
            self.add_error("declined_on", "Only give a date it declined if the party has declined")
        return cleaned


class PartyContactForm(ServiceErrorsMixin, forms.Form):
    role = forms.ChoiceField(
        label="Role for this agreement", widget=forms.RadioSelect, choices=ContactRole.choices,
        error_messages={
            "required": "Choose the person's role for this agreement",
            "invalid_choice": "Choose the person's role for this agreement",
        },
    )
    contact = forms.ModelChoiceField(
        queryset=None, required=False, label="Person",
        empty_label="Someone not listed: add them below",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    name = forms.CharField(
        required=False, max_length=200, label="Full name",
        error_messages={"max_length": TOO_LONG.format(label="Full name", limit=200)},
    )
    job_title = forms.CharField(
        required=False, max_length=200, label="Job title",
        error_messages={"max_length": TOO_LONG.format(label="Job title", limit=200)},
    )
    email = forms.EmailField(
        required=False, label="Email address", max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
            "max_length": TOO_LONG.format(label="Email address", limit=254),
        },
    )
    phone = forms.CharField(
        required=False, max_length=40, label="Phone number",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "type": "tel"}),
        error_messages={"max_length": TOO_LONG.format(label="Phone number", limit=40)},
    )

    def __init__(self, *args, party, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts_of(party.organisation)
        self.fields["contact"].label = f"Person at {party.organisation}"

    def clean(self):
        cleaned = super().clean()
        contact, name = cleaned.get("contact"), cleaned.get("name")
        if contact and name:
            self.add_error("name", "Choose someone from the list or add someone new, not both")
        elif not contact and not name and "contact" not in self.errors:
            self.add_error("contact", "Choose a person, or enter the full name of someone new")
        return cleaned


class PartyDataForm(ServiceErrorsMixin, forms.Form):
    data_items = ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Data this party provides",
        help_text="Select all that apply. Leave them all unselected if it provides none.",
        error_messages={"invalid_choice": "Choose data items from the list",
                        "invalid_pk_value": "Choose data items from the list"},
    )

    def __init__(self, *args, party, **kwargs):
        kwargs.setdefault("initial", {"data_items": list(party.data_items.all())})
        super().__init__(*args, **kwargs)
        field = self.fields["data_items"]
        field.queryset = party.agreement.data_items.all()
        field.label_from_instance = lambda item: (
            f"{item.description} ({item.get_level_display().lower()}; listed for {item.provider_label})"
        )


class PartyWithdrawForm(ServiceErrorsMixin, forms.Form):
    notice_given_on = DateField(
        noun=_("the date notice was given"), label="Date notice was given",
        help_text="For example, 22 11 2026.",
    )
    effective_on = DateField(
        noun=_("the date the withdrawal takes effect"), required=False,
        label="Date the withdrawal takes effect",
        help_text="At least one calendar month after notice. If you leave it blank, it will be "
                  "exactly one month after notice.",
    )


class PartyCheckboxes(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class DataItemForm(ServiceErrorsMixin, forms.Form):
    provider_label = forms.CharField(
        label="Who provides it", max_length=255,
        help_text="As the agreement puts it, for example Police, or All partners.",
        error_messages={
            "required": "Enter who provides this information.",
            "max_length": "Who provides it must be 255 characters or fewer.",
        },
    )
    providers = PartyCheckboxes(
        label="Which parties provide it?", queryset=Party.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select parties from the list."},
    )
    level = forms.ChoiceField(
        label="Level of data", choices=DataLevel.choices, widget=forms.RadioSelect,
        error_messages={
            "required": "Select the level of data shared.",
            "invalid_choice": "Select the level of data shared.",
        },
    )
    description = forms.CharField(
        label="What information is shared", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, names, dates of birth and addresses of people referred to the "
                  "panel, and the reason for the referral.",
        error_messages={"required": "Enter what information is shared."},
    )
    special_category = forms.TypedChoiceField(
        label="Is it special category data?",
        help_text="Racial or ethnic origin, political opinions, religious or philosophical beliefs, "
                  "trade union membership, genetic or biometric data, health, sex life or sexual "
                  "orientation (UK GDPR Article 9(1)).",
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if this is special category data.",
            "invalid_choice": "Select yes if this is special category data.",
        },
    )
    criminal_offence = forms.TypedChoiceField(
        label="Is it criminal offence data?",
        help_text="Allegations, offences, proceedings or convictions, or related security measures "
                  "(UK GDPR Article 10).",
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if this is criminal offence data.",
            "invalid_choice": "Select yes if this is criminal offence data.",
        },
    )

    def __init__(self, *args, agreement: Agreement, item: DataItem | None = None, user=None, **kwargs):
        initial = {}
        if item is not None:
            initial = {
                "provider_label": item.provider_label, "level": item.level,
                "description": item.description,
                "special_category": "yes" if item.special_category else "no",
                "criminal_offence": "yes" if item.criminal_offence else "no",
                "providers": list(item.providers.values_list("pk", flat=True)),
            }
        super().__init__(*args, initial=initial, **kwargs)
        parties = agreement.parties.select_related("organisation").order_by("organisation__name")
        self.fields["providers"].queryset = parties

    def service_kwargs(self) -> dict:
        return {
            "provider_label": self.cleaned_data["provider_label"], "level": self.cleaned_data["level"],
            "description": self.cleaned_data["description"],
            "providers": list(self.cleaned_data["providers"]),
            "special_category": self.cleaned_data["special_category"],
            "criminal_offence": self.cleaned_data["criminal_offence"],
        }


class PartyFilterForm(forms.Form):
    """The parties and signatures pages' filters: a GET form, so they stay in the address.
    Every field is optional: an empty field filters nothing, a bad one is shown and left out."""

    search = forms.CharField(
        label=_("Organisation"), required=False, max_length=100, help_text=_("All or part of its name"),
        error_messages={"max_length": _("Organisation must be 100 characters or fewer.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[],
        error_messages={"invalid_choice": _("Select a status from the list.")},
    )

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *statuses]

    def filters(self) -> dict:
        """The valid filters, as ``agreements.selectors.parties.party_rows_filtered`` takes them."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())
