"""Case closure (001 §5.15; DOMAIN.md rule 8): an organisation closes one of its case
references, and every entry it logged under that reference gets a retention due date — the
closing date plus its agreement's retention period (18 months under the CSP ISA). Changing the
closing date moves the due dates; re-opening the case takes them away until it closes again.

Which entries: those the closing organisation logged — what it shared and what it decided not
to share. The case reference is the disclosing organisation's own (``Disclosure.case_reference``)
and the originating organisation keeps the record of what it shared (001 §5.14); an entry an
organisation received carries the sender's reference and follows the sender's closure.

Entries are append-only: the due date is written through ``disclosure_retention_set``, the one
update of an entry the log allows (on PostgreSQL, through a database function), and the entry's
history records each change with who made it.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from govuk_blocks.dates import long_date
from partners.models import Organisation
from partners.permissions import user_organisation_ids

from ..models.closures import CaseClosure
from ..models.disclosures import Disclosure
from ..permissions import CASE_CLOSERS, can_manage_case
from ..selectors.closures import case_entries, closure_by_reference
from .disclosures import Problems
from .retention_dates import disclosure_retention_set

REASON_LIMIT = 1000


def retention_due(*, closed_on: datetime.date, months: int | None) -> datetime.date | None:
    """``months`` calendar months after ``closed_on``, or ``None`` when the agreement sets no
    period. A day the month lacks becomes its last day: 31 August 2026 + 18 months is
    29 February 2028, and 31 August 2025 + 18 months is 28 February 2027."""
    if months is None:
        return None
    return closed_on + relativedelta(months=months)


def _set_retention(entries: list[Disclosure], *, closed_on: datetime.date | None, by_user) -> None:
    """Give each entry the due date that ``closed_on`` sets for it (none when ``None``). An entry
    kept for a fixed period from the disclosure keeps its date: the case's closing does not
    change it (``retention_dates``)."""
    for entry in entries:
        if entry.purged_at is not None or entry.agreement.retention_months_from_disclosure is not None:
            continue
        due = None if closed_on is None else retention_due(
            closed_on=closed_on, months=entry.agreement.retention_months_after_closure,
        )
        if entry.retention_due_on == due:
            continue
        disclosure_retention_set(entry=entry, due=due, by_user=by_user)


def _closing_date_problems(problems: Problems, closed_on: datetime.date | None, entries: list[Disclosure]) -> None:
    if closed_on is None:
        problems.add("closed_on", "Enter the date the case closed.")
    elif closed_on > timezone.localdate():
        problems.add("closed_on", "The date the case closed must be today or in the past.")
    elif entries:
        latest = max(timezone.localdate(entry.occurred_at) for entry in entries)
        if closed_on < latest:
            problems.add("closed_on", f"The case has an entry on {long_date(latest)}: it cannot have closed before "
                                      "then. Enter the date it closed.")


def _reason_problems(problems: Problems, reason: str, *, missing: str) -> None:
    if not reason.strip():
        problems.add("reason", missing)
    elif len(reason.strip()) > REASON_LIMIT:
        problems.add("reason", "The reason must be 1,000 characters or fewer.")


def _save(closure: CaseClosure, by_user) -> None:
    closure._history_user = by_user
    closure.full_clean(validate_constraints=False, validate_unique=False)
    closure.save()


@transaction.atomic
def case_close(
    *, by_user, organisation: Organisation, case_reference: str, closed_on: datetime.date | None,
) -> CaseClosure:
    """Close ``organisation``'s case ``case_reference`` on ``closed_on`` — or close it again
    after it was re-opened — and set the retention due date of every entry it logged under it."""
    if organisation.pk not in user_organisation_ids(by_user, roles=CASE_CLOSERS):
        raise PermissionDenied(f"Only a SPOC or governance manager of {organisation} may close its cases.")
    problems = Problems()
    reference = case_reference.strip()
    entries = case_entries(organisation=organisation, case_reference=reference)
    existing = closure_by_reference(organisation=organisation, case_reference=reference) if reference else None
    if existing is not None:
        existing = CaseClosure.objects.select_for_update().get(pk=existing.pk)
    if not reference:
        problems.add("case_reference", "Enter the case reference.")
    elif existing is not None and existing.is_closed:
        problems.add("case_reference", f"Case {existing.case_reference} was closed on {long_date(existing.closed_on)}. "
                                       "To move the date, change the closure.")
    elif not entries:
        problems.add("case_reference", f"{organisation} has logged nothing under the case reference {reference}. "
                                       "Check the reference.")
    _closing_date_problems(problems, closed_on, entries)
    if (existing is not None and not existing.is_closed and closed_on is not None
            and "closed_on" not in problems and closed_on < existing.reopened_on):
        problems.add("closed_on", f"The case was re-opened on {long_date(existing.reopened_on)}: "
                                  "enter a closing date on or after it.")
    problems.raise_if_any()

    if existing is None:
        closure = CaseClosure(organisation=organisation, case_reference=reference, closed_on=closed_on,
                              closed_by=by_user)
        try:
            with transaction.atomic():
                _save(closure, by_user)
        except IntegrityError:
            raise ValidationError({"case_reference": [
                f"Case {reference} was closed a moment ago by someone else. Check the closed cases."
            ]}) from None
    else:
        closure = existing
        closure.closed_on, closure.closed_by = closed_on, by_user
        closure.reopened_on, closure.reopened_by, closure.reason = None, None, ""
        _save(closure, by_user)
    _set_retention(entries, closed_on=closed_on, by_user=by_user)
    return closure


def _locked(closure: CaseClosure, by_user, doing: str) -> CaseClosure:
    if not can_manage_case(by_user, closure):
        raise PermissionDenied(f"Only a SPOC or governance manager of {closure.organisation} may {doing}.")
    return CaseClosure.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=closure.pk)


@transaction.atomic
def case_closure_change(*, closure: CaseClosure, by_user, closed_on: datetime.date | None, reason: str) -> CaseClosure:
    """Move the closing date of a closed case, with the reason; the entries' due dates move too."""
    closure = _locked(closure, by_user, "change the date its case closed")
    if not closure.is_closed:
        raise ValidationError({NON_FIELD_ERRORS: [
            f"The case was re-opened on {long_date(closure.reopened_on)}: close it again instead."
        ]})
    entries = case_entries(organisation=closure.organisation, case_reference=closure.case_reference)
    problems = Problems()
    _closing_date_problems(problems, closed_on, entries)
    if closed_on == closure.closed_on:
        problems.add("closed_on", "This is the closing date already: enter the date the case really closed.")
    _reason_problems(problems, reason, missing="Give the reason the closing date is changing.")
    problems.raise_if_any()

    closure.closed_on, closure.closed_by, closure.reason = closed_on, by_user, reason.strip()
    _save(closure, by_user)
    _set_retention(entries, closed_on=closed_on, by_user=by_user)
    return closure


@transaction.atomic
def case_reopen(*, closure: CaseClosure, by_user, reason: str) -> CaseClosure:
    """Re-open a closed case today, with the reason: its entries lose their retention due
    dates until it closes again, because the retention clock runs from the closing."""
    closure = _locked(closure, by_user, "re-open its cases")
    if not closure.is_closed:
        raise ValidationError({NON_FIELD_ERRORS: [
            f"The case was re-opened on {long_date(closure.reopened_on)} already.",
        ]})
    problems = Problems()
    _reason_problems(problems, reason, missing="Give the reason the case is being re-opened.")
    problems.raise_if_any()

    closure.reopened_on, closure.reopened_by, closure.reason = timezone.localdate(), by_user, reason.strip()
    _save(closure, by_user)
    entries = case_entries(organisation=closure.organisation, case_reference=closure.case_reference)
    _set_retention(entries, closed_on=None, by_user=by_user)
    return closure
