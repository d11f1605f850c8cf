"""Forms of the partner directory: its filters, a person's contact details, an organisation's record.

Each field carries GOV.UK-style error messages; the rules that need the database (one e-mail
address per person at an organisation) are the services'.
"""


from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField, FilterDateField, ServiceErrorsMixin, filter_dates_in_order

from .models import (
    ODS_CODE_FORMAT,
    AccessKind,
    Contact,
    DsptStatus,
    Organisation,
    Role,
    Sector,
    validate_ico_registration_number,
    validate_ods_code,
)
from .permissions import can_grant_role


def _roles_offered(by_user, held=()) -> list:
    """The roles ``by_user`` may give (``can_grant_role``), and those already held, which stay."""
    return [(value, label) for value, label in Role.choices
            if value in held or by_user is None or can_grant_role(by_user, value)]

PHONE = RegexValidator(
    r"^\+?[0-9 ()\-]{6,}$",
    _("Enter a telephone number, like 01632 960 001 or +44 1632 960 001."),
)


class TelInput(forms.TextInput):
    input_type = "tel"


class OrganisationFilterForm(forms.Form):
    """The directory's filters; both optional. A GET form, so they stay in the address."""

    search = forms.CharField(
        label="Organisation name or ICO registration number", required=False, max_length=100,
        error_messages={"max_length": "Organisation name or ICO registration number must be 100 characters or fewer."},
    )
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices],
        error_messages={"invalid_choice": "Select a sector from the list."},
    )

    def filters(self) -> dict:
        """The valid filters, as ``partners.selectors.organisations_filtered`` takes them."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())


class ContactForm(ServiceErrorsMixin, forms.Form):
    """A person's work contact details, as the directory shows them."""

    name = forms.CharField(
        label="Full name", max_length=Contact._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person’s full name.",
            "max_length": "Full name must be 200 characters or fewer.",
        },
    )
    job_title = forms.CharField(
        label="Job title", required=False, max_length=Contact._meta.get_field("job_title").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"max_length": "Job title must be 200 characters or fewer."},
    )
    email = forms.EmailField(
        label="Work e-mail address", required=False, max_length=254,
        help_text="Notifications about agreements are sent here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk.",
            "max_length": "E-mail address must be 254 characters or fewer.",
        },
    )
    phone = forms.CharField(
        label="Work phone number", required=False, max_length=Contact._meta.get_field("phone").max_length,
        validators=[PHONE],
        widget=TelInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
        error_messages={"max_length": _("Phone number must be 40 characters or fewer.")},
    )

    @classmethod
    def initial_for(cls, contact: Contact) -> dict:
        return {name: getattr(contact, name) for name in cls.base_fields}


# The DSPT's statuses in the reader's language; the model keeps the DSPT's own English words.
DSPT_STATUS_LABELS = {
    DsptStatus.EXCEEDED: _("Standards exceeded"),
    DsptStatus.MET: _("Standards met"),
    DsptStatus.APPROACHING: _("Approaching standards"),
    DsptStatus.NOT_MET: _("Standards not met"),
    DsptStatus.NOT_PUBLISHED: _("Not published"),
}


