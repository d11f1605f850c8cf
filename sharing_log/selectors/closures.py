"""Case closure (001 §5.15): the cases an organisation closed, and the retention dates that follow."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import CharField, Count, Exists, F, Min, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, Trim
from django.utils import timezone

from agreements.models import Agreement
from govuk_blocks.dates import long_date
from partners.models import Organisation
from partners.permissions import user_organisation_ids

from ..models.closures import CaseClosure
from ..models.disclosures import Disclosure
from ..permissions import AUDITORS, CASE_CLOSERS, READERS
from .amendments import corrections_in_order, current_case_reference, with_case_reference, with_corrections
from .common import TimelineEvent, _person, _with_state


def retention_display(disclosure: Disclosure) -> str:
    """The entry's retention due date as its page shows it."""
    agreement = disclosure.agreement
    if disclosure.retention_due_on is None:
        if not agreement.retention_basis:
            return f"Not set. {agreement.retention_summary}"
        return "Not set: it is set when the case is closed, from the agreement's retention period"
    if agreement.retention_months_from_disclosure is not None:
        return f"{long_date(disclosure.retention_due_on)} – {agreement.retention_months_from_disclosure} months " \
               "after the disclosure"
    months = agreement.retention_months_after_closure
    after = f" – {months} months after the case was closed" if months is not None else ""
    return f"{long_date(disclosure.retention_due_on)}{after}"


@dataclass(frozen=True)
class OpenCase:
    """A case still open longer than its agreement allows before it is flagged: its entries are
    kept until it closes, so while it stays open they are never destroyed (issue 13 item 7)."""

    organisation: Organisation
    case_reference: str
    agreement: Agreement
    open_since: datetime.date
    flagged_on: datetime.date
    entries: int

    @property
    def key(self) -> str:
        return f"{self.organisation.pk}-{self.agreement.pk}-{self.case_reference.lower()}"

    @property
    def why(self) -> str:
        limit = self.agreement.case_open_limit_months
        return (f"Open since {long_date(self.open_since)}: {self.agreement.reference or self.agreement.title} "
                f"flags a case still open after {limit} month{'s' if limit != 1 else ''}, because its "
                "records are destroyed only once the case is closed")


# What an open case shows of its agreement and its organisation (``OpenCase.why``, the reminders).
_CASE_AGREEMENT = ("agreement__reference", "agreement__title", "agreement__case_open_limit_months")
_CASE_ORGANISATION = ("disclosing_organisation__name",)


def _partial(model, **values):
    """An instance of ``model`` with only ``values`` read, as ``.only()`` reads it (the others
    deferred): ``from_db`` takes the values in the order of the model's fields."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db("default", names, [values[name] for name in names])


def _open_case_rows(entries: QuerySet[Disclosure]) -> QuerySet:
    """``entries`` (annotated with their ``reference``) of open cases, one row a reference as
    written, agreement and organisation, with the first entry's time and the number of entries."""
    return (
        entries.exclude(reference="")
        # A case closed (and not re-opened) is not open: left out here, not read to be skipped.
        .exclude(Exists(CaseClosure.objects.filter(
            organisation_id=OuterRef("disclosing_organisation_id"), case_reference__iexact=OuterRef("reference"),
            reopened_on__isnull=True,
        )))
        .values("disclosing_organisation_id", "agreement_id", "reference", *_CASE_AGREEMENT, *_CASE_ORGANISATION)
        .order_by()
        .annotate(first_at=Min("occurred_at"), entries=Count("pk"))
    )


