"""Writes for breaches and near misses (002 §6): recording one and telling the other partners,
each partner's acknowledgement, the report, meeting and minutes, the ICO decision, the Article 34
decision on telling the people affected, and closing.

No due date is stored: the deadlines are computed when read (``selectors.breaches.breach_deadlines``).
Notices say what happened to which agreement and when, never what the data was: the portal
holds that, behind sign-in.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from govuk_blocks.dates import date_time, long_date
from partners.models import Organisation
from partners.services import notice_send, notification_send

from .. import permissions
from ..models import AFFECTED_DATED, AffectedPeopleDecision, Agreement, Breach, BreachKind, BreachNotification
from ..selectors.breaches import breach_party_event_key
from ..selectors.parties import governance_manager_contacts, partner_party, party_recipients


def _what(breach: Breach) -> str:
    return "near miss" if breach.is_near_miss else "breach"


def _check_open(breach: Breach) -> None:
    if breach.closed_on is not None:
        raise ValidationError({NON_FIELD_ERRORS: (
            f"This {_what(breach)} was closed on {long_date(breach.closed_on)}: "
            "it can no longer be changed"
        )})


def _date_problem(value: datetime.date | None, *, noun: str, breach: Breach, on: datetime.date) -> str | None:
    """Why ``value`` cannot be a date in the breach's story: in the future, or before its discovery."""
    if value is None:
        return None
    discovered_on = timezone.localdate(breach.discovered_at)
    if value > on:
        return f"{noun} must be today or in the past"
    if value < discovered_on:
        return f"{noun} must be on or after the day the breach was discovered, {long_date(discovered_on)}"
    return None


@transaction.atomic
def breach_record(
    *, agreement: Agreement, reporting_organisation: Organisation, kind: str,
    discovered_at: datetime.datetime, description: str, data_involved: str, personal_data_breach: bool,
    by_user, now: datetime.datetime | None = None,
) -> Breach:
    """Record a breach or near miss of ``agreement``, reported by ``reporting_organisation``,
    and tell every other party in force at once, in the portal and by e-mail (002 §6.1).

    Each party told gets a ``BreachNotification`` to acknowledge and its SPOCs a notice; the
    owner's governance managers, who call the partners' meeting, are told too when another
    organisation reports. ``by_user`` must act for the reporting organisation as its SPOC or
    governance manager, or manage the agreement (``permissions.can_record_breach_for``).
    A near miss is never a personal data breach: if personal data was lost, it was a breach.
    """
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if agreement.effective_date is None:
        errors["agreement"] = "Choose an agreement that has come into force: nothing is shared under one that has not"
    elif partner_party(agreement, reporting_organisation) is None and reporting_organisation != agreement.owner:
        errors["reporting_organisation"] = (
            f"{reporting_organisation} is not a party to {agreement.title}: choose one of its partners"
        )
    elif not permissions.can_record_breach_for(by_user, agreement, reporting_organisation):
        errors["reporting_organisation"] = (
            f"You cannot report a breach for {reporting_organisation}: choose your own organisation"
        )
    if discovered_at > now:
        errors["discovered_at"] = "The date and time it was discovered must be in the past"
    elif agreement.effective_date and timezone.localdate(discovered_at) < agreement.effective_date:
        errors["discovered_at"] = (
            "The date it was discovered must be on or after the day the agreement came into force, "
            f"{long_date(agreement.effective_date)}"
        )
    if not description.strip():
        errors["description"] = "Describe what happened"
    if not data_involved.strip():
        errors["data_involved"] = "Describe what data was involved"
    if kind == BreachKind.NEAR_MISS and personal_data_breach:
        errors["personal_data_breach"] = (
            "A near miss is not a personal data breach. If personal data was lost, disclosed or seen "
            "by someone who should not have seen it, record a breach"
        )
    if errors:
        raise ValidationError(errors)

    breach = Breach(
        agreement=agreement, reporting_organisation=reporting_organisation, kind=kind,
        discovered_at=discovered_at, description=description.strip(), data_involved=data_involved.strip(),
        personal_data_breach=personal_data_breach, recorded_by=by_user,
    )
    breach.full_clean()
    breach.save()
    _tell_partners(breach, now=now)
    return breach


