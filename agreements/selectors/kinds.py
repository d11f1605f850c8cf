"""Reads of what a kind of agreement records beyond its sections (decision 0065)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Agreement, Article28Term, Kind, KindTerms

# The kinds with terms of their own, and the title of the task that records them.
KIND_TASK_TITLE = {
    Kind.JOINT_CONTROLLER: gettext_lazy("Essence of the arrangement"),
    Kind.PROCESSING_CONTRACT: gettext_lazy("Article 28 terms"),
    Kind.DATA_DISCLOSURE: gettext_lazy("Discloser and recipient"),
}


def kind_terms_of(agreement: Agreement) -> KindTerms:
    """The agreement's kind terms; an unsaved empty row if it has none yet (a read never writes)."""
    try:
        return agreement.kind_terms
    except KindTerms.DoesNotExist:
        return KindTerms(agreement=agreement)


def kind_problems(agreement: Agreement) -> list[str]:
    """What ``agreement``'s kind still lacks before it can go out for signature."""
    terms = kind_terms_of(agreement)
    if agreement.kind == Kind.JOINT_CONTROLLER:
        missing = [label for value, label in (
            (terms.rights_allocation, _("which party answers which data subject rights")),
            (terms.contact_point, _("the contact point for data subjects")),
            (terms.ico_breach_notifier, _("who notifies a breach to the ICO")),
            (terms.subject_breach_notifier, _("who tells the people affected by a breach")),
        ) if not value.strip()]
        if missing:
            return [_("complete the essence of the arrangement (Article 26): %(missing)s") % {
                "missing": ", ".join(missing)}]
    elif agreement.kind == Kind.PROCESSING_CONTRACT:
        problems = []
        if not (terms.controller.strip() and terms.processor.strip()):
            problems.append(_("name the controller and the processor"))
        if terms.missing_article_28_terms:
            problems.append(_("mark every Article 28(3) term present: %(terms)s") % {
                "terms": "; ".join(terms.missing_article_28_terms)})
        unapproved = [sub.name for sub in agreement.sub_processors.all() if sub.active and not sub.approved]
        if unapproved:
            problems.append(_("record the controller's approval of every sub-processor: %(names)s") % {
                "names": ", ".join(unapproved)})
        return problems
    elif agreement.kind == Kind.DATA_DISCLOSURE:
        problems = []
        if terms.discloser_id is None or terms.recipient_id is None:
            problems.append(_("name the one discloser and the recipient"))
        if not terms.disclosures.strip():
            problems.append(_("describe the disclosure or the bounded set of disclosures"))
        return problems
    return []


def kind_content(agreement: Agreement) -> dict | None:
    """The kind terms as a version freezes them; None for the kinds that have none."""
    if agreement.kind not in KIND_TASK_TITLE:
        return None
    terms = kind_terms_of(agreement)
    if agreement.kind == Kind.JOINT_CONTROLLER:
        return {
            "rights_allocation": terms.rights_allocation, "contact_point": terms.contact_point,
            "ico_breach_notifier": terms.ico_breach_notifier,
            "subject_breach_notifier": terms.subject_breach_notifier,
        }
    if agreement.kind == Kind.PROCESSING_CONTRACT:
        return {
            "controller": terms.controller, "processor": terms.processor,
            "article_28_terms": [label for value, label in Article28Term.choices if value in terms.article_28_terms],
            "sub_processors": [
                {
                    "name": sub.name, "activity": sub.activity, "approved_by": sub.approved_by,
                    "approved_on": sub.approved_on.isoformat() if sub.approved_on else None,
                    "withdrawn_on": sub.withdrawn_on.isoformat() if sub.withdrawn_on else None,
                }
                for sub in agreement.sub_processors.all()
            ],
        }
    return {
        "discloser": terms.discloser.organisation.name if terms.discloser_id else None,
        "recipient": terms.recipient.organisation.name if terms.recipient_id else None,
        "disclosures": terms.disclosures,
    }
