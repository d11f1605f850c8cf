"""What is due of the sharing log: refusals escalated to decide, receipts to acknowledge, copies to
confirm, requests to pass information on, people to tell, cases open too long, and overrides to
confirm."""

import datetime
from functools import partial

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agreements import clocks
from agreements.models import Jurisdiction
from govuk_blocks.dates import long_date
from partners.permissions import user_organisation_ids
from sharing_log.models import ConfirmationReason
from sharing_log.permissions import CASE_CLOSERS
from sharing_log.selectors import (
    cases_open_too_long,
    confirmations_awaiting,
    disclosures_awaiting_acknowledgement,
    escalations_to_decide,
    onward_requests_to_decide,
    overrides_to_confirm,
    people_to_tell_for,
)

from .items import ACKNOWLEDGE_WORKING_DAYS, COMING_UP_DAYS, Counted, Deferred, DueItem, named


def undated(*, kind: str, prefix: str):
    """How a reader whose items nothing dates, listed in the order of their rows, places a row."""
    def place(row):
        return DueItem.place(due=None, urgent=False, kind=kind, rank=(row["pk"],), key=f"{prefix}-{row['pk']}")
    return place


def escalations(user, *, on, now) -> Counted:
    """Refusals to share escalated to the agreement's lead, for its SPOCs and governance managers
    who decide them: "at pace" (004 §6.4), so each is overdue from the moment it is raised, and
    listed first."""
    def item(escalation):
        disclosure = escalation.disclosure
        return DueItem(
            key=f"escalation-{escalation.pk}", kind=_("Escalation"),
            what=_("Decide the refusal %(organisation)s escalated to keep a child safe") % {
                "organisation": escalation.raised_by_organisation},
            about=_("Raised on %(date)s under %(agreement)s: decide it at pace") % {
                "date": long_date(timezone.localdate(escalation.raised_at)), "agreement": named(disclosure.agreement)},
            due=escalation.raised_at, overdue=True, urgent=True, url=escalation.get_absolute_url(),
            rank=(escalation.pk,),
        )
    def place(row):
        return DueItem.place(due=row["raised_at"], urgent=True, kind=_("Escalation"), rank=(row["pk"],),
                             key=f"escalation-{row['pk']}")
    return Counted(escalations_to_decide(user), overdue=True, item=item, fields=("raised_at",), place=place)


def receipts_overdue(*, on) -> Q:
    """Receipts overdue on ``on``: shared on or before the last day whose next working day (in
    the agreement's jurisdiction) is before ``on``."""
    overdue = Q(pk__in=[])
    for jurisdiction in Jurisdiction.values:
        shared_on = on - datetime.timedelta(days=1)
        while clocks.add_working_days(shared_on, ACKNOWLEDGE_WORKING_DAYS, jurisdiction=jurisdiction) >= on:
            shared_on -= datetime.timedelta(days=1)
        next_day = timezone.make_aware(datetime.datetime.combine(shared_on + datetime.timedelta(days=1),
                                                                 datetime.time.min))
        overdue |= Q(agreement__jurisdiction=jurisdiction, occurred_at__lt=next_day)
    return overdue


def receipts(user, *, on, now) -> Counted:
    # Read oldest first: within a jurisdiction the later the share, the later the receipt is due.
    def due_on(occurred_at, jurisdiction):
        return clocks.add_working_days(timezone.localdate(occurred_at), ACKNOWLEDGE_WORKING_DAYS,
                                       jurisdiction=jurisdiction)

    def item(entry):
        shared_on = timezone.localdate(entry.occurred_at)
        due = due_on(entry.occurred_at, entry.agreement.jurisdiction)
        return DueItem(
            key=f"receipt-{entry.pk}", kind=_("Receipt"),
            what=_("Acknowledge receipt from %(organisation)s") % {"organisation": entry.disclosing_organisation},
            about=_("Shared with %(organisation)s on %(date)s") % {
                "organisation": entry.recipient_organisation, "date": long_date(shared_on)},
            due=due, overdue=due < on, url=reverse("sharing_log:detail", args=[entry.pk]),
            rank=(entry.occurred_at, entry.pk),
        )
    def place(row):
        return DueItem.place(due=due_on(row["occurred_at"], row["agreement__jurisdiction"]), urgent=False,
                             kind=_("Receipt"), rank=(row["occurred_at"], row["pk"]), key=f"receipt-{row['pk']}")
    return Counted(disclosures_awaiting_acknowledgement(user), overdue=receipts_overdue(on=on), item=item,
                   fields=("occurred_at", "agreement__jurisdiction"), place=place)


