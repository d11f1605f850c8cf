"""What is due and what is overdue: the reading behind "What's due" (``/due/``) and the daily
scheduler's reminders (``isa_portal.scheduler``). It composes each app's own selectors; the
clocks themselves (working days, calendar months, the ICO's hours) stay in the apps.

Who sees what on ``/due/`` — anyone signed in may open it, and sees only what the selectors
below let them read:

- a **governance manager**, across the agreements they manage: reviews open and their findings
  reports, parties still to sign, the deadlines of breaches they manage and the Article 34
  decision on telling the people affected, rights and FOI requests they may see (extended ones
  marked), withdrawals to come, their own organisation's ICO registration renewal,
  and SPOCs of those agreements whose details are unconfirmed;
- a **SPOC**, what their organisation owes: receipts to acknowledge, breach notices to
  acknowledge, copies to confirm corrected or destroyed, requests to pass information on to
  decide, requests routed to it, the deadlines (and Article 34 decisions) of breaches it reported, their own
  contact details to confirm, and its cases open longer than their agreement allows (their records are
  destroyed only once the case is closed; a governance manager of the organisation sees them too);
- whoever logged a share, and the SPOCs and governance managers of the organisation that made
  it, each person "not yet" told of it, by the date they are to be told;
- a **lead signatory**, the agreements waiting for their signature;
- a **SPOC or governance manager**, each notice the rules require that reached nobody (for an
  agreement their organisation leads, or to their own organisation): "not delivered:
  <organisation> has nobody to tell", until someone there is on record;
- a **SPOC or governance manager** of a withdrawn partner, and the owner's governance managers,
  until the partner confirms what it did with what it held (001 §3.5);
- a **designated manager** named by an entry, the override they are asked to confirm;
- everyone else (a practitioner, an auditor, an administrator) what of the above applies to
  them, which is usually nothing: the page then says so.

Overdue items come first. Each links to the page where it is done.
"""

import datetime
from dataclasses import dataclass, field, replace

from dateutil.relativedelta import relativedelta
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from agreements import clocks
from agreements.models import Agreement, Breach, ContactRole, Party, PartyStatus, Review
from agreements.permissions import BREACH_ACTORS
from agreements.selectors import (
    CHASED,
    SIGNABLE,
    SignatureStatus,
    affected_decisions_awaited,
    agreements_managed_by,
    breach_deadlines_pending,
    breach_notifications_to_acknowledge,
    breaches_visible_to,
    information_requests_visible_to,
    parties_user_may_sign,
    parties_with_signature_status,
    requests_due,
)
from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation, Role
from partners.permissions import user_organisation_ids
from partners.selectors import RENEWAL_OVERDUE, ico_renewal_state, undelivered_notices_for
from sharing_log.models import ConfirmationReason
from sharing_log.permissions import CASE_CLOSERS
from sharing_log.selectors import (
    cases_open_too_long,
    confirmations_awaiting,
    disclosures_awaiting_acknowledgement,
    onward_requests_to_decide,
    overrides_to_confirm,
    people_to_tell_for,
)

# A party still to sign is chased once it has waited this long.
SIGNATURE_CHASE_DAYS = 14
# A SPOC confirms their details are current at least this often (001 §6.5 wants changes made
# within a month; a six-monthly confirmation catches the changes nobody reported).
SPOC_CONFIRM_MONTHS = 6
# How far ahead "What's due" shows a confirmation or renewal coming up.
COMING_UP_DAYS = 30
# Parties that no longer take part: their SPOCs have nothing to confirm for them.
NOT_TAKING_PART = (PartyStatus.DECLINED, PartyStatus.WITHDRAWN)
# Coming up within this many days is "due soon".
SOON_DAYS = 7
# Receipts and breach notices are acknowledged by the next working day.
ACKNOWLEDGE_WORKING_DAYS = 1


def named(agreement: Agreement) -> str:
    return agreement.reference or agreement.title


