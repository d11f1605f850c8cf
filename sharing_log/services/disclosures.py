"""Writes for the sharing log: logging an entry (its legal basis is ``legal_basis``; acknowledging
its receipt is ``acknowledgements``).

Every service is keyword-only, atomic and validated. The rules of DOMAIN.md (rules 1–3) are
checked here, all of them on every call, and every problem found is raised at once in one
``ValidationError`` keyed by field, worded to be shown to the person logging as it is. The
database constraints on ``Disclosure`` hold the same rules as a backstop; they never speak to
users. Nothing is saved when anything is wrong.

The log is append-only: no service here updates or deletes an entry. A receipt is an
``Acknowledgement``; amending or voiding an entry is ``sharing_log.services.amendments``.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Agreement,
    ContactRole,
    LegalGateway,
    ProtectiveMarking,
    Purpose,
)
from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation
from partners.services import notification_send

from .. import privacy
from ..models.disclosures import (
    ConsentStatus,
    DataCategory,
    Decision,
    Disclosure,
    FactOrOpinion,
    SpecialCategory,
    SubjectInformed,
)
from ..models.ledger import LogEventKind
from ..models.onward import OnwardDecision, OnwardDisclosureRequest
from ..selectors.amendments import void_of
from .decision_record import decision_record_problems
from .ledger import log_event_append
from .legal_basis import art6_departure_problems, departure_notice_send, lawful_basis_problems, part3_entry
from .overrides import authorised_by_text, designated_manager_problems, override_authorisation_request
from .party_rules import parties_on, party_problems
from .retention_dates import disclosure_retention_on_logging
from .staleness import stale_problems


class Problems(defaultdict):
    """Field name → messages; raised together as one ``ValidationError``."""

    def __init__(self):
        super().__init__(list)

    def add(self, field: str, message: str) -> None:
        self[field].append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def case_reference_problem(case_reference: str) -> str | None:
    """Why ``case_reference`` may not be kept, or ``None``: it must be pseudonymous."""
    if not case_reference.strip():
        return "Enter the case reference."
    kinds = privacy.identifier_kinds(case_reference)
    if kinds:
        return (
            f"The case reference must not identify anyone, and this looks like it holds "
            f"{privacy.describe(kinds)}. Enter your organisation's pseudonymous case reference instead."
        )
    return None


def summary_warning(summary: str) -> str | None:
    """What to tell the person logging when ``summary`` appears to hold identifiers."""
    kinds = privacy.identifier_kinds(summary)
    if not kinds:
        return None
    return (
        f"The summary may identify someone: it looks like it holds {privacy.describe(kinds)}. "
        "Take out anything that identifies a person, or tick the box to confirm it holds nothing identifying."
    )


def reason_problems(problems: Problems, *, decision: str, decision_reason: str, consent_status: str,
                     consent_reason: str, confidentiality_breached: bool, designated_manager,
                     subject_informed: str, subject_not_informed_reason: str) -> None:
    """DOMAIN.md rule 2: the reasons and authorisations decisions need (002 §4.6–4.7). Needs
    nothing from the database, like ``lawful_basis_problems``; whether ``designated_manager`` is
    one of the disclosing party's is ``designated_manager_problems``."""
    if decision == Decision.NOT_SHARED and not decision_reason.strip():
        problems.add("decision_reason", "Give the reason for deciding not to share.")
    if decision == Decision.REQUEST_REFUSED and not decision_reason.strip():
        problems.add("decision_reason", "Give the reason the request was refused.")
    if consent_status == ConsentStatus.NOT_SOUGHT and not consent_reason.strip():
        problems.add("consent_reason", "Give the reason consent was not sought.")
    if consent_status == ConsentStatus.REFUSED_OVERRIDDEN and not consent_reason.strip():
        problems.add("consent_reason", "Give the reason for overriding the refusal of consent.")
    if designated_manager is None:
        if consent_status == ConsentStatus.REFUSED_OVERRIDDEN:
            problems.add(
                "designated_manager",
                "Choose the designated manager who authorised overriding the refusal of consent.",
            )
        elif confidentiality_breached:
            problems.add(
                "designated_manager",
                "Choose the designated manager who authorised sharing confidential information without consent.",
            )
    if subject_informed == SubjectInformed.NO and not subject_not_informed_reason.strip():
        problems.add("subject_not_informed_reason", "Give the reason the person was not told.")


