"""What is due of the agreements: reviews and their findings, signatures, breaches and their
Article 34 decisions, breach notices to acknowledge, rights and FOI requests, withdrawals and
what a withdrawn partner held, and DPIA screenings missing from agreements in force."""


import datetime

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import clocks
from agreements.models import (
    Agreement,
    ContactRole,
    DpoReviewOutcome,
    Party,
    PartyContact,
    PartyStatus,
    ReviewTrigger,
    Status,
)
from agreements.selectors import (
    SCHEDULED_OPENS_DAYS_BEFORE,
    affected_decisions_awaited,
    agreements_unscreened,
    breach_deadlines_pending,
    breach_notifications_to_acknowledge,
    information_requests_visible_to,
    parties_dpo_cleared,
    parties_to_review_as_dpo,
    parties_user_may_sign,
    requests_due,
    reviews_ahead,
    scheduled_review_due_on,
    with_dpo_outcome,
)
from govuk_blocks.dates import long_date
from partners.models import Role
from partners.permissions import user_organisation_ids

from .items import ACKNOWLEDGE_WORKING_DAYS, DueItem, named
from .readings import (
    NOT_TAKING_PART,
    breaches_managed_by,
    findings_reports_outstanding,
    managed_agreements,
    open_reviews,
    signatures_outstanding,
    withdrawals_pending,
)


def review_key(agreement_id: int, trigger: str, trigger_key: str = "", pk: int | None = None) -> str:
    """One key for a review, whether the daily scheduler has opened its row yet or not: its
    agreement's scheduled review, or the audit-trail event that triggered it; a review opened
    by hand (a chair's request) has only its row."""
    if trigger == ReviewTrigger.SCHEDULED:
        return f"review-{agreement_id}-scheduled"
    if trigger_key:
        return f"review-{agreement_id}-{trigger_key}"
    return f"review-{pk}"


def reviews(user, *, on, now, agreements: QuerySet[Agreement] | None = None):
    """Reviews due of the agreements ``user`` manages (or of ``agreements``, a narrower set of
    them: the reports read one agreement's)."""
    managed = managed_agreements(user) if agreements is None else agreements
    for review in open_reviews(on=on, agreements=managed):
        yield DueItem(
            key=review_key(review.agreement_id, review.trigger, review.trigger_key, review.pk), kind=_("Review"),
            what=_("Carry out the review of %(agreement)s") % {"agreement": named(review.agreement)},
            about=review.get_trigger_display(), due=review.due_on, overdue=review.due_on < on,
            url=review.get_absolute_url(),
        )
    # Due by date before the scheduler opens the row (``agreements.services.reviews_due_create``
    # opens them by the same rules): the row, once open, keeps the same key and replaces these.
    horizon = on + datetime.timedelta(days=SCHEDULED_OPENS_DAYS_BEFORE)
    ahead = reviews_ahead(on=on, within_days=SCHEDULED_OPENS_DAYS_BEFORE, agreements=managed)
    for agreement in ahead.in_force:
        due = scheduled_review_due_on(agreement)
        if due is not None and due <= horizon:
            yield DueItem(
                key=review_key(agreement.pk, ReviewTrigger.SCHEDULED), kind=_("Review"),
                what=_("Carry out the review of %(agreement)s") % {"agreement": named(agreement)},
                about=ReviewTrigger.SCHEDULED.label,
                due=due, overdue=due < on, url=reverse("agreements:reviews", args=[agreement.pk]),
            )
    for event in ahead.open:
        yield DueItem(
            key=review_key(event.agreement.pk, event.trigger, event.key), kind=_("Review"),
            what=_("Carry out the review of %(agreement)s") % {"agreement": named(event.agreement)},
            about=f"{event.label}: {event.reason}",
            due=event.occurred_on, overdue=event.occurred_on < on,
            url=reverse("agreements:reviews", args=[event.agreement.pk]),
        )
    for event in ahead.coming:
        yield DueItem(
            key=review_key(event.agreement.pk, event.trigger, event.key), kind=_("Review"),
            what=_("Carry out the review of %(agreement)s") % {"agreement": named(event.agreement)},
            about=_("%(trigger)s: the DPIA's review date is %(date)s") % {
                "trigger": event.label, "date": long_date(event.occurred_on)},
            due=event.occurred_on, overdue=False, url=reverse("agreements:reviews", args=[event.agreement.pk]),
        )
    for review in findings_reports_outstanding(agreements=managed):
        due = review.findings_report_due_on
        yield DueItem(
            key=f"findings-{review.pk}", kind=_("Review"),
            what=_("Report the findings of the review of %(agreement)s") % {
                "agreement": named(review.agreement)},
            about=_("Review completed on %(date)s") % {"date": long_date(review.completed_on)},
            due=due, overdue=due < on,
            url=review.get_absolute_url(),
        )


