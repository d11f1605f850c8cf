"""Readings shared by "What's due" and the daily scheduler's reminders (``isa_portal.scheduler``):
reviews open, signatures outstanding, SPOCs' details to confirm, ICO renewals, withdrawals to
come, and the breaches a person manages."""

import contextlib
import datetime
from contextvars import ContextVar

from dateutil.relativedelta import relativedelta
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from agreements.models import NOT_TAKING_PART, Agreement, Breach, ContactRole, Party, PartyStatus, Review
from agreements.permissions import BREACH_ACTORS
from agreements.selectors import (
    CHASED,
    SIGNABLE,
    SignatureStatus,
    agreements_managed_by,
    breaches_visible_to,
    parties_with_signature_status,
)
from partners.models import Contact, Organisation, Role
from partners.permissions import user_organisation_ids
from partners.selectors import RENEWAL_DUE_SOON_DAYS, dspt_lapsed_before, dspt_renewal_state, ico_renewal_state

# A party still to sign is chased once it has waited this long.
SIGNATURE_CHASE_DAYS = 14
# A SPOC confirms their details are current at least this often (001 §6.5 wants changes made
# within a month; a six-monthly confirmation catches the changes nobody reported).
SPOC_CONFIRM_MONTHS = 6


# While "What's due" is read (``managed_read_once``): the agreements each person manages, by
# their pk, read once for the readers that all ask.
_managed: ContextVar[dict[int | None, list[int]] | None] = ContextVar("due_managed", default=None)


@contextlib.contextmanager
def managed_read_once():
    """Within it, ``managed_agreements`` reads the agreements a person manages once, not once a
    reader: the readers ask for them some fifteen times in all. And a person who manages none
    (a practitioner, a SPOC, an auditor) costs those readers no query at all: Django asks
    nothing of a filter on an empty list of agreements. Each "What's due" reads them afresh."""
    token = _managed.set({})
    try:
        yield
    finally:
        _managed.reset(token)


def managed_agreements(user) -> QuerySet[Agreement]:
    """The agreements ``user`` manages (``agreements.selectors.agreements_managed_by``): within
    ``managed_read_once`` as a list read once, elsewhere as the query itself."""
    memo = _managed.get()
    if memo is None:
        return agreements_managed_by(user)
    if user.pk not in memo:
        memo[user.pk] = list(agreements_managed_by(user).values_list("pk", flat=True))
    ids = memo[user.pk]
    return Agreement.objects.filter(pk__in=ids) if ids else Agreement.objects.none()


def open_reviews(*, on: datetime.date, agreements: QuerySet[Agreement] | None = None) -> QuerySet[Review]:
    """Reviews not yet completed of agreements in force on ``on``, soonest due first."""
    agreements = Agreement.objects.all() if agreements is None else agreements
    return (
        Review.objects.filter(completed_on__isnull=True, agreement__in=agreements.in_force(on=on))
        .select_related("agreement__owner").order_by("due_on", "pk")
    )


def findings_reports_outstanding(*, agreements: QuerySet[Agreement]) -> QuerySet[Review]:
    """Completed reviews whose findings are still to be reported (002 §5.3)."""
    return (
        Review.objects.filter(agreement__in=agreements, completed_on__isnull=False,
                              findings_reported_on__isnull=True, findings_report_due_on__isnull=False)
        .select_related("agreement").order_by("findings_report_due_on", "pk")
    )


def signatures_outstanding(parties: QuerySet[Party] | None = None) -> list[Party]:
    """Parties still to sign the latest version of an agreement that has gone for signature,
    longest waiting first, each with ``waiting_since`` (invited, or the version made) and
    ``chase_on`` (``SIGNATURE_CHASE_DAYS`` later). An organisation that has ceased to exist
    is not chased."""
    parties = Party.objects.all() if parties is None else parties
    in_being = parties.filter(agreement__status__in=SIGNABLE).in_being(on=timezone.localdate())
    rows = list(
        parties_with_signature_status(in_being)
        .filter(signature_status__in=CHASED).select_related("agreement__owner", "organisation")
        .order_by("pk")
    )
    for row in rows:
        if row.signature_status == SignatureStatus.NEEDS_RESIGNING and row.latest_created_at:
            row.waiting_since = timezone.localdate(row.latest_created_at)
        else:
            row.waiting_since = row.invited_on or timezone.localdate(row.created_at)
        row.chase_on = row.waiting_since + datetime.timedelta(days=SIGNATURE_CHASE_DAYS)
    return sorted(rows, key=lambda row: (row.waiting_since, row.pk))


