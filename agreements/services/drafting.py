"""Writes for drafting an agreement: creating and starting one, and each task of the task list.

Every service that changes an agreement's substance ends with ``agreement_substance_changed``,
so a change to an agreement that has gone for signature makes a new version (or re-freezes an
unsigned one). Contact details never pass through here (001 §6.5).

Who may call these is the view's business (``agreements.permissions.can_manage``); what is
checked here is what must hold whoever calls: the owner is one the user manages for, a source
or parent agreement is one the user can see, repealed law is not newly cited, and an agreement
that has ended is not changed. Its moves from status to status are
``agreements.services.lifecycle``'s.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, TextChoices
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.models import Contact, Organisation, Role
from partners.permissions import user_has_role

from .. import permissions
from ..kind_templates import TEMPLATES
from ..models import (
    Agreement,
    DataItem,
    DocumentLanguage,
    Kind,
    KindTerms,
    LegalGateway,
    Party,
    PartyStatus,
    Purpose,
    Section,
    Status,
    SubProcessor,
)
from ..selectors.drafting import agreements_visible_to
from ..selectors.reviews import next_review_date
from ..signals import retention_rule_set
from .parties import party_add
from .versions import agreement_substance_changed


class StartMode(TextChoices):
    BLANK = "blank", _("Start with a blank agreement")
    CLONE = "clone", _("Copy an agreement you can see")
    TEMPLATE = "template", _("Start from a framework or general protocol")
    KIND_TEMPLATE = "kind_template", _("Start from a template")


# An agreement's text may change until it is superseded or ended.
EDITABLE_STATUSES = (
    Status.DRAFT, Status.CONSULTATION, Status.AWAITING_SIGNATURES, Status.IN_FORCE,
    Status.UNDER_REVIEW,
)
# Kinds another agreement may sit under, and be started from (002 §2.1; 001 App. 2).
TEMPLATE_KINDS = (Kind.FRAMEWORK, Kind.GENERAL_PROTOCOL)
# An agreement started from a general protocol supplements it: an individual protocol.
CHILD_KIND = {Kind.FRAMEWORK: Kind.AGREEMENT, Kind.GENERAL_PROTOCOL: Kind.INDIVIDUAL_PROTOCOL}


def is_editable(agreement: Agreement) -> bool:
    return agreement.status in EDITABLE_STATUSES


def _check_editable(agreement: Agreement) -> None:
    if not is_editable(agreement):
        raise ValidationError(
            f"This agreement is {agreement.get_status_display().lower()}, so it can no longer be changed."
        )


def _save(instance) -> None:
    instance.full_clean()
    instance.save()


# Creating ----------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(*, title: str, owner: Organisation, **fields) -> Agreement:
    """Create an agreement its owner's members may see and its governance managers manage.

    The owner is not made a party here: add it with ``party_add`` like any other.
    """
    gateways = fields.pop("gateways", [])
    drawn_up_by = fields.pop("drawn_up_by", [])
    agreement = Agreement(title=title, owner=owner, **fields)
    agreement.full_clean()
    agreement.save()
    agreement.gateways.set(gateways)
    agreement.drawn_up_by.set(drawn_up_by)
    permissions.grant_owner(agreement=agreement)
    return agreement


@transaction.atomic
def agreement_purposes_set(*, agreement: Agreement, purposes: list[str]) -> None:
    agreement.purposes.all().delete()
    for position, text in enumerate(purposes, start=1):
        purpose = Purpose(agreement=agreement, position=position, text=text)
        purpose.full_clean()
        purpose.save()


@transaction.atomic
def data_item_create(
    *, agreement: Agreement, provider_label: str, level: str, description: str,
    providers: list[Party] = (), special_category: bool = False, criminal_offence: bool = False,
) -> DataItem:
    position = agreement.data_items.count() + 1
    item = DataItem(
        agreement=agreement, position=position, provider_label=provider_label,
        level=level, description=description, special_category=special_category,
        criminal_offence=criminal_offence,
    )
    item.full_clean()
    item.save()
    item.providers.set(providers)
    return item


# Starting ----------------------------------------------------------------------------------


@transaction.atomic
def agreement_start(
    *, by_user, owner: Organisation, title: str, mode: str, source: Agreement | None = None,
    template: str = "",
) -> Agreement:
    """Start a draft owned by ``owner``: blank, a copy of ``source``, or under ``source``.

    - ``blank``: nothing but the title.
    - ``clone``: the purposes, sections, legal gateways, the texts of the data to be shared,
      and the transfer, consent, retention, review and breach settings of ``source``; its kind,
      parent and protective marking. Not its parties or signatures. The title defaults to
      "Copy of <source title>".
    - ``template``: ``source`` is a framework or general protocol; its purposes and sections are
      copied and the new agreement sits under it (an agreement under a framework, an individual
      protocol under a general protocol).

    - ``kind_template``: ``template`` names one of ``agreements.kind_templates.TEMPLATES``; the new
      agreement is of its kind, with its sections (headings and guidance text).

    The owner is made a party (invited) so that it can sign in its turn; the user, if they are
    in the directory at the owner, is recorded as having drawn it up.
    """
    title = (title or "").strip()
    if not user_has_role(by_user, Role.GOVERNANCE_MANAGER, organisation=owner):
        raise ValidationError({"owner": f"You are not a governance manager at {owner}."})
    if mode not in StartMode.values:
        raise ValidationError({"mode": "Select how you want to start the agreement."})
    if mode == StartMode.KIND_TEMPLATE:
        if template not in TEMPLATES:
            raise ValidationError({"template": gettext("Select the template to start from.")})
    elif mode != StartMode.BLANK:
        if source is None:
            raise ValidationError({"source": "Select the agreement to start from."})
        if not agreements_visible_to(by_user).filter(pk=source.pk).exists():
            raise ValidationError({"source": "Select an agreement you can see."})
    if mode == StartMode.TEMPLATE and source.kind not in TEMPLATE_KINDS:
        raise ValidationError({"source": f"{source.title} is not a framework or general protocol."})
    if mode == StartMode.CLONE:
        title = title or f"Copy of {source.title}"[:255]
    if not title:
        raise ValidationError({"title": "Enter the agreement's title."})

    fields = {}
    if mode == StartMode.CLONE:
        fields = {
            name: getattr(source, name) for name in (
                "kind", "parent", "protective_marking", "review_first_after_months",
                "review_every_months", "review_after_breach", "retention_months_after_closure",
                "retention_months_from_disclosure", "case_open_limit_months",
                "retention_rule", "consent_position", "breach_notify_working_days",
                "breach_notify_without_undue_delay", "breach_report_working_days", "breach_meeting_working_days",
                "breach_minutes_working_days", "jurisdiction",
            )
        }
        fields["transfer_methods"] = list(source.transfer_methods)
        fields["gateways"] = list(source.gateways.all())
    elif mode == StartMode.TEMPLATE:
        fields = {"kind": CHILD_KIND[source.kind], "parent": source}
    elif mode == StartMode.KIND_TEMPLATE:
        fields = {"kind": TEMPLATES[template].kind}
    contact = Contact.objects.filter(user=by_user, organisation=owner).first()
    if contact is not None:
        fields["drawn_up_by"] = [contact]

    agreement = agreement_create(title=title, owner=owner, **fields)
    if mode == StartMode.KIND_TEMPLATE:
        # The headings in the language of the agreement's text (decision 0058), not the reader's.
        with translation.override(DocumentLanguage(agreement.language).django_code):
            for position, (number, heading, guidance) in enumerate(TEMPLATES[template].sections, start=1):
                _save(Section(agreement=agreement, position=position, number=number, heading=str(heading),
                              body=guidance))
    elif mode != StartMode.BLANK:
        for purpose in source.purposes.all():
            _save(Purpose(agreement=agreement, position=purpose.position, text=purpose.text))
        for section in source.sections.all():
            _save(Section(
                agreement=agreement, position=section.position, number=section.number,
                heading=section.heading, body=section.body,
            ))
    if mode == StartMode.CLONE:
        _copy_kind_terms(source, agreement)
        for item in source.data_items.all():
            _save(DataItem(
                agreement=agreement, position=item.position, provider_label=item.provider_label,
                level=item.level, description=item.description,
                special_category=item.special_category, criminal_offence=item.criminal_offence,
            ))
    party_add(agreement=agreement, organisation=owner, status=PartyStatus.INVITED)
    return agreement


def _copy_kind_terms(source: Agreement, agreement: Agreement) -> None:
    """A copy keeps the kind's terms and sub-processors (decision 0065), but not the discloser and
    recipient, which are parties, and parties are not copied."""
    terms = KindTerms.objects.filter(agreement=source).first()
    if terms is not None:
        _save(KindTerms(
            agreement=agreement, rights_allocation=terms.rights_allocation, contact_point=terms.contact_point,
            ico_breach_notifier=terms.ico_breach_notifier, subject_breach_notifier=terms.subject_breach_notifier,
            controller=terms.controller, processor=terms.processor,
            article_28_terms=list(terms.article_28_terms), disclosures=terms.disclosures,
        ))
    for sub in source.sub_processors.all():
        _save(SubProcessor(
            agreement=agreement, name=sub.name, activity=sub.activity, approved_by=sub.approved_by,
            approved_on=sub.approved_on, withdrawn_on=sub.withdrawn_on,
        ))


# The tasks ---------------------------------------------------------------------------------


def _would_sit_under_itself(agreement: Agreement, parent: Agreement) -> bool:
    seen = set()
    while parent is not None and parent.pk not in seen:
        if parent.pk == agreement.pk:
            return True
        seen.add(parent.pk)
        parent = parent.parent
    return False


@transaction.atomic
def agreement_details_update(
    *, agreement: Agreement, by_user, title: str, reference: str, kind: str,
    parent: Agreement | None, protective_marking: str, drawn_up_by: list[Contact] = (),
    jurisdiction: str | None = None, language: str | None = None,
) -> Agreement:
    """Title, reference, kind, the framework it sits under, marking and who drew it up; the
    jurisdiction whose bank holidays its breach and request clocks skip, and the language its text
    is written in (``None`` keeps either)."""
    _check_editable(agreement)
    if parent is not None:
        if parent.kind not in TEMPLATE_KINDS:
            raise ValidationError({"parent": f"{parent.title} is not a framework or general protocol."})
        if not agreements_visible_to(by_user).filter(pk=parent.pk).exists():
            raise ValidationError({"parent": "Select a framework or general protocol you can see."})
        if _would_sit_under_itself(agreement, parent):
            raise ValidationError({"parent": "An agreement cannot sit under itself or under one of its own children."})
    strangers = [contact for contact in drawn_up_by if contact.organisation_id != agreement.owner_id]
    if strangers:
        raise ValidationError(
            {"drawn_up_by": f"{strangers[0].name} does not work for {agreement.owner}."}
        )
    agreement.title, agreement.reference, agreement.kind = title.strip(), reference.strip(), kind
    agreement.parent, agreement.protective_marking = parent, protective_marking
    if jurisdiction is not None:
        agreement.jurisdiction = jurisdiction
    if language is not None:
        agreement.language = language
    _save(agreement)
    agreement.drawn_up_by.set(drawn_up_by)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Details changed.")
    return agreement


@transaction.atomic
def agreement_purposes_update(*, agreement: Agreement, by_user, purposes: list[str]) -> Agreement:
    """Make the agreement's purposes ``purposes``, in that order.

    A purpose whose text is unchanged keeps its record, so disclosures already logged under it
    still name it; one that disclosures name cannot be removed.
    """
    _check_editable(agreement)
    existing = {purpose.text: purpose for purpose in agreement.purposes.all()}
    for position, text in enumerate(purposes, start=1):
        purpose = existing.pop(text, None) or Purpose(agreement=agreement, text=text)
        purpose.position = position
        _save(purpose)
    for text, purpose in existing.items():
        try:
            purpose.delete()
        except ProtectedError:
            raise ValidationError({
                "purposes": f"You cannot remove “{text}”: disclosures have been logged for that purpose.",
            }) from None
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Purposes changed.")
    return agreement


@transaction.atomic
def data_item_save(
    *, agreement: Agreement, by_user, provider_label: str, level: str, description: str,
    providers: list[Party] = (), item: DataItem | None = None, special_category: bool = False,
    criminal_offence: bool = False,
) -> DataItem:
    """Add a row to the data to be shared (001 §5.5), or change ``item``."""
    _check_editable(agreement)
    if item is not None and item.agreement_id != agreement.pk:
        raise ValidationError("That data item belongs to another agreement.")
    strangers = [party for party in providers if party.agreement_id != agreement.pk]
    if strangers:
        raise ValidationError({"providers": f"{strangers[0].organisation} is not a party to this agreement."})
    if item is None:
        last = agreement.data_items.order_by("-position").values_list("position", flat=True).first()
        item = DataItem(agreement=agreement, position=(last or 0) + 1)
    item.provider_label, item.level, item.description = provider_label.strip(), level, description.strip()
    item.special_category, item.criminal_offence = special_category, criminal_offence
    _save(item)
    item.providers.set(providers)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Data to be shared changed.")
    return item


@transaction.atomic
def data_item_remove(*, item: DataItem, by_user) -> None:
    agreement = item.agreement
    _check_editable(agreement)
    item.delete()
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Data to be shared changed.")


@transaction.atomic
def agreement_gateways_set(*, agreement: Agreement, by_user, gateways: list[LegalGateway]) -> Agreement:
    """The legal gateways the agreement relies on.

    A repealed or superseded provision may stay where the agreement already cites it (old
    agreements do, and the portal says so) but is never newly chosen.
    """
    _check_editable(agreement)
    already = set(agreement.gateways.values_list("pk", flat=True))
    for gateway in gateways:
        if not gateway.is_current and gateway.pk not in already:
            instead = f": cite {gateway.replaced_by} instead" if gateway.replaced_by_id else ""
            raise ValidationError({
                "gateways": f"{gateway} is {gateway.get_status_display().lower()}{instead}.",
            })
    agreement.gateways.set(gateways)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Legal gateways changed.")
    return agreement


@transaction.atomic
def agreement_transfer_update(
    *, agreement: Agreement, by_user, transfer_methods: list[str], consent_position: str,
) -> Agreement:
    """How partners may send information (001 §5.12), and the agreement's position on consent."""
    _check_editable(agreement)
    agreement.transfer_methods = list(transfer_methods)
    agreement.consent_position = consent_position.strip()
    _save(agreement)
    agreement_substance_changed(
        agreement=agreement, by_user=by_user, summary="Transfer and security changed.",
    )
    return agreement