def signatures(user, *, on, now):
    """Parties of the agreements ``user`` manages still to sign, to chase. While a party's DPO
    review is awaited (decision 0062, amended) its lead signatory cannot sign, so the owner chases
    the DPO's review, or answers the DPO who found changes needed, instead. Those items share the
    key of the DPO's own "Review … as DPO" item (``dpo_reviews``, read first), so a manager who is
    the party's DPO is asked to review rather than to chase themself."""
    parties = with_dpo_outcome(Party.objects.filter(agreement__in=managed_agreements(user)))
    for party in signatures_outstanding(parties):
        if party.dpo_awaited:
            yield _dpo_chase(party, on=on)
            continue
        yield DueItem(
            key=f"signature-{party.pk}", kind=_("Signature"),
            what=_("Chase %(organisation)s to sign") % {"organisation": party.organisation},
            about=_("%(agreement)s: waiting since %(date)s") % {
                "agreement": named(party.agreement), "date": long_date(party.waiting_since)},
            due=party.chase_on, overdue=party.chase_on < on,
            url=reverse("agreements:signatures", args=[party.agreement_id]),
        )


def _dpo_chase(party: Party, *, on) -> DueItem:
    values = {"organisation": party.organisation, "version": party.latest_label}
    if party.dpo_outcome == DpoReviewOutcome.CHANGES_NEEDED:
        what = _("Answer %(organisation)s's DPO, who found that version %(version)s needs changes") % values
        about = _("%(agreement)s: it cannot be signed until its DPO is content with a version") % {
            "agreement": named(party.agreement)}
    else:
        what = _("Chase %(organisation)s's DPO review of version %(version)s") % values
        about = _("%(agreement)s: its lead signatory cannot sign until then; waiting since %(date)s") % {
            "agreement": named(party.agreement), "date": long_date(party.waiting_since)}
    return DueItem(
        key=f"dpo-review-{party.pk}", kind=_("DPO review"), what=what, about=about,
        due=party.chase_on, overdue=party.chase_on < on,
        url=reverse("agreements:signatures", args=[party.agreement_id]),
    )


def breaches(user, *, on, now):
    for breach, deadline in breach_deadlines_pending(breaches_managed_by(user), now=now):
        yield DueItem(
            key=f"breach-{breach.pk}-{deadline.key}", kind=_("Breach"), what=deadline.label,
            about=_("%(kind)s under %(agreement)s, reported by %(organisation)s") % {
                "kind": breach.get_kind_display(), "agreement": named(breach.agreement),
                "organisation": breach.reporting_organisation},
            due=deadline.due, overdue=deadline.overdue, url=breach.get_absolute_url(),
        )


def affected_people(user, *, on, now):
    # Article 34 sets no date, only "without undue delay": the item waits, undated, until decided.
    for breach in affected_decisions_awaited(breaches_managed_by(user)):
        yield DueItem(
            key=f"breach-{breach.pk}-affected", kind=_("Breach"),
            what=_("Tell the people affected, or record why not (UK GDPR Article 34)") if breach.affected_high_risk
            else _("Decide whether to tell the people affected (UK GDPR Article 34)"),
            about=_("%(kind)s under %(agreement)s, reported by %(organisation)s") % {
                "kind": breach.get_kind_display(), "agreement": named(breach.agreement),
                "organisation": breach.reporting_organisation},
            due=None, overdue=False, url=breach.get_absolute_url(),
        )