# Readings shared with the scheduler --------------------------------------------------------


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
    ``chase_on`` (``SIGNATURE_CHASE_DAYS`` later)."""
    parties = Party.objects.all() if parties is None else parties
    rows = list(
        parties_with_signature_status(parties.filter(agreement__status__in=SIGNABLE))
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
        Q(agreement__in=agreements_managed_by(user)) | Q(reporting_organisation_id__in=own)
    )


# One person's list ------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """One thing due: what, for which agreement or organisation, by when, and where it is done.

    ``due`` is a date, an aware datetime (the ICO's 72 hours) or ``None`` when nothing sets a
    date (a request to pass information on waits for a decision as soon as may be).
    """

    key: str
    kind: str
    what: str
    about: str
    due: datetime.date | datetime.datetime | None
    overdue: bool
    url: str
    # "overdue", "soon" (within ``SOON_DAYS``), "due" or "undated"; set by ``due_for``.
    status: str = ""

    @property
    def in_hours(self) -> bool:
        return isinstance(self.due, datetime.datetime)

    def sort_key(self) -> tuple:
        if self.due is None:
            moment = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        elif self.in_hours:
            moment = self.due
        else:
            moment = timezone.make_aware(datetime.datetime.combine(self.due, datetime.time.max))
        return (moment, self.kind, self.key)


@dataclass
class DueList:
    overdue: list[DueItem] = field(default_factory=list)
    coming_up: list[DueItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.coming_up


def due_for(user, *, on: datetime.date | None = None, now: datetime.datetime | None = None) -> DueList:
    """Everything due and overdue for ``user`` on ``on`` (today by default): overdue first,
    each part soonest due first."""
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    items: dict[str, DueItem] = {}
    for reader in (_reviews, _signatures, _breaches, _affected_people, _requests, _withdrawals, _ico, _spoc_details,
                   _receipts, _breach_notices, _copies, _onward, _own_details, _to_sign, _people_to_tell, _open_cases,
                   _undelivered, _overrides, _holdings):
        for item in reader(user, on=on, now=now):
            items.setdefault(item.key, item)
    ordered = [replace(item, status=_status(item, on)) for item in sorted(items.values(), key=DueItem.sort_key)]
    return DueList(overdue=[item for item in ordered if item.overdue],
                   coming_up=[item for item in ordered if not item.overdue])


def _status(item: DueItem, on: datetime.date) -> str:
    if item.overdue:
        return "overdue"
    if item.due is None:
        return "undated"
    day = timezone.localdate(item.due) if item.in_hours else item.due
    return "soon" if day <= on + datetime.timedelta(days=SOON_DAYS) else "due"


def _managed(user) -> QuerySet[Agreement]:
    return agreements_managed_by(user)


def _reviews(user, *, on, now):
    managed = _managed(user)
    for review in open_reviews(on=on, agreements=managed):
        yield DueItem(
            key=f"review-{review.pk}", kind="Review", what=f"Review of {named(review.agreement)}",
            about=review.get_trigger_display(), due=review.due_on, overdue=review.due_on < on,
            url=review.get_absolute_url(),
        )
    for review in findings_reports_outstanding(agreements=managed):
        due = review.findings_report_due_on
        yield DueItem(
            key=f"findings-{review.pk}", kind="Review", what=f"Report the findings of the review of "
                                                              f"{named(review.agreement)}",
            about=f"Review completed on {long_date(review.completed_on)}", due=due, overdue=due < on,
            url=review.get_absolute_url(),
        )


def _signatures(user, *, on, now):
    for party in signatures_outstanding(Party.objects.filter(agreement__in=_managed(user))):
        yield DueItem(
            key=f"signature-{party.pk}", kind="Signature", what=f"Signature of {party.organisation}",
            about=f"{named(party.agreement)}: waiting since {long_date(party.waiting_since)}",
            due=party.chase_on, overdue=party.chase_on < on,
            url=reverse("agreements:signatures", args=[party.agreement_id]),
        )


def _breaches(user, *, on, now):
    for breach, deadline in breach_deadlines_pending(breaches_managed_by(user), now=now):
        yield DueItem(
            key=f"breach-{breach.pk}-{deadline.key}", kind="Breach", what=deadline.label,
            about=f"{breach.get_kind_display()} under {named(breach.agreement)}, reported by "
                  f"{breach.reporting_organisation}",
            due=deadline.due, overdue=deadline.overdue, url=breach.get_absolute_url(),
        )


def _affected_people(user, *, on, now):
    # Article 34 sets no date, only "without undue delay": the item waits, undated, until decided.
    for breach in affected_decisions_awaited(breaches_managed_by(user)):
        yield DueItem(
            key=f"breach-{breach.pk}-affected", kind="Breach",
            what="Tell the people affected, or record why not (UK GDPR Article 34)" if breach.affected_high_risk
            else "Decide whether to tell the people affected (UK GDPR Article 34)",
            about=f"{breach.get_kind_display()} under {named(breach.agreement)}, reported by "
                  f"{breach.reporting_organisation}",
            due=None, overdue=False, url=breach.get_absolute_url(),
        )


def _requests(user, *, on, now):
    # Every request not answered, however far off its date: ``within_days`` reaches past any clock.
    for request in requests_due(information_requests_visible_to(user), on=on, within_days=3660):
        extended = (f"; extended under Article 12(3) from {long_date(request.first_due_on)}"
                    if request.extended else "")
        yield DueItem(
            key=f"request-{request.pk}", kind="Request",
            what=f"Answer the {request.get_kind_display().lower()}",
            about=f"Routed to {request.routed_to}, under {named(request.agreement)}{extended}",
            due=request.due_on, overdue=request.overdue, url=request.get_absolute_url(),
        )


def _withdrawals(user, *, on, now):
    for party in withdrawals_pending(Party.objects.filter(agreement__in=_managed(user))):
        yield DueItem(
            key=f"withdrawal-{party.pk}", kind="Withdrawal",
            what=f"{party.organisation}'s withdrawal takes effect",
            about=f"{named(party.agreement)}: notice given on {long_date(party.withdrawal_notified_on)}"
            if party.withdrawal_notified_on else named(party.agreement),
            # It takes effect by itself: nothing about it can be late.
            due=party.withdrawal_effective_on, overdue=False,
            url=reverse("agreements:parties", args=[party.agreement_id]),
        )


def _ico(user, *, on, now):
    managed_for = Organisation.objects.filter(pk__in=user_organisation_ids(user, roles=[Role.GOVERNANCE_MANAGER]))
    for organisation, state in ico_renewals(on=on, organisations=managed_for):
        lapsed = state == RENEWAL_OVERDUE
        yield DueItem(
            key=f"ico-{organisation.pk}", kind="ICO registration",
            what=f"Renew {organisation}'s ICO registration" + (" (lapsed)" if lapsed else ""),
            about=f"Registration {organisation.ico_registration_number or 'number not recorded'}",
            due=organisation.ico_renewal_date, overdue=lapsed,
            url=organisation.get_absolute_url(),
        )


def _spoc_details(user, *, on, now):
    managed = _managed(user)
    if not managed.exists():
        return
    organisations = Party.objects.filter(agreement__in=managed).exclude(
        status__in=NOT_TAKING_PART,
    ).values("organisation_id")
    contacts = Contact.objects.filter(organisation_id__in=organisations).exclude(user=user)
    for contact, since, due in spocs_unconfirmed(on=on, within_days=COMING_UP_DAYS, contacts=contacts):
        yield DueItem(
            key=f"spoc-details-{contact.pk}", kind="SPOC details",
            what=f"{contact.name}'s details (SPOC, {contact.organisation}) to be confirmed",
            about=f"Last confirmed {long_date(since)}" if contact.details_confirmed_on
            else f"Not confirmed since entered on {long_date(since)}",
            due=due, overdue=due < on, url=contact.organisation.get_absolute_url(),
        )


def _receipts(user, *, on, now):
    for entry in disclosures_awaiting_acknowledgement(user):
        shared_on = timezone.localdate(entry.occurred_at)
        due = clocks.add_working_days(shared_on, ACKNOWLEDGE_WORKING_DAYS, jurisdiction=entry.agreement.jurisdiction)
        yield DueItem(
            key=f"receipt-{entry.pk}", kind="Receipt", what=f"Acknowledge receipt from {entry.disclosing_organisation}",
            about=f"Shared with {entry.recipient_organisation} on {long_date(shared_on)}",
            due=due, overdue=due < on, url=reverse("sharing_log:detail", args=[entry.pk]),
        )


def _breach_notices(user, *, on, now):
    for notice in breach_notifications_to_acknowledge(user):
        breach = notice.breach
        told_on = timezone.localdate(notice.notified_at)
        due = clocks.add_working_days(told_on, ACKNOWLEDGE_WORKING_DAYS, jurisdiction=breach.agreement.jurisdiction)
        yield DueItem(
            key=f"breach-notice-{notice.pk}", kind="Breach",
            what=f"Acknowledge the {breach.get_kind_display().lower()} for {notice.party.organisation}",
            about=f"Reported by {breach.reporting_organisation} under {named(breach.agreement)}, told on "
                  f"{long_date(told_on)}",
            due=due, overdue=due < on, url=breach.get_absolute_url(),
        )


def _copies(user, *, on, now):
    for confirmation in confirmations_awaiting(user):
        retention = confirmation.reason == ConfirmationReason.RETENTION
        yield DueItem(
            key=f"copy-{confirmation.pk}", kind="Copy",
            what="Destroy your copy and confirm it" if retention else "Correct or destroy your copy and confirm it",
            about=f"{confirmation.get_reason_display()}: information {confirmation.disclosure.disclosing_organisation} "
                  f"shared, held by {confirmation.organisation}",
            due=None, overdue=False,
            url=reverse("sharing_log:copy_confirm", args=[confirmation.pk]),
        )


def _onward(user, *, on, now):
    for request in onward_requests_to_decide(user):
        yield DueItem(
            key=f"onward-{request.pk}", kind="Passing on",
            what=f"Decide whether {request.disclosure.recipient_organisation} may pass information on",
            about=f"To {request.third_party}, asked on {long_date(timezone.localdate(request.requested_at))}",
            due=None, overdue=False, url=reverse("sharing_log:onward_decide", args=[request.pk]),
        )


def _own_details(user, *, on, now):
    contacts = Contact.objects.filter(user=user) if user.is_authenticated else Contact.objects.none()
    for contact, since, due in spocs_unconfirmed(on=on, within_days=COMING_UP_DAYS, contacts=contacts):
        yield DueItem(
            key=f"spoc-details-{contact.pk}", kind="SPOC details", what="Confirm your contact details are current",
            about=f"{contact.organisation}: last confirmed {long_date(since)}" if contact.details_confirmed_on
            else f"{contact.organisation}: not confirmed since entered on {long_date(since)}",
            due=due, overdue=due < on, url=reverse("partners:contact_confirm", args=[contact.pk]),
        )


def _to_sign(user, *, on, now):
    for party in signatures_outstanding(parties_user_may_sign(user)):
        yield DueItem(
            key=f"sign-{party.pk}", kind="Signature", what=f"Sign {named(party.agreement)} for {party.organisation}",
            about=f"{party.agreement.title}: waiting since {long_date(party.waiting_since)}",
            due=party.chase_on, overdue=party.chase_on < on,
            url=reverse("agreements:party_sign", args=[party.agreement_id, party.pk]),
        )


def _people_to_tell(user, *, on, now):
    for entry in people_to_tell_for(user):
        yield DueItem(
            key=f"tell-{entry.pk}", kind="Telling the person",
            what=f"Tell the person entry {entry.pk} is about that their information was shared",
            about=f"Shared with {entry.recipient_organisation} on {long_date(timezone.localdate(entry.occurred_at))}",
            due=entry.subject_told_by, overdue=entry.subject_told_by < on,
            url=reverse("sharing_log:detail", args=[entry.pk]),
        )


def _open_cases(user, *, on, now):
    """Cases of the user's organisations open longer than their agreement allows: while a case
    stays open its records are never destroyed (issue 13 item 7)."""
    organisations = user_organisation_ids(user, roles=CASE_CLOSERS)
    for case in cases_open_too_long(organisation_ids=organisations, on=on, within_days=COMING_UP_DAYS):
        yield DueItem(
            key=f"open-case-{case.key}", kind="Open case",
            what=f"Close case {case.case_reference} if it has ended",
            about=f"{case.organisation}: {case.why}",
            due=case.flagged_on, overdue=case.flagged_on <= on,
            url=reverse("sharing_log:case_close") + "?" + urlencode({"case_reference": case.case_reference}),
        )


def _undelivered(user, *, on, now):
    # A notice that reached nobody is already late: the rules wanted it told at once.
    for notice in undelivered_notices_for(user):
        yield DueItem(
            key=f"undelivered-{notice.pk}", kind="Notice", what=notice.message, about=notice.subject,
            due=timezone.localdate(notice.created_at), overdue=True, url=notice.url,
        )


def _overrides(user, *, on, now):
    # Confirmed as soon as may be: nothing sets a date.
    for authorisation in overrides_to_confirm(user):
        disclosure = authorisation.disclosure
        yield DueItem(
            key=f"override-{authorisation.pk}", kind="Override",
            what=f"Confirm you authorised the override on entry {disclosure.pk}",
            about=f"{disclosure.disclosing_organisation}: {named(disclosure.agreement)}",
            due=None, overdue=False, url=authorisation.get_absolute_url(),
        )


def _holdings(user, *, on, now):
    # The withdrawn partner's own people answer; the owner's managers see that it is awaited.
    own = user_organisation_ids(user, roles=[Role.SPOC, Role.GOVERNANCE_MANAGER])
    parties = Party.objects.filter(status=PartyStatus.WITHDRAWN, holdings__isnull=True).filter(
        Q(organisation_id__in=own) | Q(agreement__in=_managed(user)),
    ).select_related("organisation", "agreement")
    for party in parties:
        yield DueItem(
            key=f"holdings-{party.pk}", kind="Withdrawal",
            what=f"Confirm what {party.organisation} did with what it held under {named(party.agreement)}",
            about=f"Withdrew on {long_date(party.withdrawal_effective_on)}: returned, destroyed or retained",
            due=party.withdrawal_effective_on, overdue=True,
            url=reverse("agreements:party_holdings", args=[party.agreement_id, party.pk])
            if party.organisation_id in own else reverse("agreements:parties", args=[party.agreement_id]),
        )