def shared_answer_problems(problems: Problems, *, decision: str, data_level: str, consent_status: str,
                           subject_informed: str) -> None:
    """How much was shared, the consent position and whether the person was told are asked of a
    share; a decision not to share may leave them blank (decision 0040)."""
    if decision != Decision.SHARED:
        return
    for name, value, message in (
        ("data_level", data_level, "Select how much was shared."),
        ("consent_status", consent_status, "Select the consent position."),
        ("subject_informed", subject_informed, "Select whether the person was told."),
    ):
        if not value:
            problems.add(name, message)


@transaction.atomic
def disclosure_log(
    *,
    by_user,
    organisation: Organisation,
    agreement: Agreement,
    recipient_organisation: Organisation,
    occurred_at: datetime.datetime,
    decision: str,
    case_reference: str,
    subject_type: str,
    data_level: str,
    purpose: Purpose,
    consent_status: str,
    subject_informed: str,
    decision_reason: str = "",
    data_categories: Sequence[str] = (),
    special_categories: Sequence[str] = (),
    criminal_offence_data: bool = False,
    art6_basis: LegalGateway | None = None,
    art9_conditions: Sequence[LegalGateway] = (),
    criminal_offence_condition: LegalGateway | None = None,
    law_enforcement_basis: LegalGateway | None = None,
    art6_departure_reason: str = "",
    gateways: Sequence[LegalGateway] = (),
    consent_reason: str = "",
    confidentiality_breached: bool = False,
    designated_manager: Contact | None = None,
    subject_not_informed_reason: str = "",
    fact_or_opinion: str = FactOrOpinion.FACT,
    transfer_method: str = "",
    protective_marking: str = ProtectiveMarking.OFFICIAL_SENSITIVE,
    recipient_name: str = "",
    recipient_job_title: str = "",
    recipient_contact: str = "",
    summary: str = "",
    can_i_share_answers: dict | None = None,
    summary_checked: bool = False,
    received_disclosure: Disclosure | None = None,
    request_received_on: datetime.date | None = None,
    necessity_reason: str = "",
    can_i_share_outcome: str = "",
    against_advice_reason: str = "",
    late_logging_reason: str = "",
    subject_told_by: datetime.date | None = None,
) -> Disclosure:
    """Log a disclosure ``organisation`` made under ``agreement`` — or its decision not to share.

    Checks every rule of DOMAIN.md rules 1–2 and the log's privacy rules, and raises one
    ``ValidationError`` with every problem found; saves nothing then. ``summary_checked`` is the
    person's confirmation that a summary which looks as if it holds identifiers holds none:
    without it such a summary is refused, because once logged it cannot be taken back (the log
    is append-only). When information was shared, the recipient organisation's SPOCs for the
    agreement are told, so they can acknowledge receipt.

    ``received_disclosure`` is the entry under which ``organisation`` received the information it
    now passes on. Sharing it with a third party needs the originating organisation's consent
    (001 §5.7; DOMAIN.md rule 3): a granted onward request, which the new entry links to. The
    record of the decision (the ICO's code) is checked too: ``decision_record``.

    The entry returned carries ``recipient_party``: the recipient's party to the agreement as the
    checks read it (with its signature status), or ``None``, for the page's warnings
    (``staleness.logged_warnings``) to use rather than read it again.
    """
    problems = Problems()
    told_by = subject_told_by if subject_informed == SubjectInformed.NOT_YET else None
    decision_record_problems(
        problems, decision=decision, occurred_at=occurred_at, now=timezone.now(),
        request_received_on=request_received_on, necessity_reason=necessity_reason, summary=summary,
        data_categories=data_categories, can_i_share_outcome=can_i_share_outcome,
        against_advice_reason=against_advice_reason, late_logging_reason=late_logging_reason,
        subject_informed=subject_informed, subject_told_by=told_by,
    )
    future = occurred_at > timezone.now()
    if future:
        problems.add("occurred_at", "The date and time it happened must be now or in the past.")
    # A day still to come is a mistake of its own: the agreement, the parties and the review are
    # checked as they stand today, not as they would on that day (a review "overdue since" a date
    # next year is not overdue).
    day = timezone.localdate() if future else timezone.localdate(occurred_at)

    agreement_in_force, parties = parties_on(agreement=agreement, organisations=[organisation, recipient_organisation],
                                             day=day)
    if not agreement_in_force:
        problems.add(
            "agreement",
            f"{agreement} was not in force on {long_date(day)}. Choose an agreement that was in force on the day.",
        )
    party_problems(problems, agreement=agreement, by_user=by_user, organisation=organisation,
                   recipient_organisation=recipient_organisation, day=day, parties=parties)
    recipient_party = parties.get(recipient_organisation.pk)
    stale_problems(problems, agreement=agreement, recipient_organisation=recipient_organisation, day=day,
                   decision=decision, party=recipient_party)
    if purpose.agreement_id != agreement.pk:
        problems.add("purpose", f"Choose one of the purposes of {agreement}.")

    lawful_basis_problems(
        problems, decision=decision, organisation=organisation, special_categories=special_categories,
        criminal_offence_data=criminal_offence_data, art6_basis=art6_basis, art9_conditions=art9_conditions,
        criminal_offence_condition=criminal_offence_condition, consent_status=consent_status,
        law_enforcement_basis=law_enforcement_basis,
    )
    departs = art6_departure_problems(
        problems, decision=decision, agreement=agreement, art6_basis=art6_basis,
        art6_departure_reason=art6_departure_reason,
    )
    shared_answer_problems(problems, decision=decision, data_level=data_level, consent_status=consent_status,
                           subject_informed=subject_informed)
    reason_problems(
        problems, decision=decision, decision_reason=decision_reason, consent_status=consent_status,
        consent_reason=consent_reason, confidentiality_breached=confidentiality_breached,
        designated_manager=designated_manager, subject_informed=subject_informed,
        subject_not_informed_reason=subject_not_informed_reason,
    )
    overridden = consent_status == ConsentStatus.REFUSED_OVERRIDDEN or confidentiality_breached
    if not overridden:
        designated_manager = None
    designated_manager_problems(problems, agreement=agreement, organisation=organisation,
                                designated_manager=designated_manager, overridden=overridden)

    relied_on = {gateway.pk for gateway in agreement.gateways.all()}
    stray = [gateway for gateway in gateways if gateway.pk not in relied_on]
    if stray:
        names = ", ".join(str(gateway) for gateway in stray)
        problems.add("gateways", f"Choose legal gateways {agreement} relies on: {names} is not one of them.")
    for gateway in gateways:
        if not gateway.is_current:
            replaced = f" It is replaced by {gateway.replaced_by}." if gateway.replaced_by_id else ""
            problems.add(
                "gateways",
                f"{gateway} has been {gateway.get_status_display().lower()}: it cannot be a legal gateway for a "
                f"disclosure made now.{replaced} Cite the law in force.",
            )
    if transfer_method and agreement.transfer_methods and transfer_method not in agreement.transfer_methods:
        problems.add("transfer_method", f"Choose a transfer method {agreement} permits.")
    if set(data_categories) - set(DataCategory.values):
        problems.add("data_categories", "Choose data categories from the list.")
    if set(special_categories) - set(SpecialCategory.values):
        problems.add("special_categories", "Choose special categories from the list.")

    problem = case_reference_problem(case_reference)
    if problem:
        problems.add("case_reference", problem)
    warning = summary_warning(summary)
    if warning and not summary_checked:
        problems.add("summary_checked", warning)
    # Under DPA 2018 Part 3 alone, UK GDPR Article 9 and 10 conditions do not apply: none is kept.
    part3 = decision == Decision.SHARED and part3_entry(law_enforcement_basis, art6_basis)
    onward_request = None
    if received_disclosure is not None:
        onward_request = _onward_consent(
            problems, received=received_disclosure, organisation=organisation,
            recipient_organisation=recipient_organisation, decision=decision, occurred_at=occurred_at,
        )

    disclosure = Disclosure(
        agreement=agreement, disclosing_organisation=organisation, disclosed_by=by_user,
        recipient_organisation=recipient_organisation, recipient_name=recipient_name.strip(),
        recipient_job_title=recipient_job_title.strip(), recipient_contact=recipient_contact.strip(),
        occurred_at=occurred_at, decision=decision, decision_reason=decision_reason.strip(),
        case_reference=case_reference.strip(), subject_type=subject_type, data_level=data_level,
        data_categories=list(dict.fromkeys(data_categories)),
        special_categories=list(dict.fromkeys(special_categories)),
        # Nothing was sent under a decision not to share: no lawful basis for it, and no way it went
        # (the log form sends its defaults, hidden, whatever was decided).
        criminal_offence_data=criminal_offence_data, purpose=purpose,
        art6_basis=art6_basis if decision == Decision.SHARED else None,
        criminal_offence_condition=criminal_offence_condition if criminal_offence_data and not part3 else None,
        law_enforcement_basis=law_enforcement_basis if decision == Decision.SHARED else None,
        art6_departure_reason=art6_departure_reason.strip() if departs else "",
        consent_status=consent_status, consent_reason=consent_reason.strip(),
        confidentiality_breached=confidentiality_breached, authorised_by=authorised_by_text(designated_manager),
        subject_informed=subject_informed, subject_not_informed_reason=subject_not_informed_reason.strip(),
        fact_or_opinion=fact_or_opinion, transfer_method=transfer_method if decision == Decision.SHARED else "",
        protective_marking=protective_marking,
        summary=summary.strip(), summary_checked=summary_checked, can_i_share_answers=can_i_share_answers or {},
        onward_request=onward_request, request_received_on=request_received_on,
        necessity_reason=necessity_reason.strip() if decision == Decision.SHARED else "",
        can_i_share_outcome=can_i_share_outcome,
        against_advice_reason=against_advice_reason.strip() if decision == Decision.SHARED else "",
        late_logging_reason=late_logging_reason.strip(), subject_told_by=told_by,
    )
    try:
        # The related rows are the objects the checks above were given, read already: a
        # foreign key's own check would only ask the database again whether each exists.
        disclosure.full_clean(validate_constraints=False, exclude=_RELATED)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field not in problems:
                problems[field].extend(messages)
    problems.raise_if_any()
    # One history row for the entry, written once its gateways and conditions are set: not one
    # on saving and another on each of them (``EntryHistory``).
    disclosure.skip_history_when_saving = True
    _insert(disclosure)
    disclosure._logging = True  # the one moment its gateways may be set (sharing_log.guards)
    # A new entry has none yet: add, without ``set``'s read of what is there.
    conditions = list(dict.fromkeys(art9_conditions)) if special_categories and not part3 else []
    if gateways:
        disclosure.gateways.add(*gateways)
    if conditions:
        disclosure.art9_conditions.add(*conditions)
    del disclosure._logging
    del disclosure.skip_history_when_saving
    Disclosure.history_records.logged(disclosure, unset=[name for name, given in (
        ("gateways", gateways), ("art9_conditions", conditions)) if not given])
    log_event_append(kind=LogEventKind.LOGGED, record=disclosure)
    disclosure_retention_on_logging(entry=disclosure, by_user=by_user)
    if designated_manager is not None:
        override_authorisation_request(disclosure=disclosure, designated_manager=designated_manager, by_user=by_user)
    if decision == Decision.SHARED:
        _tell_recipient(disclosure)
    if disclosure.art6_departure_reason:
        departure_notice_send(disclosure)
    disclosure.recipient_party = recipient_party
    return disclosure