def requests(user, *, on, now):
    # Every request not answered, however far off its date: ``within_days`` reaches past any clock.
    for request in requests_due(information_requests_visible_to(user), on=on, within_days=3660):
        extended = (_("; extended under Article 12(3) from %(date)s") % {"date": long_date(request.first_due_on)}
                    if request.extended else "")
        yield DueItem(
            key=f"request-{request.pk}", kind=_("Request"),
            what=_("Answer the %(kind)s") % {"kind": request.get_kind_display().lower()},
            about=_("Routed to %(routed_to)s, under %(agreement)s") % {
                "routed_to": request.routed_to, "agreement": named(request.agreement)} + extended,
            due=request.due_on, overdue=request.overdue, url=request.get_absolute_url(),
        )


def withdrawals(user, *, on, now):
    for party in withdrawals_pending(Party.objects.filter(agreement__in=managed_agreements(user))):
        yield DueItem(
            key=f"withdrawal-{party.pk}", kind=_("Withdrawal"),
            what=_("%(organisation)s's withdrawal takes effect") % {"organisation": party.organisation},
            about=_("%(agreement)s: notice given on %(date)s") % {
                "agreement": named(party.agreement), "date": long_date(party.withdrawal_notified_on)}
            if party.withdrawal_notified_on else named(party.agreement),
            # It takes effect by itself: nothing about it can be late.
            due=party.withdrawal_effective_on, overdue=False,
            url=reverse("agreements:parties", args=[party.agreement_id]),
        )


def breach_notices(user, *, on, now):
    for notice in breach_notifications_to_acknowledge(user):
        breach = notice.breach
        told_on = timezone.localdate(notice.notified_at)
        due = clocks.add_working_days(told_on, ACKNOWLEDGE_WORKING_DAYS, jurisdiction=breach.agreement.jurisdiction)
        yield DueItem(
            key=f"breach-notice-{notice.pk}", kind=_("Breach"),
            what=_("Acknowledge the %(kind)s for %(organisation)s") % {
                "kind": breach.get_kind_display().lower(), "organisation": notice.party.organisation},
            about=_("Reported by %(organisation)s under %(agreement)s, told on %(date)s") % {
                "organisation": breach.reporting_organisation, "agreement": named(breach.agreement),
                "date": long_date(told_on)},
            due=due, overdue=due < on, url=breach.get_absolute_url(),
        )


def to_sign(user, *, on, now):
    # A lead signatory is asked to sign only once the party's DPO is content, when the agreement
    # asks for DPO review (decision 0062, amended); until then its DPO is asked to review.
    for party in signatures_outstanding(parties_dpo_cleared(parties_user_may_sign(user))):
        yield DueItem(
            key=f"sign-{party.pk}", kind=_("Signature"),
            what=_("Sign %(agreement)s for %(organisation)s") % {
                "agreement": named(party.agreement), "organisation": party.organisation},
            about=_("%(agreement)s: waiting since %(date)s") % {
                "agreement": party.agreement.title, "date": long_date(party.waiting_since)},
            due=party.chase_on, overdue=party.chase_on < on,
            url=reverse("agreements:party_sign", args=[party.agreement_id, party.pk]),
        )


def dpo_reviews(user, *, on, now):
    """The DPO reviews ``user`` is to make before a party's lead signatory may sign, due when its
    signature would be chased."""
    for party in signatures_outstanding(parties_to_review_as_dpo(user)):
        yield DueItem(
            key=f"dpo-review-{party.pk}", kind=_("DPO review"),
            what=_("Review version %(version)s of %(agreement)s as DPO for %(organisation)s") % {
                "version": party.latest_label, "agreement": named(party.agreement),
                "organisation": party.organisation},
            about=_("%(agreement)s: waiting since %(date)s") % {
                "agreement": party.agreement.title, "date": long_date(party.waiting_since)},
            due=party.chase_on, overdue=party.chase_on < on,
            url=reverse("agreements:party_dpo_review", args=[party.agreement_id, party.pk]),
        )