def cases_open_too_long(*, organisation_ids, on: datetime.date, within_days: int = 0) -> list[OpenCase]:
    """The cases of ``organisation_ids`` whose entries wait for the case to close (a retention
    rule after closure, no due date yet) and that have been open — since their first entry, or
    since they were re-opened — for their agreement's ``case_open_limit_months`` by ``on``
    (plus ``within_days``), longest open first."""
    # Grouped in the database (issue 15): one row a case reference as written (after
    # corrections, trimmed) with its first entry and its number of entries, not one an entry.
    # The letter cases of one reference are merged here, as the closure's lookup ignores case.
    # The corrected reference is looked up only for the entries whose reference was corrected
    # (a few in a hundred): the others' is their own, so no look-up runs once an entry in each
    # place the reference is used (the filter, the closures' anti-join, the grouping).
    corrected = corrections_in_order().filter(disclosure=OuterRef("pk"), changes__has_key="case_reference")
    latest = Subquery(
        corrected.order_by("-made_at", "-pk").annotate(value=KeyTextTransform("case_reference", "changes"))
        .values("value")[:1], output_field=CharField(),
    )
    entries = Disclosure.objects.filter(
        disclosing_organisation_id__in=organisation_ids, retention_due_on__isnull=True, purged_at__isnull=True,
        agreement__retention_months_after_closure__isnull=False,
    )
    as_written = entries.exclude(Exists(corrected)).annotate(reference=Trim(F("case_reference")))
    as_corrected = entries.filter(Exists(corrected)).annotate(
        reference=Trim(Coalesce(latest, F("case_reference"), output_field=CharField())))
    rows = _open_case_rows(as_written).union(_open_case_rows(as_corrected), all=True)
    groups: dict[tuple, dict] = {}
    for row in sorted(rows, key=lambda row: (row["first_at"], row["reference"])):
        key = (row["disclosing_organisation_id"], row["reference"].lower(), row["agreement_id"])
        if key in groups:
            groups[key]["entries"] += row["entries"]
        else:
            groups[key] = row
    if not groups:
        return []
    reopened = {
        (closure.organisation_id, closure.case_reference.lower()): closure.reopened_on
        for closure in CaseClosure.objects.filter(organisation_id__in=organisation_ids, reopened_on__isnull=False)
        .only("organisation_id", "case_reference", "reopened_on")
    }
    horizon = on + datetime.timedelta(days=within_days)
    flagged = []
    for (organisation_id, reference, agreement_id), group in groups.items():
        open_since = reopened.get((organisation_id, reference)) or timezone.localdate(group["first_at"])
        flagged_on = open_since + relativedelta(months=group["agreement__case_open_limit_months"])
        if flagged_on <= horizon:
            # The agreement and the organisation as ``.only()`` would read them, from the group's
            # row: made only for the cases flagged (a third of the groups at a million entries).
            agreement = _partial(Agreement, id=agreement_id,
                                 **{field.split("__")[1]: group[field] for field in _CASE_AGREEMENT})
            flagged.append(OpenCase(
                organisation=_partial(Organisation, id=organisation_id, name=group["disclosing_organisation__name"]),
                case_reference=group["reference"],
                agreement=agreement, open_since=open_since, flagged_on=flagged_on, entries=group["entries"],
            ))
    return sorted(flagged, key=lambda case: (case.flagged_on, case.case_reference))


def case_entries(*, organisation: Organisation, case_reference: str) -> list[Disclosure]:
    """The entries ``organisation`` logged under ``case_reference`` as it stands after
    corrections (any letter case), oldest first: the entries a closure of that case governs."""
    reference = case_reference.strip()
    if not reference:
        return []
    candidates = with_corrections(_with_state(
        with_case_reference(Disclosure.objects.filter(disclosing_organisation=organisation), reference)
    )).order_by("occurred_at", "pk")
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


def closure_visible_to(user, closure: CaseClosure) -> bool:
    """Whether ``closures_visible_to(user)`` holds ``closure``, from the user's memberships alone."""
    return user.is_authenticated and closure.organisation_id in user_organisation_ids(user, roles=READERS + AUDITORS)


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


def cases_open_too_long_visible_to(user, *, on: datetime.date) -> list[OpenCase]:
    """The cases open too long of the organisations ``user`` reads or audits the log for."""
    return cases_open_too_long(organisation_ids=user_organisation_ids(user, roles=READERS + AUDITORS), on=on)