_RELATED = [field.name for field in Disclosure._meta.concrete_fields if field.is_relation]


def _insert(disclosure: Disclosure) -> None:
    """Save the new entry. The database's constraints hold the rules above as a backstop; a gap
    in the rules shows as a validation error naming the constraint, not as a server error. Asked
    by the insert itself rather than beforehand (``validate_constraints`` asks the database once
    a constraint: seven queries and their savepoints on every entry logged; issue 15)."""
    try:
        with transaction.atomic():
            disclosure.save()
    except IntegrityError as error:
        broken = next((constraint.name for constraint in Disclosure._meta.constraints
                       if constraint.name in str(error)), None)
        if broken is None:
            raise
        raise ValidationError({NON_FIELD_ERRORS: [f"Constraint “{broken}” is violated."]}) from error


def _onward_consent(problems: Problems, *, received: Disclosure, organisation: Organisation,
                    recipient_organisation: Organisation, decision: str,
                    occurred_at: datetime.datetime) -> OnwardDisclosureRequest | None:
    """DOMAIN.md rule 3 (001 §5.7): passing on information ``organisation`` received under
    ``received`` to a third party needs the originating organisation's written consent. Returns
    the granted request the new entry links to, or ``None`` when none is needed (a decision not
    to share, or information going back to the organisation that shared it)."""
    if received.recipient_organisation_id != organisation.pk or received.decision != Decision.SHARED:
        problems.add("received_disclosure",
                     f"Choose an entry of information shared with {organisation}: it is the one passing it on.")
        return None
    if decision != Decision.SHARED or recipient_organisation.pk in (
        received.disclosing_organisation_id, received.recipient_organisation_id,
    ):
        return None
    originator = received.disclosing_organisation
    requests = OnwardDisclosureRequest.objects.filter(disclosure=received).filter(
        Q(third_party_organisation=recipient_organisation)
        | Q(third_party_organisation__isnull=True, third_party__iexact=recipient_organisation.name)
    ).select_related("decided_by").order_by("-requested_at", "-pk")
    granted = requests.filter(decision=OnwardDecision.GRANTED).first()
    if granted is not None:
        # To the minute, as the log form takes the time.
        if granted.decided_at.replace(second=0, microsecond=0) > occurred_at:
            problems.add(
                "occurred_at",
                f"{originator} gave consent to pass this information on to {recipient_organisation} on "
                f"{long_date(timezone.localdate(granted.decided_at))}: it cannot have been passed on before then.",
            )
        return granted
    refused = requests.filter(decision=OnwardDecision.REFUSED).first()
    if refused is not None:
        problems.add(
            "recipient_organisation",
            f"{originator} refused consent to pass this information on to {recipient_organisation} on "
            f"{long_date(timezone.localdate(refused.decided_at))}. Their reason: “{refused.decision_reason}” "
            "Do not pass it on.",
        )
    elif requests.filter(decision=OnwardDecision.PENDING).exists():
        problems.add(
            "recipient_organisation",
            f"Your request to pass this information on to {recipient_organisation} is awaiting "
            f"{originator}'s decision: you may pass it on only once consent is given.",
        )
    else:
        problems.add(
            "recipient_organisation",
            f"{originator} shared this information with {organisation}: ask its consent to pass it on to "
            f"{recipient_organisation} first, with “Ask to pass this on” on the entry's page.",
        )
    return None