class OrganisationForm(ServiceErrorsMixin, forms.Form):
    """An organisation's record in the directory, to add one or to keep it current: name, sector,
    ICO registration, phone, address, and when it ceased and which body took on its work."""

    name = forms.CharField(
        label=_("Name"), max_length=Organisation._meta.get_field("name").max_length,
        help_text=_("Its full name, for example South Cambridgeshire District Council."),
        widget=forms.TextInput(attrs={"autocomplete": "organization", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the organisation’s name."),
            "max_length": _("Name must be 255 characters or fewer."),
        },
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose a sector")), *Sector.choices],
        error_messages={"required": _("Select the sector."), "invalid_choice": _("Select a sector from the list.")},
    )
    ico_registration_number = forms.CharField(
        label=_("ICO registration number"), required=False, max_length=20,
        help_text=_("From the data protection fee register, for example ZA123456."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"max_length": _("ICO registration number must be 20 characters or fewer.")},
    )
    ico_renewal_date = DateField(
        noun=_("the renewal date"), label=_("ICO registration renewal date"), required=False,
        help_text=_("For example, 27 3 2027"),
    )
    ods_code = forms.CharField(
        label=_("ODS code"), required=False, max_length=10,
        help_text=_("NHS Organisation Data Service code, if it has one, for example RGT."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"max_length": ODS_CODE_FORMAT},
    )
    dspt_status = forms.ChoiceField(
        label=_("Data Security and Protection Toolkit (DSPT) status"), required=False,
        choices=[("", _("Not recorded")), *((value, DSPT_STATUS_LABELS[value]) for value in DsptStatus.values)],
        help_text=_("As the DSPT's published assessments show it."),
        error_messages={"invalid_choice": _("Select a DSPT status from the list.")},
    )
    dspt_published_on = DateField(
        noun=_("the DSPT publication date"), label=_("DSPT publication date"), required=False,
        help_text=_("When its latest assessment was published, for example 27 6 2026."),
    )
    phone = forms.CharField(
        label=_("Main phone number"), required=False,
        max_length=Organisation._meta.get_field("phone").max_length, validators=[PHONE],
        widget=TelInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
        error_messages={"max_length": _("Phone number must be 40 characters or fewer.")},
    )
    address = forms.CharField(
        label=_("Address"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        error_messages={"max_length": _("Address must be 1000 characters or fewer.")},
    )

    ceased_on = DateField(
        noun=_("the date it ceased"), label=_("Ceased on"), required=False,
        help_text=_("Only if the body was abolished or merged, for example 31 3 2023."),
    )
    successor = forms.ModelChoiceField(
        label=_("Organisation that took on its work"), required=False, queryset=Organisation.objects.none(),
        empty_label=_("None"), help_text=_("If it ceased and another body in the directory took on its work."),
        error_messages={"invalid_choice": _("Select an organisation from the list.")},
    )

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        successors = Organisation.objects.order_by("name")
        if organisation is not None:
            successors = successors.exclude(pk=organisation.pk)
        self.fields["successor"].queryset = successors

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        return {name: getattr(organisation, name) for name in cls.base_fields}

    def clean_ico_registration_number(self) -> str:
        number = "".join(self.cleaned_data["ico_registration_number"].split()).upper()
        validate_ico_registration_number(number)
        return number

    def clean_ods_code(self) -> str:
        code = "".join(self.cleaned_data["ods_code"].split()).upper()
        validate_ods_code(code)
        return code

    def clean(self):
        cleaned = super().clean()
        published = cleaned.get("dspt_published_on")
        if published and published > timezone.localdate():
            self.add_error("dspt_published_on", _("The DSPT publication date must be today or in the past."))
        status = cleaned.get("dspt_status")
        if published and not status and "dspt_status" not in self.errors:
            self.add_error("dspt_status", _("Select the DSPT status that was published on that date."))
        if status and status != DsptStatus.NOT_PUBLISHED and not published \
                and "dspt_published_on" not in self.errors:
            self.add_error("dspt_published_on", _("Enter the date the DSPT status was published."))
        if cleaned.get("ico_renewal_date") and not cleaned.get("ico_registration_number") \
                and "ico_registration_number" not in self.errors:
            self.add_error(
                "ico_registration_number",
                _("Enter the ICO registration number that the renewal date is for."),
            )
        return cleaned


class InvitationForm(ServiceErrorsMixin, forms.Form):
    """Who to invite to join for the organisation, and in which role."""

    name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person’s full name.", "max_length": "Full name must be 200 characters or fewer.",
        },
    )
    email = forms.EmailField(
        label="Work e-mail address", max_length=254,
        help_text="The invitation goes here, and it becomes their username.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their work e-mail address.",
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk.",
            "max_length": "E-mail address must be 254 characters or fewer.",
        },
    )
    role = forms.ChoiceField(
        label="Role", choices=Role.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select their role.", "invalid_choice": "Select their role."},
    )

    def __init__(self, *args, by_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _roles_offered(by_user)


class JoinForm(ServiceErrorsMixin, forms.Form):
    """The invitee chooses a password (Django's validators, in the service)."""

    password = forms.CharField(
        label="Create a password", strip=False,
        help_text="At least 12 characters. Three or four random words work well.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password."},
    )
    password_again = forms.CharField(
        label="Type the password again", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again."},
    )

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The passwords do not match.")
        return cleaned


class JoinResumeForm(ServiceErrorsMixin, forms.Form):
    """The invitee who chose a password and stopped before their authenticator app: that password
    again, to go on (``partners.selectors.invitation_resumable``)."""

    password = forms.CharField(
        label="Your password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter the password you chose."},
    )


def security_code_field(*, required_message: str, label: str = "Security code", help_text: str = "") -> forms.CharField:
    """A code from an authenticator app, or a backup code: the box every sign-in, reset and
    enrolment form asks for it in (numeric keyboard, the browser's one-time-code autofill)."""
    return forms.CharField(
        label=label, help_text=help_text, max_length=8,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false",
            "class": "govuk-input--width-5",
        }),
        error_messages={"required": required_message},
    )


class AuthenticatorForm(ServiceErrorsMixin, forms.Form):
    token = security_code_field(
        label="Code from the app", required_message="Enter the 6-digit code your authenticator app shows now.",
    )


class PasswordCheckForm(ServiceErrorsMixin, forms.Form):
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )


class PersonRolesForm(ServiceErrorsMixin, forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles", choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Untick every role to remove them from the organisation. Someone with no role anywhere "
                  "can no longer sign in.",
        error_messages={"invalid_choice": "Select roles from the list."},
    )

    def __init__(self, *args, by_user=None, held=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = _roles_offered(by_user, held)


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a spreadsheet", help_text="A CSV or an .xlsx workbook, smaller than 2 MB.",
        error_messages={"required": "Select a CSV or .xlsx file.", "empty": "The selected file is empty."},
    )


# The access log (docs/decisions/0025) -----------------------------------------------------------

class AccessLogFilterForm(forms.Form):
    """The access log's filters, read from the query string; all optional."""

    kind = forms.ChoiceField(
        required=False, label="What happened", choices=[("", "Anything"), *AccessKind.choices],
        error_messages={"invalid_choice": "Select what happened from the list"},
    )
    date_from = FilterDateField(label="From", example="1/3/2026")
    date_to = FilterDateField(label="To", example="31/3/2026")

    def clean(self):
        cleaned = super().clean()
        filter_dates_in_order(self)
        return cleaned

    def filters(self) -> dict:
        """The valid filters, as ``partners.selectors.access_events_filtered`` takes them; one that
        is not valid narrows nothing."""
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value not in (None, "") and name not in self.errors}

    @property
    def active(self) -> bool:
        return any(self.data.get(name) for name in self.fields)