def spoc_contacts(contacts: QuerySet[Contact] | None = None) -> QuerySet[Contact]:
    """Directory entries of SPOCs: named as SPOC by a party still taking part, or members of
    their own organisation in the SPOC role; of organisations still in being."""
    contacts = Contact.objects.all() if contacts is None else contacts
    taking_part = [status for status in PartyStatus.values if status not in NOT_TAKING_PART]
    return contacts.filter(
        Q(party_roles__role=ContactRole.SPOC, party_roles__party__status__in=taking_part)
        | Q(user__memberships__role=Role.SPOC, user__memberships__organisation=F("organisation"))
    ).filter(organisation__ceased_on__isnull=True).distinct().select_related("organisation", "user")


def confirmation_due_on(contact: Contact) -> tuple[datetime.date, datetime.date]:
    """(since, due): when ``contact`` last confirmed their details (or was entered in the
    directory), and six calendar months later, when they should confirm them again."""
    since = contact.details_confirmed_on or timezone.localdate(contact.created_at)
    return since, since + relativedelta(months=SPOC_CONFIRM_MONTHS)


def spocs_unconfirmed(
    *, on: datetime.date, within_days: int = 0, contacts: QuerySet[Contact] | None = None,
) -> list[tuple[Contact, datetime.date, datetime.date]]:
    """(contact, since, due) for each SPOC whose details are due to be confirmed by ``on`` +
    ``within_days``, longest unconfirmed first."""
    horizon = on + datetime.timedelta(days=within_days)
    rows = [(contact, *confirmation_due_on(contact)) for contact in spoc_contacts(contacts)]
    return sorted((row for row in rows if row[2] <= horizon), key=lambda row: (row[2], row[0].pk))


def ico_renewals(
    *, on: datetime.date, organisations: QuerySet[Organisation] | None = None,
) -> list[tuple[Organisation, str]]:
    """(organisation, ``RENEWAL_OVERDUE`` or ``RENEWAL_DUE_SOON``) for each ICO registration
    lapsed or due for renewal within 30 days (``partners.selectors.ico_renewal_state``)."""
    organisations = Organisation.objects.all() if organisations is None else organisations
    rows = []
    for organisation in organisations.filter(ico_renewal_date__isnull=False).order_by("ico_renewal_date", "pk"):
        state = ico_renewal_state(organisation, on=on)
        if state:
            rows.append((organisation, state))
    return rows


def dspt_renewals(
    *, on: datetime.date, organisations: QuerySet[Organisation] | None = None,
) -> list[tuple[Organisation, str]]:
    """(organisation, ``RENEWAL_OVERDUE`` or ``RENEWAL_DUE_SOON``) for each DSPT assessment lapsed
    or lapsing within 30 days (``partners.selectors.dspt_renewal_state``), in one query."""
    organisations = Organisation.objects.all() if organisations is None else organisations
    # Published no later than 12 months and a little over 30 days before ``on``: the rule itself,
    # month ends and all, is ``dspt_renewal_state``'s.
    latest = dspt_lapsed_before(on) + datetime.timedelta(days=RENEWAL_DUE_SOON_DAYS + 3)
    rows = []
    for organisation in organisations.filter(
        ceased_on__isnull=True, dspt_published_on__lte=latest,
    ).order_by("dspt_published_on", "pk"):
        state = dspt_renewal_state(organisation, on=on)
        if state:
            rows.append((organisation, state))
    return rows


def withdrawals_pending(parties: QuerySet[Party] | None = None) -> QuerySet[Party]:
    """Parties that have given notice and whose withdrawal has not yet been completed."""
    parties = Party.objects.all() if parties is None else parties
    return (
        parties.filter(status=PartyStatus.WITHDRAWAL_NOTIFIED, withdrawal_effective_on__isnull=False)
        .select_related("agreement__owner", "organisation").order_by("withdrawal_effective_on", "pk")
    )


def breaches_managed_by(user) -> QuerySet[Breach]:
    """Breaches ``user`` may manage (``agreements.permissions.can_manage_breach``): those of
    agreements they manage, and those their organisation reported, as SPOC or governance manager."""
    own = user_organisation_ids(user, roles=BREACH_ACTORS)
    return breaches_visible_to(user).filter(
        Q(agreement__in=managed_agreements(user)) | Q(reporting_organisation_id__in=own)
    )
