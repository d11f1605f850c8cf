"""Retention due dates (DOMAIN.md rule 8; issue 13 item 7): every entry gets the date on which it is
destroyed, by its agreement's rule.

- **A number of months after the case is closed** (001 §5.15: 18 months): closing the case sets the
  date (``services.closures``); while the case is open the entry has none, and a case open longer
  than the agreement's ``case_open_limit_months`` is flagged (``selectors.retention``).
- **A fixed period from the disclosure**: the entry's own date plus the period, set when it is logged.

When an agreement's rule is set or changed (``agreements.signals.retention_rule_set``) every entry
under it that has no due date gets the one the rule now gives it. An entry that has one keeps it.

The date is the one field of an entry written after it is logged, through
``disclosure_retention_set`` — on PostgreSQL through the SECURITY DEFINER function
``sharing_log_set_retention``, which checks the same rules (``sharing_log.database``, 0023).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from ..models.disclosures import AppendOnlyError, Disclosure
from ..models.ledger import LogEventKind
from ..selectors.closures import closure_of
from .ledger import log_event_append


def no_retention_rule_warning(agreement) -> str | None:
    """The warning for logging under ``agreement`` while it has no retention rule (an agreement
    loaded in force before the rule was required): its entries get no due date, so they will not
    be destroyed. Logging is not refused: the gate on coming into force stops new cases, and a
    refusal here would stop the record of sharing that happens anyway. ``None`` with a rule."""
    if agreement.retention_basis:
        return None
    return (f"{agreement} has no retention rule: entries logged under it will not be destroyed until its "
            "governance manager sets one.")


def _record_history(disclosure: Disclosure, *, by_user, fields) -> None:
    """The history row an update made by a database function leaves, as ``save()`` would have
    made it: django-simple-history writes history on ``post_save``, which that update has not sent."""
    disclosure._history_user = by_user
    post_save.send(sender=Disclosure, instance=disclosure, created=False, update_fields=frozenset(fields),
                   raw=False, using=connection.alias)


def fixed_retention_due(entry: Disclosure) -> datetime.date | None:
    """The due date a fixed period from the disclosure gives ``entry``; ``None`` when its
    agreement's rule is not a fixed period."""
    months = entry.agreement.retention_months_from_disclosure
    if months is None:
        return None
    return timezone.localdate(entry.occurred_at) + relativedelta(months=months)


def disclosure_retention_set(*, entry: Disclosure, due: datetime.date | None, by_user) -> None:
    """Write ``entry``'s retention due date, the one field of an entry that changes after it is
    logged. Under a fixed period from the disclosure it is that date and nothing else. Under a
    period after the case is closed it is none (the case is open), or the closing date plus the
    period — so never before the entry's own date plus that period, nor after today plus it.
    Anything else raises ``AppendOnlyError``: a date in the past would have the next scheduler
    run destroy the entry. On PostgreSQL the database function ``sharing_log_set_retention``
    writes it and checks the same rules."""
    if entry.purged_at is not None:
        raise AppendOnlyError("The entry is destroyed: it has no retention date to set.")
    fixed = fixed_retention_due(entry)
    if fixed is not None:
        if due != fixed:
            raise AppendOnlyError(f"The agreement keeps entries for a fixed period from the disclosure: this "
                                  f"entry's retention date is {fixed.isoformat()}.")
    elif due is not None:
        months = entry.agreement.retention_months_after_closure
        if months is None:
            raise AppendOnlyError("The agreement sets no retention period.")
        earliest = timezone.localdate(entry.occurred_at) + relativedelta(months=months)
        latest = timezone.localdate() + relativedelta(months=months)
        if not earliest <= due <= latest:
            raise AppendOnlyError(f"{due.isoformat()} is not a retention date the rules give this entry: it must "
                                  f"be between {earliest.isoformat()} and {latest.isoformat()}.")
    entry.retention_due_on = due
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sharing_log_set_retention(%s, %s)", [entry.pk, due])
        _record_history(entry, by_user=by_user, fields=Disclosure.RETENTION_FIELDS)
    else:
        entry._setting_retention = True
        entry._history_user = by_user
        try:
            entry.save(update_fields=list(Disclosure.RETENTION_FIELDS))
        finally:
            del entry._setting_retention
    log_event_append(kind=LogEventKind.RETENTION_SET, record=entry)


def disclosure_retention_on_logging(*, entry: Disclosure, by_user) -> None:
    """A newly logged entry under a fixed period from the disclosure gets its due date at once."""
    due = fixed_retention_due(entry)
    if due is not None:
        disclosure_retention_set(entry=entry, due=due, by_user=by_user)


def rule_retention_due(entry: Disclosure) -> datetime.date | None:
    """The due date the agreement's rule gives ``entry`` now: the fixed period from the
    disclosure, or its closed case's closing date plus the period; ``None`` while its case is
    open or the agreement has no rule."""
    fixed = fixed_retention_due(entry)
    if fixed is not None:
        return fixed
    months = entry.agreement.retention_months_after_closure
    closure = closure_of(entry) if months is not None else None
    if closure is None or not closure.is_closed:
        return None
    return closure.closed_on + relativedelta(months=months)


@transaction.atomic
def agreement_entries_retention_fill(*, agreement, by_user) -> int:
    """Give every entry under ``agreement`` that has no retention due date (and is not destroyed)
    the one its rule now gives it; returns how many got one. Entries that have a date keep it."""
    entries = (
        Disclosure.objects.select_for_update(of=("self",)).select_related("agreement")
        .filter(agreement=agreement, retention_due_on__isnull=True, purged_at__isnull=True).order_by("pk")
    )
    filled = 0
    for entry in entries:
        due = rule_retention_due(entry)
        if due is not None:
            disclosure_retention_set(entry=entry, due=due, by_user=by_user)
            filled += 1
    return filled
