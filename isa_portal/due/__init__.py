"""What is due and what is overdue: the reading behind "What's due" (``/due/``) and the daily
scheduler's reminders (``isa_portal.scheduler``). It composes each app's own selectors; the
clocks themselves (working days, calendar months, the ICO's hours) stay in the apps.

Who sees what on ``/due/`` — anyone signed in may open it, and sees only what the selectors
below let them read:

- a **SPOC or governance manager of an agreement's lead** (its owner), each open escalation of a
  refusal to share under it: decided "at pace" (004 §6.4), so overdue at once and listed first;
- a **governance manager**, across the agreements they manage: reviews due, by date (the
  scheduled review from the agreement's next review due, and each trigger such as a breach or a
  DPIA's review date) whether or not the daily scheduler has opened the review yet — one key
  per review, so the row, once open, takes the computed item's place — and their findings
  reports, parties still to sign (while a party's DPO review is awaited, that review instead:
  decision 0062, amended), the deadlines of breaches they manage and the Article 34
  decision on telling the people affected, rights and FOI requests they may see (extended ones
  marked), withdrawals to come, agreements in force with no DPIA screening (undated), their own
  organisation's ICO registration renewal and DSPT assessment lapsing within 30 days or lapsed, each
  party organisation of their agreements whose ICO registration or DSPT assessment has lapsed or
  lapses within 30 days (decision 0063, amended),
  and SPOCs of those agreements whose details are unconfirmed, and each party of them that has
  named no SPOC, or no lead signatory while it is still to sign (its own governance managers and
  SPOCs see those too);
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

The package: ``readings`` (shared with the scheduler), ``items`` (``DueItem``, ``DueList``), and a
module of readers for what each app holds: ``agreements``, ``sharing_log`` and ``partners``.
"""

import datetime
from dataclasses import replace

from django.utils import timezone

from .agreements import (
    affected_people,
    breach_notices,
    breaches,
    contacts_to_name,
    dpia_screenings,
    dpo_reviews,
    holdings,
    requests,
    reviews,
    signatures,
    to_sign,
    withdrawals,
)
from .items import ACKNOWLEDGE_WORKING_DAYS, COMING_UP_DAYS, SOON_DAYS, Counted, Deferred, DueItem, DueList, named
from .partners import dspt, ico, own_details, party_assurance, spoc_details, undelivered
from .readings import (
    NOT_TAKING_PART,
    SIGNATURE_CHASE_DAYS,
    SPOC_CONFIRM_MONTHS,
    breaches_managed_by,
    confirmation_due_on,
    dspt_renewals,
    findings_reports_outstanding,
    ico_renewals,
    managed_read_once,
    open_reviews,
    signatures_outstanding,
    spoc_contacts,
    spocs_unconfirmed,
    withdrawals_pending,
)
from .sharing_log import copies, escalations, onward, open_cases, overrides, people_to_tell, receipts

__all__ = [
    "ACKNOWLEDGE_WORKING_DAYS",
    "COMING_UP_DAYS",
    "NOT_TAKING_PART",
    "SIGNATURE_CHASE_DAYS",
    "SOON_DAYS",
    "SPOC_CONFIRM_MONTHS",
    "DueItem",
    "DueList",
    "DueSequence",
    "breaches_managed_by",
    "confirmation_due_on",
    "dspt_renewals",
    "due_counts",
    "due_for",
    "findings_reports_outstanding",
    "ico_renewals",
    "named",
    "open_reviews",
    "signatures_outstanding",
    "spoc_contacts",
    "spocs_unconfirmed",
    "withdrawals_pending",
]


# An item's key is kept from the first reader that gives it: ``dpo_reviews`` comes before
# ``signatures``, whose chase of a DPO's review shares its key (a manager who is the DPO reviews).
READERS = (escalations, reviews, dpo_reviews, signatures, breaches, affected_people, requests, withdrawals, ico,
           spoc_details, receipts, breach_notices, copies, onward, own_details, to_sign, people_to_tell, open_cases,
           undelivered, overrides, holdings, dpia_screenings, dspt, party_assurance,
           contacts_to_name)