def _tell_partners(breach: Breach, *, now: datetime.datetime) -> None:
    agreement, reporter = breach.agreement, breach.reporting_organisation
    what = _what(breach)
    subject = f"{what.capitalize()} under {agreement.title} reported by {reporter}"
    discovered = date_time(breach.discovered_at)
    url = breach.get_absolute_url()
    others = (
        agreement.parties.in_force(on=timezone.localdate(now)).exclude(organisation=reporter)
        .select_related("organisation")
    )
    for party in others:
        (organisation, people), = party_recipients([party])
        undelivered = notice_send(
            recipients=[(organisation, people)], responsible_organisation=agreement.owner,
            subject=subject,
            body=(
                f"{reporter} has reported a {what} under the information sharing agreement {agreement.quoted}, "
                f"discovered on {discovered}. You are told because you are {party.organisation}'s single "
                "point of contact (SPOC) for this agreement, and every partner is told of a breach.\n\n"
                f"Please read it in the portal and acknowledge it for {party.organisation}."
            ),
            url=url, event_key=breach_party_event_key(breach, party),
        )
        if not undelivered:
            # Only a party someone at which was told is on record as told.
            BreachNotification.objects.create(breach=breach, party=party, notified_at=now)
    if agreement.owner_id != reporter.pk:
        notification_send(
            contacts=governance_manager_contacts(agreement.owner),
            subject=subject,
            body=(
                f"{reporter} has reported a {what} under the information sharing agreement {agreement.quoted}, "
                f"which {agreement.owner} owns, discovered on {discovered}. The portal shows its deadlines: "
                "the report from the partner in breach, the partners' meeting and its minutes."
            ),
            url=url, event_key=f"breach-{breach.pk}-owner",
        )


@transaction.atomic
def breach_acknowledge(
    *, notification: BreachNotification, by_user, now: datetime.datetime | None = None,
) -> BreachNotification:
    """A party's SPOC acknowledges, for the party, that it has been told of the breach."""
    notification = BreachNotification.objects.select_for_update().select_related("party__organisation").get(
        pk=notification.pk,
    )
    organisation = notification.party.organisation
    if notification.acknowledged_at is not None:
        raise ValidationError({NON_FIELD_ERRORS: (
            f"{organisation} acknowledged this breach on {date_time(notification.acknowledged_at)}"
        )})
    if not permissions.can_acknowledge_breach(by_user, notification):
        raise ValidationError({NON_FIELD_ERRORS: f"Only {organisation}'s SPOC can acknowledge it for {organisation}"})
    notification.acknowledged_at = now or timezone.now()
    notification.acknowledged_by = by_user
    notification.full_clean()
    notification.save()
    return notification


@transaction.atomic
def breach_progress_update(
    *, breach: Breach, report_received_on: datetime.date | None, report_summary: str,
    meeting_held_on: datetime.date | None, minutes_circulated_on: datetime.date | None,
    actions: str, sanctions: str, on: datetime.date | None = None,
) -> Breach:
    """Record what has happened since: the report of the partner in breach (002 §6.2), the
    partners' meeting (§6.3) and its minutes (§6.6), and the actions and sanctions agreed."""
    _check_open(breach)
    on = on or timezone.localdate()
    errors: dict[str, str] = {}
    for field, value, noun in (
        ("report_received_on", report_received_on, "The date the report was received"),
        ("meeting_held_on", meeting_held_on, "The date of the meeting"),
        ("minutes_circulated_on", minutes_circulated_on, "The date the minutes were circulated"),
    ):
        problem = _date_problem(value, noun=noun, breach=breach, on=on)
        if problem:
            errors[field] = problem
    if minutes_circulated_on is not None and "minutes_circulated_on" not in errors:
        if meeting_held_on is None:
            errors["minutes_circulated_on"] = (
                "Enter the date of the meeting before the date its minutes were circulated"
            )
        elif minutes_circulated_on < meeting_held_on:
            errors["minutes_circulated_on"] = "The minutes cannot have been circulated before the meeting"
    if report_summary.strip() and report_received_on is None:
        errors.setdefault("report_received_on", "Enter the date the report was received")
    if errors:
        raise ValidationError(errors)

    breach.report_received_on, breach.report_summary = report_received_on, report_summary.strip()
    breach.meeting_held_on, breach.minutes_circulated_on = meeting_held_on, minutes_circulated_on
    breach.actions, breach.sanctions = actions.strip(), sanctions.strip()
    breach.full_clean()
    breach.save()
    return breach


@transaction.atomic
def breach_ico_record(
    *, breach: Breach, reported: bool, reported_at: datetime.datetime | None = None,
    not_reported_reason: str = "", now: datetime.datetime | None = None,
) -> Breach:
    """Record the decision on telling the ICO of a personal data breach (UK GDPR Art 33): when it
    was reported or, if it was not, why not — Art 33(5) wants the reasons documented."""
    _check_open(breach)
    if not breach.personal_data_breach:
        raise ValidationError({NON_FIELD_ERRORS: "Only a personal data breach is reported to the ICO"})
    now = now or timezone.now()
    if reported:
        if reported_at is None:
            raise ValidationError({"reported_at": "Enter the date and time it was reported to the ICO"})
        if reported_at > now:
            raise ValidationError({"reported_at": "The date and time it was reported must be in the past"})
        if reported_at < breach.discovered_at:
            raise ValidationError({"reported_at": (
                f"The time it was reported must be after the breach was discovered, {date_time(breach.discovered_at)}"
            )})
        breach.ico_reported_at, breach.ico_not_reported_reason = reported_at, ""
    else:
        if not not_reported_reason.strip():
            raise ValidationError({"not_reported_reason": "Explain why the breach is not being reported to the ICO"})
        breach.ico_reported_at, breach.ico_not_reported_reason = None, not_reported_reason.strip()
    breach.ico_decided_at = now
    breach.full_clean()
    breach.save()
    return breach


