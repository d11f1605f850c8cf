"""Forms for starting an agreement and for each task of its task list.

They check the shape of what was entered, with GOV.UK error messages; the rules that need the
database (an ended agreement, repealed law, a purpose with disclosures) are the services'.
"""

from django import forms
from django.core.exceptions import ValidationError

from govuk_blocks.forms import ModelMultipleChoiceField, ServiceErrorsMixin
from partners.models import Contact, Organisation

from ..models import (
    Agreement,
    DataItem,
    DataLevel,
    GatewayCategory,
    Jurisdiction,
    Kind,
    LegalGateway,
    Party,
    ProtectiveMarking,
    RetentionBasis,
    Section,
    TransferMethod,
)
from ..selectors.drafting import agreements_visible_to
from ..services.drafting import TEMPLATE_KINDS, StartMode


def _months(label: str, *, help_text: str = "", required: str, invalid: str, maximum: int):
    return forms.IntegerField(
        label=label, help_text=help_text, min_value=1, max_value=maximum,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": required, "invalid": invalid,
            "min_value": f"{label} must be at least 1 month.",
            "max_value": f"{label} must be {maximum} months or fewer.",
        },
    )


def _days(label: str, *, help_text: str, maximum: int = 3650):
    return forms.IntegerField(
        label=label, help_text=help_text, required=False, min_value=0, max_value=maximum,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": f"{label} must be a whole number, like 90.",
            "min_value": f"{label} must be 0 or more.",
            "max_value": f"{label} must be {maximum} or fewer.",
        },
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.owner})"


# Starting --------------------------------------------------------------------------------------


class AgreementStartForm(ServiceErrorsMixin, forms.Form):
    """/agreements/new/: who owns it, how to start, and its title.

    ``owners`` are the organisations where the user is a governance manager; the question is
    asked only when there are several.
    """

    owner = OrganisationChoiceField(
        label="Which organisation will own the agreement?", queryset=Organisation.objects.none(),
        widget=forms.RadioSelect, empty_label=None,
        error_messages={
            "required": "Select the organisation that will own the agreement.",
            "invalid_choice": "Select the organisation that will own the agreement.",
        },
    )
    mode = forms.ChoiceField(
        label="How do you want to start?", choices=StartMode.choices, widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you want to start the agreement.",
            "invalid_choice": "Select how you want to start the agreement.",
        },
    )
    clone_source = AgreementChoiceField(
        label="Agreement to copy", queryset=Agreement.objects.none(), required=False,
        empty_label="Choose an agreement",
        help_text="If you are copying an agreement. Its purposes, sections, legal gateways, data "
                  "to be shared and settings are copied; its parties and signatures are not.",
        error_messages={"invalid_choice": "Select an agreement from the list."},
    )
    template_source = AgreementChoiceField(
        label="Framework or general protocol", queryset=Agreement.objects.none(), required=False,
        empty_label="Choose a framework or general protocol",
        help_text="If you are starting from a framework or general protocol. Its purposes and "
                  "sections are copied, and the new agreement sits under it.",
        error_messages={"invalid_choice": "Select a framework or general protocol from the list."},
    )
    title = forms.CharField(
        label="Title", max_length=255, required=False,
        help_text="For example, Community Safety Partnership Information Sharing Agreement. "
                  "If you copy an agreement you can leave this blank: the copy is called "
                  "“Copy of” and the other agreement's title.",
        error_messages={"max_length": "The title must be 255 characters or fewer."},
    )

    def __init__(self, *args, user, owners, **kwargs):
        super().__init__(*args, **kwargs)
        visible = agreements_visible_to(user).select_related("owner").order_by("title")
        self.fields["clone_source"].queryset = visible
        self.fields["template_source"].queryset = visible.filter(kind__in=TEMPLATE_KINDS)
        self.fields["owner"].queryset = owners
        self.single_owner = owners.first() if len(owners) == 1 else None
        if self.single_owner is not None:
            del self.fields["owner"]

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("mode")
        source_field = {StartMode.CLONE: "clone_source", StartMode.TEMPLATE: "template_source"}.get(mode)
        cleaned["source"] = cleaned.get(source_field) if source_field else None
        if mode == StartMode.CLONE and not cleaned["source"] and "clone_source" not in self.errors:
            self.add_error("clone_source", "Select the agreement to copy.")
        if mode == StartMode.TEMPLATE and not cleaned["source"] and "template_source" not in self.errors:
            self.add_error("template_source", "Select the framework or general protocol to start from.")
        title_missing = not cleaned.get("title", "").strip() and "title" not in self.errors
        if mode in (StartMode.BLANK, StartMode.TEMPLATE) and title_missing:
            self.add_error("title", "Enter the agreement's title.")
        if self.single_owner is not None:
            cleaned["owner"] = self.single_owner
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        mode = self.cleaned_data.get("mode")
        self.field_map = {"source": "template_source" if mode == StartMode.TEMPLATE else "clone_source"}
        super().add_service_errors(error)


