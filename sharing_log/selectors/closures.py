"""Case closure (001 §5.15): the cases an organisation closed, and the retention dates that follow."""

from django.db.models import Q, QuerySet

from govuk_blocks.dates import long_date
from partners.models import Organisation
from partners.permissions import user_organisation_ids

from ..models.amendments import Amendment, AmendmentKind
from ..models.closures import CaseClosure
from ..models.disclosures import Disclosure
from ..permissions import AUDITORS, CASE_CLOSERS, READERS
from .amendments import current_case_reference
from .common import TimelineEvent, _person, _with_state


def retention_display(disclosure: Disclosure) -> str:
    """The entry's retention due date as its page shows it."""
    if disclosure.retention_due_on is None:
        return "Not set: it is set when the case is closed, from the agreement's retention period"
    months = disclosure.agreement.retention_months_after_closure
    after = f" – {months} months after the case was closed" if months is not None else ""
    return f"{long_date(disclosure.retention_due_on)}{after}"


def case_entries(*, organisation: Organisation, case_reference: str) -> list[Disclosure]:
    """The entries ``organisation`` logged under ``case_reference`` as it stands after
    corrections (any letter case), oldest first: the entries a closure of that case governs."""
    reference = case_reference.strip()
    if not reference:
        return []
    corrected = Amendment.objects.filter(
        kind=AmendmentKind.CORRECTION, changes__case_reference__iexact=reference,
    ).values("disclosure_id")
    candidates = _with_state(
        Disclosure.objects.filter(disclosing_organisation=organisation)
        .filter(Q(case_reference__iexact=reference) | Q(pk__in=corrected))
    ).order_by("occurred_at", "pk")
    # A match on a value a correction has since changed is another case now.
    return [entry for entry in candidates if current_case_reference(entry).lower() == reference.lower()]


def closures_visible_to(user) -> QuerySet[CaseClosure]:
    """Case closures of the organisations ``user`` reads or audits the log for."""
    own = user_organisation_ids(user, roles=READERS + AUDITORS)
    return CaseClosure.objects.filter(organisation_id__in=own).select_related(
        "organisation", "closed_by", "reopened_by",
    )


def closure_for_page(user, pk: int) -> QuerySet[CaseClosure]:
    return closures_visible_to(user).filter(pk=pk)


def closure_of(disclosure: Disclosure) -> CaseClosure | None:
    """The closure of the case ``disclosure`` was logged under, by its disclosing organisation."""
    return CaseClosure.objects.filter(
        organisation_id=disclosure.disclosing_organisation_id,
        case_reference__iexact=current_case_reference(disclosure),
    ).first()


def closure_by_reference(*, organisation: Organisation, case_reference: str) -> CaseClosure | None:
    return CaseClosure.objects.filter(organisation=organisation, case_reference__iexact=case_reference.strip()).first()


def case_closing_organisations(user) -> QuerySet[Organisation]:
    """The organisations ``user`` may close cases for."""
    return Organisation.objects.filter(pk__in=user_organisation_ids(user, roles=CASE_CLOSERS)).order_by("name")


def closure_timeline(closure: CaseClosure) -> list[TimelineEvent]:
    """Closed, date changed, re-opened, closed again: from the closure's history, with the
    reason given for each change."""
    events = []
    previous = None
    for row in closure.history.select_related("history_user").order_by("history_date", "history_id"):
        day = long_date(row.closed_on)
        if previous is None:
            title = f"Case closed on {day}"
        elif row.reopened_on is not None and previous.reopened_on is None:
            title = f"Case re-opened on {long_date(row.reopened_on)}: {row.reason}"
        elif row.reopened_on is None and previous.reopened_on is not None:
            title = f"Case closed again on {day}"
        elif row.closed_on != previous.closed_on:
            title = f"Closing date changed from {long_date(previous.closed_on)} to {day}: {row.reason}"
        else:
            previous = row
            continue
        events.append(TimelineEvent(title=title, by=_person(row.history_user), at=row.history_date))
        previous = row
    return events
