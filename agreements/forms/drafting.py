"""Forms for starting an agreement and for the tasks of its task list.

The tasks that belong to another feature have their forms in that feature's module: legal
gateways (``forms.gateways``), data to be shared (``forms.parties``), the review schedule
(``forms.reviews``) and the breach clocks (``forms.breaches``).

They check the shape of what was entered, with GOV.UK error messages; the rules that need the
database (an ended agreement, repealed law, a purpose with disclosures) are the services'.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import ModelMultipleChoiceField, RevealMixin, ServiceErrorsMixin, months_field
from partners.models import Contact, Organisation

from ..kind_templates import TEMPLATE_CHOICES
from ..models import (
    Agreement,
    DocumentLanguage,
    Jurisdiction,
    Kind,
    ProtectiveMarking,
    RetentionBasis,
    Section,
    TransferMethod,
)
from ..selectors.drafting import agreements_visible_to
from ..services.drafting import TEMPLATE_KINDS, StartMode


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
        label=_("Which organisation will own the agreement?"), queryset=Organisation.objects.none(),
        widget=forms.RadioSelect, empty_label=None,
        error_messages={
            "required": _("Select the organisation that will own the agreement."),
            "invalid_choice": _("Select the organisation that will own the agreement."),
        },
    )
    mode = forms.ChoiceField(
        label=_("How do you want to start?"), choices=StartMode.choices, widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how you want to start the agreement."),
            "invalid_choice": _("Select how you want to start the agreement."),
        },
    )
    clone_source = AgreementChoiceField(
        label=_("Agreement to copy"), queryset=Agreement.objects.none(), required=False,
        empty_label=_("Choose an agreement"),
        help_text=_("If you are copying an agreement. Its purposes, sections, legal gateways, data "
                    "to be shared and settings are copied; its parties and signatures are not."),
        error_messages={"invalid_choice": _("Select an agreement from the list.")},
    )
    template_source = AgreementChoiceField(
        label=_("Framework or general protocol"), queryset=Agreement.objects.none(), required=False,
        empty_label=_("Choose a framework or general protocol"),
        help_text=_("If you are starting from a framework or general protocol. Its purposes and "
                    "sections are copied, and the new agreement sits under it."),
        error_messages={"invalid_choice": _("Select a framework or general protocol from the list.")},
    )
    template = forms.ChoiceField(
        label=_("Template"), choices=[("", _("Choose a template")), *TEMPLATE_CHOICES], required=False,
        help_text=_("If you are starting from a template: the agreement is of the template's kind and "
                    "has its sections, each with guidance to replace."),
        error_messages={"invalid_choice": _("Select a template from the list.")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=255, required=False,
        help_text=_("For example, Community Safety Partnership Information Sharing Agreement. "
                    "If you copy an agreement you can leave this blank: the copy is called "
                    "“Copy of” and the other agreement's title."),
        error_messages={"max_length": _("The title must be 255 characters or fewer.")},
    )

    def __init__(self, *args, user, owners, **kwargs):
        super().__init__(*args, **kwargs)
        visible = agreements_visible_to(user).select_related("owner").order_by("title")
        self.fields["clone_source"].queryset = visible
        self.fields["template_source"].queryset = visible.filter(kind__in=TEMPLATE_KINDS)
        # No framework or general protocol to start from: the way is not offered (the Safe and
        # Well trial, P2: it was, with an empty list, and refused when chosen).
        if not self.fields["template_source"].queryset.exists():
            del self.fields["template_source"]
            self.fields["mode"].choices = [
                (value, label) for value, label in self.fields["mode"].choices if value != StartMode.TEMPLATE]
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
            self.add_error("clone_source", _("Select the agreement to copy."))
        if mode == StartMode.TEMPLATE and not cleaned["source"] and "template_source" not in self.errors:
            self.add_error("template_source", _("Select the framework or general protocol to start from."))
        if mode == StartMode.KIND_TEMPLATE and not cleaned.get("template") and "template" not in self.errors:
            self.add_error("template", _("Select the template to start from."))
        title_missing = not cleaned.get("title", "").strip() and "title" not in self.errors
        if mode in (StartMode.BLANK, StartMode.TEMPLATE, StartMode.KIND_TEMPLATE) and title_missing:
            self.add_error("title", _("Enter the agreement's title."))
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
    language = forms.ChoiceField(
        label="What language is the agreement written in?", choices=DocumentLanguage.choices,
        widget=forms.RadioSelect, required=False,
        help_text="Its PDF is made in this language. An agreement in both languages is two agreements, one in each.",
        error_messages={"invalid_choice": "Select English or Cymraeg (Welsh)."},
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
            "jurisdiction": agreement.jurisdiction, "language": agreement.language,
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
            "language": self.cleaned_data.get("language") or None,
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


class RetentionForm(ServiceErrorsMixin, RevealMixin, forms.Form):
    """The agreement's retention rule: months after the case is closed, or a fixed period from
    the disclosure (GOV.UK radios, each revealing its number of months); how long a case may stay
    open before it is flagged; and anything else the agreement says about keeping records."""

    # Each rule, and the field of months it reveals (templates/agreements/drafting/retention.html).
    MONTHS = {
        RetentionBasis.AFTER_CLOSURE: "retention_months_after_closure",
        RetentionBasis.FROM_DISCLOSURE: "retention_months_from_disclosure",
    }
    REVEALS = {"retention_basis": {rule: [name] for rule, name in MONTHS.items()}}
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
    retention_months_after_closure = months_field(
        "Months after the case is closed", maximum=600,
        help_text="For example, 18.",
        required=MISSING[RetentionBasis.AFTER_CLOSURE],
        invalid="Enter the number of months as a whole number, like 18.",
    )
    retention_months_from_disclosure = months_field(
        "Months after the disclosure", maximum=600,
        help_text="For example, 72 for six years.",
        required=MISSING[RetentionBasis.FROM_DISCLOSURE],
        invalid="Enter the number of months as a whole number, like 72.",
    )
    case_open_limit_months = months_field(
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
        for name in self.MONTHS.values():
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        basis = cleaned.get("retention_basis")
        for rule, name in self.MONTHS.items():
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