# The tasks --------------------------------------------------------------------------------------


class ContactCheckboxes(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.job_title}" if obj.job_title else obj.name


class DetailsForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label="Title", max_length=255,
        error_messages={
            "required": "Enter the agreement's title.",
            "max_length": "The title must be 255 characters or fewer.",
        },
    )
    reference = forms.CharField(
        label="Reference", max_length=60, required=False,
        help_text="The short name partners use for it, for example CSP ISA.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"max_length": "The reference must be 60 characters or fewer."},
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?", choices=Kind.choices, widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of document it is.",
            "invalid_choice": "Select what kind of document it is.",
        },
    )
    parent = AgreementChoiceField(
        label="Framework or general protocol it sits under", queryset=Agreement.objects.none(),
        required=False, empty_label="None",
        error_messages={"invalid_choice": "Select a framework or general protocol from the list."},
    )
    protective_marking = forms.ChoiceField(
        label="Protective marking", choices=ProtectiveMarking.choices, widget=forms.RadioSelect,
        error_messages={
            "required": "Select the agreement's protective marking.",
            "invalid_choice": "Select the agreement's protective marking.",
        },
    )
    jurisdiction = forms.ChoiceField(
        label="Whose law and bank holidays apply?", choices=Jurisdiction.choices, widget=forms.RadioSelect,
        required=False,
        help_text="Deadlines in working days, such as those after a breach, leave out this jurisdiction's "
                  "bank holidays.",
        error_messages={"invalid_choice": "Select England and Wales, Scotland or Northern Ireland."},
    )
    drawn_up_by = ContactCheckboxes(
        label="Who drew it up?", queryset=Contact.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People at the owner named in the directory.",
        error_messages={"invalid_choice": "Select people from the list."},
    )

    def __init__(self, *args, agreement: Agreement, user, **kwargs):
        initial = {
            "title": agreement.title, "reference": agreement.reference, "kind": agreement.kind,
            "parent": agreement.parent_id, "protective_marking": agreement.protective_marking,
            "jurisdiction": agreement.jurisdiction,
            "drawn_up_by": list(agreement.drawn_up_by.values_list("pk", flat=True)),
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["parent"].queryset = (
            agreements_visible_to(user).filter(kind__in=TEMPLATE_KINDS).exclude(pk=agreement.pk)
            .select_related("owner").order_by("title")
        )
        contacts = agreement.owner.contacts.order_by("name")
        self.fields["drawn_up_by"].queryset = contacts
        if not contacts.exists():
            del self.fields["drawn_up_by"]

    def service_kwargs(self) -> dict:
        return {
            "title": self.cleaned_data["title"], "reference": self.cleaned_data["reference"],
            "kind": self.cleaned_data["kind"], "parent": self.cleaned_data["parent"],
            "protective_marking": self.cleaned_data["protective_marking"],
            "drawn_up_by": list(self.cleaned_data.get("drawn_up_by") or []),
            "jurisdiction": self.cleaned_data.get("jurisdiction") or None,
        }


class PurposesForm(ServiceErrorsMixin, forms.Form):
    purposes = forms.CharField(
        label="Purposes", widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Write each purpose on its own line, in the order the agreement lists them. "
                  "To remove a purpose, delete its line.",
        error_messages={"required": "Enter at least one purpose, each on its own line."},
    )

    def __init__(self, *args, agreement: Agreement, user=None, **kwargs):
        initial = {"purposes": "\n".join(agreement.purposes.values_list("text", flat=True))}
        super().__init__(*args, initial=initial, **kwargs)

    def clean_purposes(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["purposes"].splitlines()]
        purposes = [line for line in lines if line]
        if not purposes:
            raise ValidationError("Enter at least one purpose, each on its own line.")
        for text in purposes:
            if len(text) > 500:
                raise ValidationError(f"Each purpose must be 500 characters or fewer: shorten “{text[:40]}…”.")
        repeated = next((text for i, text in enumerate(purposes) if text in purposes[:i]), None)
        if repeated:
            raise ValidationError(f"“{repeated}” is listed more than once. Enter each purpose once.")
        return purposes

    def service_kwargs(self) -> dict:
        return {"purposes": self.cleaned_data["purposes"]}


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


class TransferForm(ServiceErrorsMixin, forms.Form):
    transfer_methods = forms.MultipleChoiceField(
        label="How may partners send information to each other?", choices=TransferMethod.choices,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply.",
        error_messages={
            "required": "Select at least one way partners may send information.",
            "invalid_choice": "Select ways of sending information from the list.",
        },
    )
    consent_position = forms.CharField(
        label="Consent", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="When partners seek consent before sharing, and when they may share without it.",
        error_messages={"required": "Enter when partners seek consent before sharing."},
    )

    def __init__(self, *args, agreement: Agreement, user=None, **kwargs):
        initial = {"transfer_methods": agreement.transfer_methods, "consent_position": agreement.consent_position}
        super().__init__(*args, initial=initial, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class RetentionForm(ServiceErrorsMixin, forms.Form):
    """The agreement's retention rule: months after the case is closed, or a fixed period from
    the disclosure (GOV.UK radios, each revealing its number of months); how long a case may stay
    open before it is flagged; and anything else the agreement says about keeping records."""

    # Each rule, and the field of months it reveals (templates/agreements/drafting/retention.html).
    REVEALS = {
        RetentionBasis.AFTER_CLOSURE: "retention_months_after_closure",
        RetentionBasis.FROM_DISCLOSURE: "retention_months_from_disclosure",
    }
    MISSING = {
        RetentionBasis.AFTER_CLOSURE: "Enter how many months after the case is closed shared records are destroyed.",
        RetentionBasis.FROM_DISCLOSURE: "Enter how many months after the disclosure shared records are destroyed.",
    }

    retention_basis = forms.ChoiceField(
        label="When are shared records destroyed?", choices=RetentionBasis.choices, widget=forms.RadioSelect,
        help_text="Every entry logged under the agreement gets the date on which it is destroyed by this rule.",
        error_messages={"required": "Select when shared records are destroyed.",
                        "invalid_choice": "Select when shared records are destroyed."},
    )
    retention_months_after_closure = _months(
        "Months after the case is closed", maximum=600,
        help_text="For example, 18.",
        required=MISSING[RetentionBasis.AFTER_CLOSURE],
        invalid="Enter the number of months as a whole number, like 18.",
    )
    retention_months_from_disclosure = _months(
        "Months after the disclosure", maximum=600,
        help_text="For example, 72 for six years.",
        required=MISSING[RetentionBasis.FROM_DISCLOSURE],
        invalid="Enter the number of months as a whole number, like 72.",
    )
    case_open_limit_months = _months(
        "Flag a case still open after this many months", maximum=600,
        help_text="Records kept until a case closes are never destroyed if it is never closed: a case open "
                  "this long is flagged to its organisation. For example, 12.",
        required="Enter after how many months a case still open is flagged.",
        invalid="Enter the number of months as a whole number, like 12.",
    )
    retention_rule = forms.CharField(
        label="Retention rule", widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text="Anything else the agreement says about keeping and destroying records, for "
                  "example that de-personalised records may be kept longer.",
    )

    def __init__(self, *args, agreement: Agreement, user=None, **kwargs):
        initial = {
            "retention_basis": agreement.retention_basis,
            "retention_months_after_closure": agreement.retention_months_after_closure,
            "retention_months_from_disclosure": agreement.retention_months_from_disclosure,
            "case_open_limit_months": agreement.case_open_limit_months,
            "retention_rule": agreement.retention_rule,
        }
        super().__init__(*args, initial=initial, **kwargs)
        # The months are required only under the rule that reveals them (``clean``).
        for name in self.REVEALS.values():
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        basis = cleaned.get("retention_basis")
        for rule, name in self.REVEALS.items():
            if rule != basis:
                cleaned[name] = None
                self.errors.pop(name, None)
            elif cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, self.MISSING[rule])
        return cleaned

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("retention_basis")
        return data


class ReviewForm(ServiceErrorsMixin, forms.Form):
    review_first_after_months = _months(
        "First review after", maximum=120,
        help_text="Months after the agreement comes into force. For example, 6.",
        required="Enter how many months after it comes into force the first review is due.",
        invalid="Enter the months to the first review as a whole number, like 6.",
    )
    review_every_months = _months(
        "Then a review every", maximum=120,
        help_text="Months between reviews. For example, 12 for annually or 24 for every two years.",
        required="Enter how many months apart reviews are.",
        invalid="Enter the months between reviews as a whole number, like 12.",
    )
    review_after_breach = forms.TypedChoiceField(
        label="Is the agreement reviewed after any breach?",
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the agreement is reviewed after any breach.",
            "invalid_choice": "Select yes if the agreement is reviewed after any breach.",
        },
    )

    review_overdue_grace_days = _days(
        "Days sharing may go on while a review is overdue",
        help_text="After these days, nothing more may be shared under the agreement until its review is "
                  "completed (decisions not to share may still be logged). For example, 90. Leave it blank "
                  "to keep the current number.",
    )
    resigning_grace_days = _days(
        "Days a party has to sign a changed version",
        help_text="After a substantive change, a party that has not signed the new version within these days "
                  "receives nothing new under the agreement until it does. For example, 60. Leave it blank to "
                  "keep the current number.",
    )

    def __init__(self, *args, agreement: Agreement, user=None, **kwargs):
        initial = {
            "review_first_after_months": agreement.review_first_after_months,
            "review_every_months": agreement.review_every_months,
            "review_after_breach": "yes" if agreement.review_after_breach else "no",
            "review_overdue_grace_days": agreement.review_overdue_grace_days,
            "resigning_grace_days": agreement.resigning_grace_days,
        }
        super().__init__(*args, initial=initial, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SectionForm(ServiceErrorsMixin, forms.Form):
    number = forms.CharField(
        label="Number", max_length=20, required=False,
        help_text="For example, 5 or 5.12, or Appendix 1.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"max_length": "The number must be 20 characters or fewer."},
    )
    heading = forms.CharField(
        label="Heading", max_length=255,
        error_messages={
            "required": "Enter the section's heading.",
            "max_length": "The heading must be 255 characters or fewer.",
        },
    )
    body = forms.CharField(
        label="Text", widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Enter the section's text."},
    )

    def __init__(self, *args, agreement: Agreement, item: Section | None = None, user=None, **kwargs):
        initial = {}
        if item is not None:
            initial = {"number": item.number, "heading": item.heading, "body": item.body}
        super().__init__(*args, initial=initial, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SectionMoveForm(forms.Form):
    """A "Move up" or "Move down" button on the sections page: which section, which way."""

    section = forms.IntegerField(error_messages={"required": "Choose a section to move."})
    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down")],
        error_messages={"required": "Choose which way to move the section."},
    )


class MoveForm(ServiceErrorsMixin, forms.Form):
    """One button on the status page: the status to move to."""

    to = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose what should happen to the agreement."},
    )