def copies(user, *, on, now) -> Counted:
    def item(confirmation):
        retention = confirmation.reason == ConfirmationReason.RETENTION
        return DueItem(
            key=f"copy-{confirmation.pk}", kind=_("Copy"),
            what=_("Destroy your copy and confirm it") if retention
            else _("Correct or destroy your copy and confirm it"),
            about=_("%(reason)s: information %(disclosing)s shared, held by %(holder)s") % {
                "reason": confirmation.get_reason_display(),
                "disclosing": confirmation.disclosure.disclosing_organisation, "holder": confirmation.organisation},
            due=None, overdue=False,
            url=reverse("sharing_log:copy_confirm", args=[confirmation.pk]), rank=(confirmation.pk,),
        )
    return Counted(confirmations_awaiting(user).order_by("pk"), overdue=False, item=item, fields=(),
                   place=undated(kind=_("Copy"), prefix="copy"))


def onward(user, *, on, now) -> Counted:
    def item(request):
        return DueItem(
            key=f"onward-{request.pk}", kind=_("Passing on"),
            what=_("Decide whether %(organisation)s may pass information on") % {
                "organisation": request.disclosure.recipient_organisation},
            about=_("To %(third_party)s, asked on %(date)s") % {
                "third_party": request.third_party, "date": long_date(timezone.localdate(request.requested_at))},
            due=None, overdue=False, url=reverse("sharing_log:onward_decide", args=[request.pk]),
            rank=(request.pk,),
        )
    return Counted(onward_requests_to_decide(user).order_by("pk"), overdue=False, item=item, fields=(),
                   place=undated(kind=_("Passing on"), prefix="onward"))


def people_to_tell(user, *, on, now) -> Counted:
    def item(entry):
        return DueItem(
            key=f"tell-{entry.pk}", kind=_("Telling the person"),
            what=_("Tell the person entry %(pk)s is about that their information was shared") % {"pk": entry.pk},
            about=_("Shared with %(organisation)s on %(date)s") % {
                "organisation": entry.recipient_organisation, "date": long_date(timezone.localdate(entry.occurred_at))},
            due=entry.subject_told_by, overdue=entry.subject_told_by < on,
            url=reverse("sharing_log:detail", args=[entry.pk]), rank=(entry.pk,),
        )
    def place(row):
        return DueItem.place(due=row["subject_told_by"], urgent=False, kind=_("Telling the person"),
                             rank=(row["pk"],), key=f"tell-{row['pk']}")
    return Counted(people_to_tell_for(user), overdue=Q(subject_told_by__lt=on), item=item,
                   fields=("subject_told_by",), place=place)


def open_cases(user, *, on, now):
    """Cases of the user's organisations open longer than their agreement allows: while a case
    stays open its records are never destroyed (issue 13 item 7). Placed from their dates, and
    made items only for the page that shows them (``Deferred``): one organisation can have
    hundreds (issue 15)."""
    organisations = user_organisation_ids(user, roles=CASE_CLOSERS)
    kind = _("Open case")

    def item(case):
        return DueItem(
            key=f"open-case-{case.key}", kind=kind,
            what=_("Close case %(reference)s if it has ended") % {"reference": case.case_reference},
            about=f"{case.organisation}: {case.why}",
            due=case.flagged_on, overdue=case.flagged_on <= on,
            url=reverse("sharing_log:case_close") + "?" + urlencode({"case_reference": case.case_reference}),
        )
    for case in cases_open_too_long(organisation_ids=organisations, on=on, within_days=COMING_UP_DAYS):
        key = f"open-case-{case.key}"
        yield Deferred(key=key, overdue=case.flagged_on <= on, make=partial(item, case),
                       place=DueItem.place(due=case.flagged_on, urgent=False, kind=kind, rank=(), key=key))


def overrides(user, *, on, now) -> Counted:
    # Confirmed as soon as may be: nothing sets a date.
    def item(authorisation):
        disclosure = authorisation.disclosure
        return DueItem(
            key=f"override-{authorisation.pk}", kind=_("Override"),
            what=_("Confirm you authorised the override on entry %(pk)s") % {"pk": disclosure.pk},
            about=f"{disclosure.disclosing_organisation}: {named(disclosure.agreement)}",
            due=None, overdue=False, url=authorisation.get_absolute_url(), rank=(authorisation.pk,),
        )
    return Counted(overrides_to_confirm(user).order_by("pk"), overdue=False, item=item, fields=(),
                   place=undated(kind=_("Override"), prefix="override"))
