"""The daily run's follow-ups of what issue 13 added (its review's item 1), each sent once per event
key and without case details (no description, no case reference, nobody's name but the manager's
own): Article 34 decisions still undecided, overrides awaiting their designated manager's
confirmation, withdrawn parties that have not said what they did with what they hold, and cases
open longer than their agreement allows. Steps of ``isa_portal.scheduler``; the portal's own
reminders, so plain ``notification_send`` (docs/decisions/0033), e-mailed in the daily digest except
the Article 34 reminder and an override's escalation, which cannot wait (docs/decisions/0039).
"""

import datetime
import hashlib

from django.urls import reverse
from django.utils import timezone

from agreements import clocks
from agreements.models import Party, PartyStatus
from agreements.selectors import (
    affected_decisions_awaited,
    governance_manager_contacts,
    organisations_contacts,
    party_spocs,
)
from govuk_blocks.dates import long_date
from partners.models import Organisation
from partners.services import notification_send
from sharing_log.models import OverrideAuthorisation
from sharing_log.selectors import cases_open_too_long

from .due import named

# Article 34 sets no date, only "without undue delay": reminded 3 days after discovery, again at 7.
AFFECTED_REMINDER_DAYS = (3, 7)
# An override waiting for its designated manager longer than this many working days is chased…
OVERRIDE_MANAGER_WORKING_DAYS = 2
# …and, longer than this, the disclosing organisation's governance managers are told.
OVERRIDE_ESCALATION_WORKING_DAYS = 5
# A withdrawn party's SPOCs are asked again this many days after its withdrawal took effect.
HOLDINGS_REMINDER_DAYS = 14


def _sent(**message) -> int:
    """A reminder: in the portal now, e-mailed in the person's daily digest (decision 0039)."""
    return len(notification_send(in_digest=True, **message))


def _sent_now(**message) -> int:
    """What cannot wait for the digest (a breach, an escalation): e-mailed on its own at once."""
    return len(notification_send(**message))


def remind_affected_decisions(*, on: datetime.date, now: datetime.datetime) -> int:
    """Breaches reported to the ICO or judged high risk whose Article 34 decision on telling the
    people affected is undecided 3 days after discovery, and again once 7 days have passed: the
    agreement owner's governance managers. A missed day sends the latest reminder only."""
    told = 0
    for breach in affected_decisions_awaited():
        discovered_on = timezone.localdate(breach.discovered_at)
        days = (on - discovered_on).days
        reached = [mark for mark in AFFECTED_REMINDER_DAYS if days >= mark]
        if not reached:
            continue
        agreement = breach.agreement
        told += _sent_now(
            contacts=governance_manager_contacts(agreement.owner),
            subject=f"Decide whether to tell the people affected by a breach under {named(agreement)}",
            body=(f"The {breach.get_kind_display().lower()} under “{agreement.title}” reported by "
                  f"{breach.reporting_organisation}, discovered on {long_date(discovered_on)}, still has no "
                  "decision on telling the people affected (UK GDPR Article 34): tell them without undue delay "
                  "when it is likely to result in a high risk to them, or record why not.\n\n"
                  "Record the decision on the breach in the portal."),
            url=breach.get_absolute_url(),
            event_key=f"breach-{breach.pk}-affected-{reached[-1]}-days-{discovered_on:%Y-%m-%d}",
        )
    return told


