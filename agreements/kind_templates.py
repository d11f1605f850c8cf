"""A template per kind of agreement (issue 17 item 3, decision 0065): the sections, each a heading
and guidance text for the drafter to replace, that "Start from a template" gives a new agreement.

The labels, hints and headings are marked for translation (decision 0058): the labels and hints
are read in the reader's language on the start page; the headings are copied in the language of
the agreement's text (``Agreement.language``; English when it is started), and the guidance, which
the drafter replaces, stays English.

Templates are data, not views: a dict of plain constants that ``services.drafting.agreement_start``
copies into ``Section`` rows. The information sharing protocol's template follows the sections of
WASPI's Information Sharing Protocol (introduction, partners, obligations, powers, information
shared, data subjects' rights, security, review, information reference table).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Kind


@dataclass(frozen=True)
class Template:
    key: str
    label: str | Promise
    kind: str
    sections: tuple[tuple[str, str | Promise, str], ...]  # (number, heading, guidance)
    hint: str | Promise = ""


GUIDANCE = "Guidance: "

WASPI_ISP = Template(
    key="waspi_isp", kind=Kind.AGREEMENT,
    label=_("Information sharing protocol (WASPI sections)"),
    hint=_("The sections Welsh partners expect, from WASPI's Information Sharing Protocol."),
    sections=(
        ("1", _("Introduction"),
         GUIDANCE + "Say what the protocol is for, the service it supports and the "
         "partners' shared aim. Name the framework or accord it sits under."),
        ("2", _("Partner organisations"),
         GUIDANCE + "List each partner organisation and its role in the "
         "service. Say who leads and who may join later."),
        ("3", _("Obligations of the partners"),
         GUIDANCE + "What every partner commits to: sharing only "
         "what is needed, keeping information accurate, training staff, and telling the others of a breach."),
        ("4", _("Legal powers and bases"),
         GUIDANCE + "The statutory powers each partner relies on to share, "
         "and the UK GDPR Article 6 (and Article 9 or 10) conditions."),
        ("5", _("Information to be shared"),
         GUIDANCE + "The personal information shared, who shares it with "
         "whom, how often and at what level of detail."),
        ("6", _("Data subjects' rights"),
         GUIDANCE + "How people are told about the sharing, and how each "
         "partner answers requests to see, correct or object to the information."),
        ("7", _("Security"),
         GUIDANCE + "How information is sent, stored and destroyed, and who may see it."),
        ("8", _("Review"),
         GUIDANCE + "When and by whom the protocol is reviewed, and what triggers an early review."),
        ("Appendix 1", _("Information reference table"),
         GUIDANCE + "One row per flow: the information, the "
         "partner providing it, the partner receiving it, the purpose, the legal basis and how it is sent."),
    ),
)

JOINT_CONTROLLER = Template(
    key="joint_controller", kind=Kind.JOINT_CONTROLLER,
    label=_("Joint controller arrangement (UK GDPR Article 26)"),
    hint=_("Record the essence of the arrangement too: it is shown to data subjects."),
    sections=(
        ("1", _("Introduction and the joint purposes"),
         GUIDANCE + "The processing the parties decide on "
         "together: its purposes and means."),
        ("2", _("The joint controllers"),
         GUIDANCE + "Each controller and its part in the processing."),
        ("3", _("Respective responsibilities"),
         GUIDANCE + "Who does what to comply with UK GDPR: transparency, "
         "accuracy, security, retention."),
        ("4", _("Data subjects' rights"),
         GUIDANCE + "Which controller answers which rights, and the contact "
         "point for data subjects. People may exercise their rights against any controller (Article 26(3))."),
        ("5", _("Personal data breaches"),
         GUIDANCE + "Who notifies the ICO within 72 hours and who tells the "
         "people affected."),
        ("6", _("Making the essence available"),
         GUIDANCE + "How the essence of this arrangement is made "
         "available to data subjects (Article 26(2))."),
        ("7", _("Review and ending"),
         GUIDANCE + "When the arrangement is reviewed and how it ends."),
    ),
)

PROCESSING_CONTRACT = Template(
    key="processing_contract", kind=Kind.PROCESSING_CONTRACT,
    label=_("Processing contract (UK GDPR Article 28)"),
    hint=_("Mark each Article 28(3) term present and approve each sub-processor before it goes for signature."),
    sections=(
        ("1", _("Subject matter and duration"),
         GUIDANCE + "What the processor does for the controller, and for how long."),
        ("2", _("Nature and purpose of the processing"),
         GUIDANCE + "The processing operations and why."),
        ("3", _("Types of personal data and categories of data subjects"),
         GUIDANCE + "Whose data and what data."),
        ("4", _("The controller's instructions"),
         GUIDANCE + "Documented instructions, including on transfers abroad."),
        ("5", _("Confidentiality and security"),
         GUIDANCE + "Confidentiality of staff and the Article 32 measures."),
        ("6", _("Sub-processors"),
         GUIDANCE + "The controller's authorisation of sub-processors and the terms passed down."),
        ("7", _("Assistance to the controller"),
         GUIDANCE + "Help with data subjects' rights, breaches and DPIAs."),
        ("8", _("End of the processing"),
         GUIDANCE + "Deleting or returning the data at the end."),
        ("9", _("Audits and information"),
         GUIDANCE + "Information and inspections the controller may have."),
    ),
)

DATA_DISCLOSURE = Template(
    key="data_disclosure", kind=Kind.DATA_DISCLOSURE,
    label=_("Data disclosure agreement"),
    hint=_("A one-off or one-way disclosure from one discloser to one recipient."),
    sections=(
        ("1", _("The disclosure"),
         GUIDANCE + "What is disclosed, once or in a bounded set of disclosures, and when."),
        ("2", _("The discloser and the recipient"),
         GUIDANCE + "Who discloses and who receives."),
        ("3", _("Purpose and legal basis"),
         GUIDANCE + "Why the recipient needs it and the law that allows the disclosure."),
        ("4", _("Conditions of use"),
         GUIDANCE + "What the recipient may and may not do with it, onward sharing included."),
        ("5", _("Security of the transfer"),
         GUIDANCE + "How the data is sent and protected."),
        ("6", _("Retention and destruction"),
         GUIDANCE + "How long the recipient keeps it and how it is destroyed."),
    ),
)

TEMPLATES: dict[str, Template] = {
    template.key: template for template in (WASPI_ISP, JOINT_CONTROLLER, PROCESSING_CONTRACT, DATA_DISCLOSURE)
}
TEMPLATE_CHOICES = [(template.key, template.label) for template in TEMPLATES.values()]