def holdings(user, *, on, now):
    # The withdrawn partner's own people answer; the owner's managers see that it is awaited.
    own = user_organisation_ids(user, roles=[Role.SPOC, Role.GOVERNANCE_MANAGER])
    parties = Party.objects.filter(status=PartyStatus.WITHDRAWN, holdings__isnull=True).filter(
        Q(organisation_id__in=own) | Q(agreement__in=managed_agreements(user)),
    ).select_related("organisation", "agreement")
    for party in parties:
        yield DueItem(
            key=f"holdings-{party.pk}", kind=_("Withdrawal"),
            what=_("Confirm what %(organisation)s did with what it held under %(agreement)s") % {
                "organisation": party.organisation, "agreement": named(party.agreement)},
            about=_("Withdrew on %(date)s: returned, destroyed or retained") % {
                "date": long_date(party.withdrawal_effective_on)},
            due=party.withdrawal_effective_on, overdue=True,
            url=reverse("agreements:party_holdings", args=[party.agreement_id, party.pk])
            if party.organisation_id in own else reverse("agreements:parties", args=[party.agreement_id]),
        )


def dpia_screenings(user, *, on, now):
    # No date: the agreement is already in force; the screening is owed as soon as may be.
    for agreement in agreements_unscreened(managed_agreements(user)):
        yield DueItem(
            key=f"dpia-screening-{agreement.pk}", kind=_("DPIA"),
            what=_("Record whether %(agreement)s needs a DPIA") % {"agreement": named(agreement)},
            about=_("%(status)s: no DPIA screening is on record") % {"status": agreement.get_status_display()},
            due=None, overdue=False,
            url=reverse("agreements:dpia", args=[agreement.pk]),
        )


# Agreements whose parties can see them, and so can name their SPOC: sent out, and not yet ended.
SPOC_NAMED_FROM = (Status.CONSULTATION, Status.AWAITING_SIGNATURES, Status.IN_FORCE)
# Parties still to sign, whose lead signatory is wanted while the agreement is out for signature.
STILL_TO_SIGN = (PartyStatus.INVITED, PartyStatus.AWAITING_DETAILS)


def contacts_to_name(user, *, on, now):
    """Parties that have named no SPOC (the agreement page's "n parties have named no SPOC"), and
    parties still to sign an agreement out for signature that have named no lead signatory, for
    whoever may name them (``agreements.permissions.can_edit_party_contacts``): the managers of
    the agreement, and the party organisation's own governance managers and SPOCs. Undated:
    without a SPOC, what is shared with the party and its breach notices have nobody named to go
    to; without a lead signatory, nobody can sign for it in the portal. One query."""
    own = user_organisation_ids(user, roles=[Role.GOVERNANCE_MANAGER, Role.SPOC])
    named_as = lambda role: Exists(PartyContact.objects.filter(party=OuterRef("pk"), role=role))  # noqa: E731
    parties = (
        Party.objects.filter(Q(agreement__in=managed_agreements(user)) | Q(organisation_id__in=own))
        .filter(agreement__status__in=SPOC_NAMED_FROM)
        .exclude(status__in=(*NOT_TAKING_PART, PartyStatus.WITHDRAWAL_NOTIFIED)).in_being(on=on)
        .annotate(has_spoc=named_as(ContactRole.SPOC), signatory_wanted=ExpressionWrapper(
            ~named_as(ContactRole.LEAD_SIGNATORY) & Q(agreement__status=Status.AWAITING_SIGNATURES,
                                                      status__in=STILL_TO_SIGN),
            output_field=BooleanField()))
        .filter(Q(has_spoc=False) | Q(signatory_wanted=True))
        .select_related("agreement__owner", "organisation").order_by("pk")
    )
    for party in parties:
        values = {"organisation": party.organisation, "agreement": named(party.agreement)}
        url = reverse("agreements:party_contacts", args=[party.agreement_id, party.pk])
        if not party.has_spoc:
            yield DueItem(
                key=f"spoc-to-name-{party.pk}", kind=_("SPOC details"),
                what=_("Name %(organisation)s's SPOC for %(agreement)s") % values,
                about=_("Nobody is named to receive what is shared with it or to be told of a breach"),
                due=None, overdue=False, url=url,
            )
        if party.signatory_wanted:
            yield DueItem(
                key=f"signatory-to-name-{party.pk}", kind=_("Signature"),
                what=_("Name %(organisation)s's lead signatory for %(agreement)s") % values,
                about=_("Nobody can sign for it in the portal until one is named"),
                due=None, overdue=False, url=url,
            )