@transaction.atomic
def agreement_breach_clocks_update(
    *, agreement: Agreement, by_user, notify_working_days: int | None, notify_without_undue_delay: bool,
    report_working_days: int | None, meeting_working_days: int | None, minutes_working_days: int | None,
) -> Agreement:
    """The agreement's own clocks after a breach, in working days, each ``None`` where it sets
    none (002 §6: 5, 10, 20, 5); or partners told "without undue delay" (004 App. B 1.3)."""
    _check_editable(agreement)
    if notify_without_undue_delay and notify_working_days is not None:
        raise ValidationError({"breach_notify_working_days": (
            "Leave the working days blank, or select “Within a number of working days”.")})
    agreement.breach_notify_working_days = notify_working_days
    agreement.breach_notify_without_undue_delay = notify_without_undue_delay
    agreement.breach_report_working_days = report_working_days
    agreement.breach_meeting_working_days = meeting_working_days
    agreement.breach_minutes_working_days = minutes_working_days
    _save(agreement)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Breach clocks changed.")
    return agreement


@transaction.atomic
def agreement_retention_update(
    *, agreement: Agreement, by_user, retention_months_after_closure: int | None = None,
    retention_months_from_disclosure: int | None = None, retention_rule: str = "",
    case_open_limit_months: int | None = None,
) -> Agreement:
    """The agreement's retention rule — records destroyed a number of months after the case is
    closed (001 §5.15: 18 months), or a fixed period from the disclosure — exactly one of them;
    and after how long a case still open is flagged. When the rule is set or changed, every
    entry under the agreement that has no retention due date gets the one the rule gives it
    (``signals.retention_rule_set``)."""
    _check_editable(agreement)
    if (retention_months_after_closure is None) == (retention_months_from_disclosure is None):
        raise ValidationError({"retention_basis": [
            "Choose one retention rule: a number of months after the case is closed, or a fixed period "
            "from the disclosure.",
        ]})
    rule_before = (agreement.retention_months_after_closure, agreement.retention_months_from_disclosure)
    agreement.retention_months_after_closure = retention_months_after_closure
    agreement.retention_months_from_disclosure = retention_months_from_disclosure
    if case_open_limit_months is not None:
        agreement.case_open_limit_months = case_open_limit_months
    agreement.retention_rule = retention_rule.strip()
    _save(agreement)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Retention changed.")
    if rule_before != (retention_months_after_closure, retention_months_from_disclosure):
        retention_rule_set.send(sender=Agreement, agreement=agreement, by_user=by_user)
    return agreement


