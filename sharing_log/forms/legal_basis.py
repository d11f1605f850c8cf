"""The log form's questions on the law an entry rests on: special category and criminal offence
data with their conditions, the UK GDPR Article 6 lawful basis (and why, when the agreement does
not cite it), a DPA 2018 Part 3 basis for law-enforcement sharing, and the legal gateways.
``DisclosureForm`` inherits them and places them on the page (``PAGE_ORDER``); the rules are
``lawful_basis_problems`` and ``art6_departure_problems``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import GatewayCategory, GatewayStatus, LegalGateway
from govuk_blocks.forms import ModelChoiceField, ModelMultipleChoiceField, ReadChoicesMixin
from govuk_blocks.glossary import glossary_hint

from ..models.disclosures import SpecialCategory
from .reveals import TEXTAREA, _required

SENSITIVE_FIELDS = ("has_special_categories", "special_categories", "art9_conditions", "schedule1_conditions",
                    "criminal_offence_data", "criminal_offence_condition")
BASIS_FIELDS = ("art6_basis", "art6_departure_reason", "law_enforcement_basis", "gateways")


def plain_basis(gateway: LegalGateway) -> str:
    """An Article 6 basis as people say it: "Public task – UK GDPR Article 6(1)(e)"."""
    return gateway.plain_name


class PlainBasisField(ReadChoicesMixin, forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return plain_basis(obj)


class LegalBasisForm(forms.Form):
    """The legal-basis fields of the log form, and the answers they give ``disclosure_log``."""

    has_special_categories = forms.BooleanField(
        required=False, label=_("Special category data"),
        help_text=_("Such as health, ethnicity, religion or sexuality."),
    )
    special_categories = forms.MultipleChoiceField(
        choices=SpecialCategory.choices, widget=forms.CheckboxSelectMultiple, required=False,
        label=_("Which special category data?"),
        error_messages={"invalid_choice": _("Select special category data from the list")},
    )
    art9_conditions = ModelMultipleChoiceField(
        queryset=LegalGateway.objects.filter(category=GatewayCategory.ART9, status=GatewayStatus.CURRENT),
        widget=forms.CheckboxSelectMultiple, required=False, label=_("Article 9 conditions"),
        help_text=glossary_hint(_("Select all that apply."), "article-9"),
        error_messages={"invalid_choice": _("Select Article 9 conditions from the list"),
                        "invalid_pk_value": _("Select Article 9 conditions from the list")},
    )
    schedule1_conditions = ModelMultipleChoiceField(
        queryset=LegalGateway.objects.filter(category=GatewayCategory.DPA2018_SCH1, status=GatewayStatus.CURRENT),
        widget=forms.CheckboxSelectMultiple, required=False, label=_("DPA 2018 Schedule 1 conditions"),
        help_text=glossary_hint("Article 9(2)(b), (g), (h), (i) and (j) each need one (DPA 2018 section 10).",
                                "schedule-1"),
        error_messages={"invalid_choice": _("Select Schedule 1 conditions from the list"),
                        "invalid_pk_value": _("Select Schedule 1 conditions from the list")},
    )
    criminal_offence_data = forms.BooleanField(
        required=False, label=_("Criminal offence data"),
        help_text=_("Allegations, offences, proceedings or convictions."),
    )
    criminal_offence_condition = ModelChoiceField(
        queryset=LegalGateway.objects.filter(category=GatewayCategory.DPA2018_SCH1),
        required=False, label=_("DPA 2018 Schedule 1 condition"), empty_label=_("Choose a condition"),
        help_text=glossary_hint("", "schedule-1"),
        error_messages=_required(_("Select a Schedule 1 condition from the list")),
    )
    art6_basis = PlainBasisField(
        queryset=LegalGateway.objects.filter(category=GatewayCategory.ART6), required=False,
        label=_("UK GDPR Article 6 lawful basis"), empty_label=_("Choose a lawful basis"),
        help_text=glossary_hint("", "article-6"),
        error_messages=_required(_("Select a lawful basis from the list")),
    )
    art6_departure_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), max_length=2000,
        label=_("If the agreement does not cite this basis, why do you rely on it?"),
        help_text=_("The agreement's governance managers are told."),
        error_messages={"max_length": _("The reason must be 2,000 characters or fewer")},
    )
    law_enforcement_basis = ModelChoiceField(
        queryset=LegalGateway.objects.filter(category=GatewayCategory.DPA2018_PART3, status=GatewayStatus.CURRENT),
        required=False, label=_("DPA 2018 Part 3 basis (law enforcement)"),
        empty_label=_("Not law-enforcement sharing"),
        help_text=glossary_hint(
            "Police, probation and other competent authorities sharing for a law-enforcement purpose: "
            "choose this instead of an Article 6 basis. With special category data, choose the condition "
            "for sensitive processing (section 35(5) and Schedule 8): no Article 9 or Schedule 1 condition "
            "is needed.", "part-3"),
        error_messages=_required(_("Select a Part 3 basis from the list")),
    )
    gateways = ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, required=False, label=_("Legal gateways"),
        help_text=glossary_hint(_("The law the agreement relies on that allowed this. Select all that apply."),
                                "legal-gateway"),
        error_messages={"invalid_choice": _("Select legal gateways from the list"),
                        "invalid_pk_value": _("Select legal gateways from the list")},
    )

    @property
    def special_categories_open(self) -> bool:
        return bool(self["has_special_categories"].value() or self["special_categories"].value())

    def legal_basis_answers(self, cleaned: dict) -> dict:
        """The legal-basis answers as ``disclosure_log`` takes them, from the reveals that apply."""
        special = cleaned.get("special_categories") or []
        criminal = cleaned.get("criminal_offence_data", False)
        return {
            "special_categories": special,
            "art9_conditions": [*(cleaned.get("art9_conditions") or []), *(cleaned.get("schedule1_conditions") or [])]
            if special else [],
            "art6_departure_reason": cleaned.get("art6_departure_reason", ""),
            "criminal_offence_data": criminal,
            "criminal_offence_condition": cleaned.get("criminal_offence_condition") if criminal else None,
            "gateways": list(cleaned.get("gateways") or []),
        }