def _tell_recipient(disclosure: Disclosure) -> None:
    """The recipient's SPOCs for the agreement hear that something was logged to them, so they
    can check it arrived and acknowledge it (003 Q21). The message carries no case detail."""
    spocs = Contact.objects.filter(
        party_roles__party__agreement=disclosure.agreement,
        party_roles__party__organisation=disclosure.recipient_organisation,
        party_roles__role=ContactRole.SPOC,
    ).distinct()
    if not spocs:
        return
    day = long_date(timezone.localdate(disclosure.occurred_at))
    notification_send(
        contacts=list(spocs),
        subject=f"{disclosure.disclosing_organisation} shared information with you",
        body=(
            f"{disclosure.disclosing_organisation} has logged information it shared with "
            f"{disclosure.recipient_organisation} on {day} under {disclosure.agreement}.\n\n"
            "Please check it has arrived and acknowledge receipt in your sharing log inbox today. "
            "If it has not arrived, contact the sender's single point of contact."
        ),
        url=reverse("sharing_log:inbox"),
        event_key=f"disclosure-{disclosure.pk}-logged",
    )


def _refuse_if_voided(disclosure: Disclosure, doing: str) -> None:
    void = void_of(disclosure)
    if void is not None:
        raise ValidationError(
            {NON_FIELD_ERRORS: [f"This entry was voided on {long_date(timezone.localdate(void.made_at))}: "
                                f"it cannot be {doing}."]}
        )
