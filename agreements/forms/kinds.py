"""The task that records what an agreement's kind needs beyond its sections (decision 0065)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField, ServiceErrorsMixin

from ..models import Agreement, Article28Term, Kind, Party, SubProcessor
from ..selectors.kinds import kind_terms_of


def _text(label, *, help_text="", required, rows=4):
    return forms.CharField(
        label=label, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required},
    )


# The Article 28(3) terms in the reader's language. The model keeps English labels: a version freezes
# them into the agreement's own text (``selectors.kinds.kind_content``), as the agreement's other
# choices are kept (decision 0058).
ARTICLE_28_LABELS = {
    Article28Term.INSTRUCTIONS: _("(a) The processor acts only on the controller's documented instructions"),
    Article28Term.CONFIDENTIALITY: _("(b) People processing the data are bound by confidentiality"),
    Article28Term.SECURITY: _("(c) The processor takes the security measures of Article 32"),
    Article28Term.SUB_PROCESSORS: _("(d) Sub-processors only with the controller's authorisation, on the same terms"),
    Article28Term.RIGHTS: _("(e) The processor helps the controller answer data subjects' rights"),
    Article28Term.ASSISTANCE: _("(f) The processor helps with security, breaches and DPIAs (Articles 32 to 36)"),
    Article28Term.END: _("(g) The data is deleted or returned at the end of the processing"),
    Article28Term.AUDIT: _("(h) The processor gives the information needed for audits and inspections"),
}
ARTICLE_28_CHOICES = [(value, ARTICLE_28_LABELS[value]) for value in Article28Term.values]


class _TermsForm(ServiceErrorsMixin, forms.Form):
    """A form over the agreement's kind terms whose fields are named as the terms' own."""

    def __init__(self, *args, agreement: Agreement, user=None, **kwargs):
        terms = kind_terms_of(agreement)
        initial = {name: getattr(terms, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class JointControllerForm(_TermsForm):
    """The essence of a joint controller arrangement (UK GDPR Article 26(2))."""

    rights_allocation = _text(
        _("Which party answers which data subject rights?"),
        help_text=_("For example, the council answers requests for access; the health board answers "
                    "requests for rectification. People may exercise their rights against any of the controllers."),
        required=_("Enter which party answers which data subject rights."),
    )
    contact_point = _text(
        _("Contact point for data subjects"), rows=3,
        help_text=_("Who people contact about the processing, for example a shared mailbox."),
        required=_("Enter the contact point for data subjects."),
    )
    ico_breach_notifier = forms.CharField(
        label=_("Who notifies a personal data breach to the ICO?"), max_length=255,
        error_messages={"required": _("Enter who notifies a breach to the ICO."),
                        "max_length": _("This must be 255 characters or fewer.")},
    )
    subject_breach_notifier = forms.CharField(
        label=_("Who tells the people affected by a breach?"), max_length=255,
        error_messages={"required": _("Enter who tells the people affected by a breach."),
                        "max_length": _("This must be 255 characters or fewer.")},
    )


class ProcessingTermsForm(_TermsForm):
    """The controller, the processor and the Article 28(3) terms present in the contract."""

    controller = forms.CharField(
        label=_("Controller"), max_length=255,
        error_messages={"required": _("Enter the controller."),
                        "max_length": _("This must be 255 characters or fewer.")},
    )
    processor = forms.CharField(
        label=_("Processor"), max_length=255,
        error_messages={"required": _("Enter the processor."),
                        "max_length": _("This must be 255 characters or fewer.")},
    )
    article_28_terms = forms.MultipleChoiceField(
        label=_("Which Article 28(3) terms does the contract contain?"), choices=ARTICLE_28_CHOICES,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Select every term present. It cannot go for signature until every term is present."),
        error_messages={"invalid_choice": _("Select terms from the list.")},
    )


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class DisclosureForm(ServiceErrorsMixin, forms.Form):
    """The one discloser, the recipient and the disclosures of a data disclosure agreement."""

    discloser = PartyChoiceField(
        label=_("Which party discloses?"), queryset=Party.objects.none(), widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Select the party that discloses."),
                        "invalid_choice": _("Select the party that discloses.")},
    )
    recipient = PartyChoiceField(
        label=_("Which party receives?"), queryset=Party.objects.none(), widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Select the party that receives."),
                        "invalid_choice": _("Select the party that receives.")},
    )
    disclosures = _text(
        _("What is disclosed, and when?"),
        help_text=_("A single disclosure, or a bounded set: for example, one extract on 1 March."),
        required=_("Enter what is disclosed and when."),
    )

    def __init__(self, *args, agreement: Agreement, user=None, **kwargs):
        terms = kind_terms_of(agreement)
        initial = {"discloser": terms.discloser_id, "recipient": terms.recipient_id, "disclosures": terms.disclosures}
        super().__init__(*args, initial=initial, **kwargs)
        parties = agreement.parties.select_related("organisation").order_by("organisation__name")
        self.fields["discloser"].queryset = parties
        self.fields["recipient"].queryset = parties

    def clean(self):
        cleaned = super().clean()
        discloser, recipient = cleaned.get("discloser"), cleaned.get("recipient")
        if discloser is not None and discloser == recipient:
            self.add_error("recipient", _("The recipient must be a different party from the discloser."))
        return cleaned

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SubProcessorForm(ServiceErrorsMixin, forms.Form):
    """A sub-processor of a processing contract and the controller's own approval of it."""

    name = forms.CharField(
        label=_("Name of the sub-processor"), max_length=255,
        error_messages={"required": _("Enter the name of the sub-processor."),
                        "max_length": _("The name must be 255 characters or fewer.")},
    )
    activity = _text(
        _("What does it do with the data?"), rows=3,
        required=_("Enter what the sub-processor does with the data."),
    )
    approved_by = forms.CharField(
        label=_("Approved by"), max_length=255, required=False,
        help_text=_("Who at the controller approved it. Leave blank, with the date, until it is approved."),
        error_messages={"max_length": _("This must be 255 characters or fewer.")},
    )
    approved_on = DateField(noun=_("the date it was approved"), label=_("Date approved"), required=False,
                            help_text=_("For example, 2 11 2026."))
    withdrawn_on = DateField(noun=_("the date it was withdrawn"), label=_("Date withdrawn"), required=False,
                             help_text=_("If the sub-processor is no longer used."))

    def __init__(self, *args, agreement: Agreement, item: SubProcessor | None = None, user=None, **kwargs):
        initial = {}
        if item is not None:
            initial = {name: getattr(item, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)

    def clean(self):
        cleaned = super().clean()
        by, on = (cleaned.get("approved_by") or "").strip(), cleaned.get("approved_on")
        if by and on is None and "approved_on" not in self.errors:
            self.add_error("approved_on", _("Enter the date it was approved"))
        if on is not None and not by and "approved_by" not in self.errors:
            self.add_error("approved_by", _("Enter who approved the sub-processor."))
        withdrawn = cleaned.get("withdrawn_on")
        if withdrawn is not None and on is not None and withdrawn < on:
            self.add_error("withdrawn_on",
                           _("The date it was withdrawn must be on or after the date it was approved."))
        return cleaned

    def service_kwargs(self) -> dict:
        return {**self.cleaned_data, "approved_by": self.cleaned_data.get("approved_by") or ""}


FORMS = {
    Kind.JOINT_CONTROLLER: JointControllerForm,
    Kind.PROCESSING_CONTRACT: ProcessingTermsForm,
    Kind.DATA_DISCLOSURE: DisclosureForm,
}