@transaction.atomic
def agreement_review_update(
    *, agreement: Agreement, by_user, review_first_after_months: int, review_every_months: int,
    review_after_breach: bool, review_overdue_grace_days: int | None = None, resigning_grace_days: int | None = None,
) -> Agreement:
    """When the agreement is reviewed (002 §5.1; 001 §6.4), and the grace periods of a stale
    agreement (``agreements.selectors.staleness``): ``None`` keeps the current number."""
    _check_editable(agreement)
    problems = {
        name: f"{label} must be at least 1 month."
        for name, label, months in (
            ("review_first_after_months", "First review after", review_first_after_months),
            ("review_every_months", "Then a review every", review_every_months),
        ) if months < 1
    }
    if problems:
        raise ValidationError(problems)
    policy_changed = (agreement.review_first_after_months, agreement.review_every_months) != (
        review_first_after_months, review_every_months,
    )
    agreement.review_first_after_months = review_first_after_months
    agreement.review_every_months = review_every_months
    agreement.review_after_breach = review_after_breach
    if review_overdue_grace_days is not None:
        agreement.review_overdue_grace_days = review_overdue_grace_days
    if resigning_grace_days is not None:
        agreement.resigning_grace_days = resigning_grace_days
    if policy_changed and agreement.effective_date is not None:
        agreement.next_review_due = next_review_date(agreement)
    _save(agreement)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Review changed.")
    return agreement