# What each Article 34(3) ground, and a public communication, must say in the note.
AFFECTED_NOTE_NEEDED = {
    AffectedPeopleDecision.UNINTELLIGIBLE: "Explain how the data were protected, for example how they were encrypted",
    AffectedPeopleDecision.MEASURES: "Explain what was done since, and why the high risk is no longer likely",
    AffectedPeopleDecision.PUBLIC_NOTICE: "Say how and where the public communication was made",
}
AFFECTED_DATE_NEEDED = {
    AffectedPeopleDecision.TOLD: ("Enter the date the people affected were told", "The date they were told"),
    AffectedPeopleDecision.PUBLIC_NOTICE: (
        "Enter the date the public communication was made", "The date of the public communication",
    ),
}


@transaction.atomic
def breach_affected_record(
    *, breach: Breach, high_risk: bool | None, decision: str = "", told_on: datetime.date | None = None,
    note: str = "", by_user, now: datetime.datetime | None = None,
) -> Breach:
    """Record the Article 34 decision on telling the people a personal data breach affects:
    whether it is likely to result in a high risk to them and, if so, that they were told (on
    ``told_on``), or the Art 34(3) ground on which they were not — the data unintelligible,
    measures taken since, or a public communication instead of disproportionate effort.
    ``decision`` empty with ``high_risk`` records the assessment alone: the telling is still
    to be decided, and "What's due" says so until it is."""
    _check_open(breach)
    if not breach.personal_data_breach:
        raise ValidationError({NON_FIELD_ERRORS: (
            "Only a personal data breach is assessed for telling the people affected (UK GDPR Article 34)"
        )})
    now = now or timezone.now()
    note = note.strip()
    errors: dict[str, str] = {}
    if high_risk is None:
        errors["high_risk"] = "Select whether it is likely to result in a high risk to the people affected"
    elif not high_risk:
        decision, told_on = "", None
        if not note:
            errors["note"] = "Explain why it is unlikely to result in a high risk to the people affected"
    else:
        if decision and decision not in AffectedPeopleDecision.values:
            errors["decision"] = "Select whether the people affected were told, or why not"
        if decision in AFFECTED_NOTE_NEEDED and not note:
            errors["note"] = AFFECTED_NOTE_NEEDED[decision]
        if decision in AFFECTED_DATED:
            needed, noun = AFFECTED_DATE_NEEDED[decision]
            problem = needed if told_on is None else _date_problem(
                told_on, noun=noun, breach=breach, on=timezone.localdate(now),
            )
            if problem:
                errors["told_on"] = problem
        else:
            told_on = None
    if errors:
        raise ValidationError(errors)
    breach.affected_high_risk, breach.affected_decision, breach.affected_told_on = high_risk, decision, told_on
    breach.affected_note = note
    decided = breach.affected_decided
    breach.affected_decided_at, breach.affected_decided_by = (now, by_user) if decided else (None, None)
    breach.full_clean()
    breach.save()
    return breach


def _still_to_record(breach: Breach) -> list[str]:
    missing = []
    if not breach.is_near_miss:
        missing += [
            noun for noun, value in (
                ("the report", breach.report_received_on), ("the meeting", breach.meeting_held_on),
                ("the minutes", breach.minutes_circulated_on),
            ) if value is None
        ]
    if breach.personal_data_breach and not breach.ico_decided:
        missing.append("whether it was reported to the ICO")
    if breach.affected_decision_awaited:
        missing.append("whether the people affected were told")
    return missing


@transaction.atomic
def breach_close(*, breach: Breach, closed_on: datetime.date, on: datetime.date | None = None) -> Breach:
    """Close a breach once its story is recorded: for a breach, the report, the meeting and the
    minutes; for a personal data breach, the ICO decision. A near miss closes at any time."""
    _check_open(breach)
    on = on or timezone.localdate()
    problem = _date_problem(closed_on, noun="The date it was closed", breach=breach, on=on)
    if problem:
        raise ValidationError({"closed_on": problem})
    missing = _still_to_record(breach)
    if missing:
        listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        raise ValidationError({"closed_on": f"Record {listed} before closing this {_what(breach)}"})
    breach.closed_on = closed_on
    breach.full_clean()
    breach.save()
    return breach
