"""Writes for what a kind of agreement records beyond its sections (issue 17 item 3, decision 0065),
and the checks each kind must pass before it goes out for signature.

Like every drafting service, each change ends with ``agreement_substance_changed``: the essence of
a joint controller arrangement, the Article 28(3) terms and sub-processors of a processing contract
and the discloser and recipient of a data disclosure agreement are part of what is signed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Agreement, Article28Term, Kind, KindTerms, Party, SubProcessor
from ..selectors.kinds import kind_terms_of
from .drafting import _check_editable, _save
from .versions import agreement_substance_changed


def _check_kind(agreement: Agreement, kind: str) -> None:
    if agreement.kind != kind:
        raise ValidationError(_("This agreement is not a %(kind)s.") % {
            "kind": str(Kind(kind).label).split(" (")[0].lower()})


@transaction.atomic
def joint_controller_essence_update(
    *, agreement: Agreement, by_user, rights_allocation: str, contact_point: str,
    ico_breach_notifier: str, subject_breach_notifier: str,
) -> KindTerms:
    """The essence of a joint controller arrangement (UK GDPR Article 26(2))."""
    _check_editable(agreement)
    _check_kind(agreement, Kind.JOINT_CONTROLLER)
    terms = kind_terms_of(agreement)
    terms.rights_allocation, terms.contact_point = rights_allocation.strip(), contact_point.strip()
    terms.ico_breach_notifier = ico_breach_notifier.strip()
    terms.subject_breach_notifier = subject_breach_notifier.strip()
    _save(terms)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Essence of the arrangement changed.")
    return terms


@transaction.atomic
def processing_terms_update(
    *, agreement: Agreement, by_user, controller: str, processor: str, article_28_terms: list[str],
) -> KindTerms:
    """The controller, the processor and which Article 28(3) terms the contract contains."""
    _check_editable(agreement)
    _check_kind(agreement, Kind.PROCESSING_CONTRACT)
    unknown = [term for term in article_28_terms if term not in Article28Term.values]
    if unknown:
        raise ValidationError({"article_28_terms": _("Select terms from the list.")})
    terms = kind_terms_of(agreement)
    terms.controller, terms.processor = controller.strip(), processor.strip()
    terms.article_28_terms = [term for term in Article28Term.values if term in article_28_terms]
    _save(terms)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Article 28 terms changed.")
    return terms


@transaction.atomic
def disclosure_terms_update(
    *, agreement: Agreement, by_user, discloser: Party, recipient: Party, disclosures: str,
) -> KindTerms:
    """The one discloser, the recipient and the disclosures of a data disclosure agreement."""
    _check_editable(agreement)
    _check_kind(agreement, Kind.DATA_DISCLOSURE)
    for name, party in (("discloser", discloser), ("recipient", recipient)):
        if party.agreement_id != agreement.pk:
            raise ValidationError({name: _("%(organisation)s is not a party to this agreement.") % {
                "organisation": party.organisation}})
    if discloser.pk == recipient.pk:
        raise ValidationError({"recipient": _("The recipient must be a different party from the discloser.")})
    terms = kind_terms_of(agreement)
    terms.discloser, terms.recipient, terms.disclosures = discloser, recipient, disclosures.strip()
    _save(terms)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Discloser and recipient changed.")
    return terms


@transaction.atomic
def sub_processor_save(
    *, agreement: Agreement, by_user, name: str, activity: str, approved_by: str = "",
    approved_on: datetime.date | None = None, withdrawn_on: datetime.date | None = None,
    item: SubProcessor | None = None,
) -> SubProcessor:
    """Add a sub-processor to a processing contract, or change ``item``: its approval by the
    controller (who and when) and its withdrawal."""
    _check_editable(agreement)
    _check_kind(agreement, Kind.PROCESSING_CONTRACT)
    if item is not None and item.agreement_id != agreement.pk:
        raise ValidationError(_("That sub-processor belongs to another agreement."))
    approved_by = approved_by.strip()
    if bool(approved_by) != (approved_on is not None):
        field = "approved_on" if approved_by else "approved_by"
        raise ValidationError({field: _("Enter both who approved the sub-processor and when, or neither.")})
    if withdrawn_on is not None and approved_on is not None and withdrawn_on < approved_on:
        raise ValidationError(
            {"withdrawn_on": _("The date it was withdrawn must be on or after the date it was approved.")}
        )
    item = item or SubProcessor(agreement=agreement)
    item.name, item.activity = name.strip(), activity.strip()
    item.approved_by, item.approved_on, item.withdrawn_on = approved_by, approved_on, withdrawn_on
    _save(item)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Sub-processors changed.")
    return item
