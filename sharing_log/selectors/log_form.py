"""What the log form offers once the agreement is chosen (decision 0040): the parties that cannot
receive today and why, the recipients' named SPOCs, and the person's last entry, whose agreement,
transfer method and marking are the next entry's defaults."""

import datetime

from django.db.models import Exists, Max, OuterRef, QuerySet

from agreements.models import Agreement, ContactRole, Party, PartyStatus
from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation

from ..models.disclosures import Decision, Disclosure
from .disclosures import agreements_to_log_under


def cannot_receive_reason(party: Party, *, on: datetime.date) -> str:
    """Why ``party`` cannot receive a disclosure on ``on``, in a few plain words; the converse of
    ``Party.objects.in_force``."""
    ceased = party.organisation.ceased_on
    if ceased and ceased <= on:
        return f"ceased on {long_date(ceased)}"
    effective = party.withdrawal_effective_on
    if party.status == PartyStatus.WITHDRAWN or (
        party.status == PartyStatus.WITHDRAWAL_NOTIFIED and effective and effective <= on
    ):
        return f"withdrew on {long_date(effective)}" if effective else "withdrew from the agreement"
    if party.status == PartyStatus.DECLINED:
        return "declined to sign"
    return "has not signed"


def parties_unable_to_receive(agreement: Agreement, *, on: datetime.date,
                              exclude: list[Organisation]) -> list[tuple[Party, str]]:
    """The parties to ``agreement`` (other than ``exclude``) that cannot receive on ``on``, each
    with the reason: shown on the log form rather than hidden."""
    in_force = Party.objects.in_force(on=on).filter(agreement=agreement).values("pk")
    parties = (
        Party.objects.filter(agreement=agreement).exclude(pk__in=in_force).exclude(organisation__in=exclude)
        .select_related("organisation").order_by("organisation__name")
    )
    return [(party, cannot_receive_reason(party, on=on)) for party in parties]


def parties_able_and_unable(agreement: Agreement, *, on: datetime.date,
                            exclude: list[Organisation]) -> tuple[list[Party], list[tuple[Party, str]]]:
    """The parties to ``agreement`` other than ``exclude``: those that can receive on ``on``
    (as ``recipient_parties``) and those that cannot, each with the reason
    (``parties_unable_to_receive``), read in one query."""
    in_force = Party.objects.in_force(on=on).filter(pk=OuterRef("pk"))
    parties = (
        Party.objects.filter(agreement=agreement).exclude(organisation__in=exclude)
        .annotate(can_receive=Exists(in_force)).select_related("organisation", "agreement")
        .order_by("organisation__name", "pk")
    )
    able, unable = [], []
    for party in parties:
        if party.can_receive:
            able.append(party)
        else:
            unable.append((party, cannot_receive_reason(party, on=on)))
    return able, unable


def recipient_spocs(agreement: Agreement, organisations: list[Organisation]) -> QuerySet[Contact]:
    """The SPOCs ``organisations`` name for ``agreement``: whom a disclosure usually goes to."""
    return (
        Contact.objects.filter(party_roles__party__agreement=agreement, party_roles__role=ContactRole.SPOC,
                               party_roles__party__organisation__in=organisations)
        .select_related("organisation").distinct().order_by("organisation__name", "name")
    )


def last_entry_by(user, *, agreement: Agreement | None = None) -> Disclosure | None:
    """The last entry ``user`` logged (under ``agreement`` when given), or ``None``."""
    if not user.is_authenticated:
        return None
    entries = Disclosure.objects.filter(disclosed_by=user)
    if agreement is not None:
        entries = entries.filter(agreement=agreement)
    return entries.order_by("-recorded_at", "-pk").first()


def last_shared_to_each(user, *, agreement: Agreement) -> dict[int, Disclosure]:
    """``user``'s last share under ``agreement`` to each partner, by the partner's organisation id:
    how much it held and what it included are the next share's defaults to that partner
    (decision 0047). One query; the last is the highest id, as ids are given in order."""
    shares = Disclosure.objects.filter(disclosed_by=user, agreement=agreement, decision=Decision.SHARED)
    last = shares.values("recipient_organisation").annotate(last=Max("pk")).values("last")
    return {entry.recipient_organisation_id: entry for entry in
            Disclosure.objects.filter(pk__in=last).only("pk", "recipient_organisation", "data_level",
                                                         "data_categories")}


def recent_partners(user, *, on: datetime.date, limit: int = 3) -> list[tuple[Agreement, Organisation]]:
    """The partners ``user`` last shared with, most recent first (at most ``limit``), each with the
    agreement it was under, where they may still log under it and the partner can still receive:
    the home page's "Log a share again with" links (decision 0047). Four queries whatever the
    size of the log (the last 50 shares are read)."""
    if not user.is_authenticated:
        return []
    pairs = []
    shares = Disclosure.objects.filter(disclosed_by=user, decision=Decision.SHARED).order_by("-pk")
    for pair in shares.values_list("agreement_id", "recipient_organisation_id")[:50]:
        if pair not in pairs:
            pairs.append(pair)
    if not pairs:
        return []
    agreements = {agreement.pk: agreement for agreement in
                  agreements_to_log_under(user, on=on).prefetch_related(None)
                  .filter(pk__in={pk for pk, _ in pairs})}
    parties = {(party.agreement_id, party.organisation_id): party for party in
               Party.objects.in_force(on=on).filter(agreement__in=list(agreements),
                                                    organisation__in={pk for _, pk in pairs})
               .select_related("organisation")}
    return [(agreements[agreement], parties[(agreement, partner)].organisation) for agreement, partner in pairs
            if agreement in agreements and (agreement, partner) in parties][:limit]