def remind_override_confirmations(*, on: datetime.date, now: datetime.datetime) -> int:
    """Overrides awaiting their designated manager's confirmation for more than 2 working days:
    the manager; for more than 5, the disclosing organisation's governance managers too."""
    told = 0
    waiting = OverrideAuthorisation.objects.filter(confirmation__isnull=True).select_related(
        "designated_manager", "disclosure__agreement", "disclosure__disclosing_organisation",
    ).order_by("requested_at", "pk")
    for authorisation in waiting:
        disclosure = authorisation.disclosure
        agreement, organisation = disclosure.agreement, disclosure.disclosing_organisation
        asked_on = timezone.localdate(authorisation.requested_at)
        manager_due = clocks.add_working_days(asked_on, OVERRIDE_MANAGER_WORKING_DAYS,
                                              jurisdiction=agreement.jurisdiction)
        if on <= manager_due:
            continue
        logged = (f"{organisation} logged sharing log entry {disclosure.pk} under “{agreement.title}” on "
                  f"{long_date(asked_on)}, naming {authorisation.designated_manager.name} as the designated "
                  "manager who authorised overriding a refusal of consent or sharing without consent.")
        told += _sent(
            contacts=[authorisation.designated_manager],
            subject=f"Confirm the override you authorised on sharing log entry {disclosure.pk}",
            body=f"{logged}\n\nConfirm in the portal that you authorised it.",
            url=authorisation.get_absolute_url(),
            event_key=f"override-{authorisation.pk}-unconfirmed-{OVERRIDE_MANAGER_WORKING_DAYS}-working-days",
        )
        escalation_due = clocks.add_working_days(asked_on, OVERRIDE_ESCALATION_WORKING_DAYS,
                                                 jurisdiction=agreement.jurisdiction)
        if on <= escalation_due:
            continue
        told += _sent_now(
            contacts=governance_manager_contacts(organisation),
            subject=f"An override on sharing log entry {disclosure.pk} is still unconfirmed",
            body=(f"{logged}\n\nThey have not confirmed it in the portal after "
                  f"{OVERRIDE_ESCALATION_WORKING_DAYS} working days. Ask them to confirm it, or look into it."),
            url=reverse("sharing_log:detail", args=[disclosure.pk]),
            event_key=f"override-{authorisation.pk}-unconfirmed-{OVERRIDE_ESCALATION_WORKING_DAYS}-working-days",
        )
    return told


def remind_withdrawn_holdings(*, on: datetime.date, now: datetime.datetime) -> int:
    """Withdrawn parties that have not confirmed what they did with what they hold 14 days after
    their withdrawal took effect: their SPOCs."""
    told = 0
    since = on - datetime.timedelta(days=HOLDINGS_REMINDER_DAYS)
    parties = Party.objects.filter(
        status=PartyStatus.WITHDRAWN, holdings__isnull=True, withdrawal_effective_on__lte=since,
    ).select_related("organisation", "agreement").order_by("withdrawal_effective_on", "pk")
    for party in parties:
        agreement, effective = party.agreement, party.withdrawal_effective_on
        told += _sent(
            contacts=party_spocs([party]),
            subject=f"Confirm what {party.organisation} did with what it held under {named(agreement)}",
            body=(f"{party.organisation}'s withdrawal from “{agreement.title}” took effect on {long_date(effective)}. "
                  f"{party.organisation} stays bound by the agreement for the information it received: confirm in "
                  "the portal whether it returned it, destroyed it, or retained it and why."),
            url=reverse("agreements:party_holdings", args=[agreement.pk, party.pk]),
            event_key=f"party-{party.pk}-holdings-{HOLDINGS_REMINDER_DAYS}-days-{effective:%Y-%m-%d}",
        )
    return told


def remind_open_cases(*, on: datetime.date, now: datetime.datetime) -> int:
    """Cases open longer than their agreement allows, once when flagged: the disclosing
    organisation's SPOCs and governance managers. The case reference stays out of the text, the
    link and the event key (a digest of it names the case there)."""
    told = 0
    organisation_ids = list(Organisation.objects.values_list("pk", flat=True))
    cases = cases_open_too_long(organisation_ids=organisation_ids, on=on)
    # Every organisation's people read in one query, not one an organisation (issue 15: 1,873
    # queries at a million entries).
    acting = organisations_contacts({case.organisation.pk for case in cases})
    for case in cases:
        agreement, limit = case.agreement, case.agreement.case_open_limit_months
        digest = hashlib.sha256(case.case_reference.lower().encode()).hexdigest()[:16]
        told += _sent(
            contacts=acting.get(case.organisation.pk, []),
            subject=f"A case of {case.organisation} under {named(agreement)} has been open too long",
            body=(f"A case {case.organisation} logged sharing under “{agreement.title}” for has been open since "
                  f"{long_date(case.open_since)}: the agreement flags a case still open after {limit} "
                  f"month{'s' if limit != 1 else ''}, because its records are destroyed only once the case is "
                  "closed.\n\nIf the case has ended, close it in the portal: “What's due” names it."),
            url=reverse("due"),
            event_key=f"case-{case.organisation.pk}-{agreement.pk}-{digest}-open-too-long-{case.flagged_on:%Y-%m-%d}",
        )
    return told