class DueSequence:
    """Everything due for a person, overdue first, as a sequence a ``Paginator`` pages: the
    readers bounded by the agreements and organisations a person deals with are read whole;
    those that grow with the log (``Counted``) are counted in the database and, for a page, read
    only as far as that page reaches."""

    def __init__(self, user, *, on: datetime.date | None = None, now: datetime.datetime | None = None):
        self.now = now or timezone.now()
        self.on = on or timezone.localdate(self.now)
        self.counted: list[Counted] = []
        items: dict[str, DueItem | Deferred] = {}
        with managed_read_once():
            for reader in READERS:
                read = reader(user, on=self.on, now=self.now)
                if isinstance(read, Counted):
                    self.counted.append(read)
                    continue
                for item in read:
                    items.setdefault(item.key, item)
        self.small = sorted(items.values(), key=lambda item: item.sort_key())
        # Each source's (overdue, coming up), in one query: a part with nothing in it is not read.
        self.counts = counts = Counted.counts_of(self.counted)
        self.overdue_count = sum(item.overdue for item in self.small) + sum(overdue for overdue, _ in counts)
        self.coming_up_count = sum(not item.overdue for item in self.small) + sum(coming for _, coming in counts)

    def count(self) -> int:
        return self.overdue_count + self.coming_up_count

    def __len__(self) -> int:
        return self.count()

    def _part(self, *, overdue: bool, start: int, stop: int) -> list[DueItem]:
        """Items ``[start:stop]`` of the overdue part (or the coming up part). Each counted reader
        places its first ``stop`` rows from a few columns (``Counted.places``); the places are
        merged with the bounded items, and only the rows that fall on the page are read whole
        and made items, one query a reader that has any there."""
        if stop <= start:
            return []
        placed: list[tuple[tuple, int | None, DueItem | int]] = [
            (item.sort_key(), None, item) for item in self.small if item.overdue == overdue]
        for index, (source, (overdue_count, coming_up_count)) in enumerate(zip(self.counted, self.counts, strict=True)):
            if overdue_count if overdue else coming_up_count:
                placed += [(place, index, pk) for place, pk in source.places(overdue=overdue, limit=stop)]
        # Each place ends with its item's key, unique in the list: the sort never compares further.
        page = sorted(placed, key=lambda entry: entry[0])[start:stop]
        wanted: dict[int, list[int]] = {}
        for _place, index, pk in page:
            if index is not None:
                wanted.setdefault(index, []).append(pk)
        made = {index: self.counted[index].items(pks) for index, pks in wanted.items()}
        # A row acknowledged (or confirmed …) between the two queries is simply not shown.
        items = [item.make() if index is None else made[index].get(item) for _place, index, item in page]
        return [replace(item, status=_status(item, self.on)) for item in items if item is not None]

    def __getitem__(self, index: slice) -> list[DueItem]:
        start, stop, _ = index.indices(self.count())
        overdue = self._part(overdue=True, start=start, stop=min(stop, self.overdue_count))
        coming_up = self._part(overdue=False, start=max(start - self.overdue_count, 0),
                               stop=stop - self.overdue_count)
        return overdue + coming_up


def due_counts(user, *, on: datetime.date | None = None) -> tuple[int, int]:
    """(overdue, coming up) for ``user``: counted, not listed."""
    sequence = DueSequence(user, on=on)
    return sequence.overdue_count, sequence.coming_up_count


def due_for(user, *, on: datetime.date | None = None, now: datetime.datetime | None = None) -> DueList:
    """Everything due and overdue for ``user`` on ``on`` (today by default): overdue first,
    each part soonest due first. Every item, however many: the page reads a page at a time
    (``DueSequence``)."""
    ordered = DueSequence(user, on=on, now=now)[:]
    return DueList(overdue=[item for item in ordered if item.overdue],
                   coming_up=[item for item in ordered if not item.overdue])


def _status(item: DueItem, on: datetime.date) -> str:
    if item.overdue:
        return "overdue"
    if item.due is None:
        return "undated"
    day = timezone.localdate(item.due) if item.in_hours else item.due
    return "soon" if day <= on + datetime.timedelta(days=SOON_DAYS) else "due"
