"""DOMAIN.md rule 1 for ``disclosure_log``: who may log, for whom, and to whom, on the day it
happened, with what the staleness rules need of the recipient's party read in the same query
(issue 15: one query where there were five)."""

import datetime

from django.db.models import Exists, OuterRef

from agreements.models import Agreement, Party, PartyStatus
from agreements.selectors.signing import parties_with_signature_status
from govuk_blocks.dates import long_date
from partners.models import Organisation
from partners.permissions import user_organisation_ids

from ..permissions import LOGGERS


def withdrew_by(party: Party | None, day: datetime.date) -> datetime.date | None:
    """The date ``party`` withdrew, if its withdrawal had taken effect by ``day`` (or it is
    withdrawn): nothing new may then be logged to it (001 §3.5)."""
    if party is None or party.withdrawal_effective_on is None:
        return None
    if party.status == PartyStatus.WITHDRAWN or (
        party.status == PartyStatus.WITHDRAWAL_NOTIFIED and party.withdrawal_effective_on <= day
    ):
        return party.withdrawal_effective_on
    return None


def parties_on(*, agreement: Agreement, organisations: list[Organisation],
               day: datetime.date) -> tuple[bool, dict[int, Party]]:
    """What rule 1 and the staleness rules ask the database, in one query: whether ``agreement``
    was in force on ``day``, and the parties ``organisations`` are to it by organisation, each
    with whether it was in force that day (``in_force``) and its signature status
    (``parties_with_signature_status`` without its details: what ``resigning_overdue`` asks).
    Only when none of them is a party is the agreement asked about by itself."""
    rows = (
        parties_with_signature_status(Party.objects.filter(agreement=agreement, organisation__in=organisations),
                                      details=False)
        .annotate(in_force=Exists(Party.objects.in_force(on=day).filter(pk=OuterRef("pk"))),
                  agreement_in_force=Exists(Agreement.objects.in_force(on=day).filter(pk=OuterRef("agreement_id"))))
        .select_related("agreement").order_by("pk")
    )
    parties = {party.organisation_id: party for party in rows}
    if parties:
        return next(iter(parties.values())).agreement_in_force, parties
    return Agreement.objects.in_force(on=day).filter(pk=agreement.pk).exists(), parties


def party_problems(problems, *, agreement: Agreement, by_user, organisation: Organisation,
                   recipient_organisation: Organisation, day: datetime.date, parties: dict[int, Party]) -> None:
    """DOMAIN.md rule 1: who may log, for whom, and to whom, on ``day``, added to ``problems``
    (``disclosures.Problems``); ``parties`` as ``parties_on`` reads them."""
    when = long_date(day)

    def in_force(of: Organisation) -> bool:
        return of.pk in parties and parties[of.pk].in_force

    if organisation.pk not in user_organisation_ids(by_user, roles=LOGGERS):
        problems.add(
            "organisation",
            f"You are not a practitioner, SPOC or governance manager at {organisation}: "
            "log only for an organisation you work for.",
        )
    elif not in_force(organisation):
        party = parties.get(organisation.pk)
        withdrew = withdrew_by(party, day)
        if withdrew:
            problems.add(
                "organisation",
                f"{organisation} withdrew from this agreement on {long_date(withdrew)}: "
                "it may not share anything new under it.",
            )
        else:
            problems.add(
                "organisation",
                f"{organisation} was not a signed party to {agreement} on {when}, so it could not "
                "share under it. Choose an agreement your organisation had signed.",
            )

    if recipient_organisation.pk == organisation.pk:
        problems.add(
            "recipient_organisation",
            "Choose the organisation that received the information or asked for it: it cannot be your own.",
        )
    elif not in_force(recipient_organisation):
        party = parties.get(recipient_organisation.pk)
        withdrew = withdrew_by(party, day)
        ceased = recipient_organisation.ceased_on
        if ceased and ceased <= day:
            successor = recipient_organisation.successor
            problems.add(
                "recipient_organisation",
                f"{recipient_organisation} ceased to exist on {long_date(ceased)}: nothing new may be shared with it. "
                + (f"Its work passed to {successor}; choose that organisation if it is a party."
                   if successor else "Choose the organisation that took over its work."),
            )
        elif withdrew:
            problems.add(
                "recipient_organisation",
                f"{recipient_organisation} withdrew from this agreement on {long_date(withdrew)}: "
                "nothing new may be shared with it under this agreement.",
            )
        else:
            problems.add(
                "recipient_organisation",
                f"{recipient_organisation} was not a signed party to {agreement} on {when}. "
                "Choose a partner that was.",
            )
