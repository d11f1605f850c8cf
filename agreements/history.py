"""The audit trail of an agreement, as people read it: who changed what, from what, to what.

django-simple-history keeps a historical row for every save of an agreement and of the
records that make it up. ``agreements.selectors.agreement_history`` gathers those rows; this
module turns one row (and the row before it) into a ``HistoryEntry`` with values worded for a
reader: fields by their labels, choices by their labels, related records by name, dates as
GOV.UK writes them, long text cut to an excerpt around the point where it changed, and each
change as a phrase ("Status changed from Draft to In force", "Review date set to 1 April 2027
(was not set)").
"""

import datetime
import os
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from simple_history.utils import get_m2m_reverse_field_name

from govuk_blocks.dates import date_time, long_date
from partners.models import Contact, Organisation

from .models import Agreement, AgreementVersion, Party, TransferMethod

# Who made a change that no signed-in person made. The demo loader marks the rows it writes
# with this change reason; any other row without a user was written by the portal itself
# (a management command, the scheduler).
DEMO_CHANGE_REASON = "Demo data"
DEMO_AUTHOR = "Demo data"
SYSTEM_AUTHOR = "System"

# Longer text than this is shown as an excerpt, starting a little before the first change.
EXCERPT_CHARS = 120
EXCERPT_LEAD_CHARS = 30

# Bookkeeping, not substance: never shown as a change.
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "trigger_key"}
# Frozen or hashed content: say that it changed, without printing it.
OPAQUE_FIELDS = {"content": "changed (compare the versions to see how)"}

# Labels where the field's own name reads poorly on a history page.
LABELS = {
    "gateways": "Legal gateways", "providers": "Provided by", "provider_label": "Provider, as the agreement names it",
    "qa_reviewers": "QA reviewers", "qa_group_name": "QA group", "qa_required": "QA review required",
    "body": "Text", "content": "Text and terms", "content_hash": "Fingerprint of the text",
    "ecins_user": "ECINS user", "member_of": "Member of", "reviewers": "Reviewers",
    "position": "Place in the list", "substantive": "Substantive change", "text_held": "Text held in the portal",
    "trigger": "Prompted by", "version": "Version",
    "review_first_after_months": "First review after (months)", "review_every_months": "Review every (months)",
    "review_overdue_grace_days": "Days before a late review counts as overdue",
    "resigning_grace_days": "Days allowed to sign a new version",
    "retention_months_after_closure": "Keep shared records for (months after the case closes)",
    "retention_months_from_disclosure": "Keep shared records for (months after sharing)",
    "case_open_limit_months": "Longest a case may stay open (months)",
    "breach_notify_working_days": "Tell the partners of a breach within (working days)",
    "breach_notify_without_undue_delay": "Tell the partners of a breach without undue delay",
    "breach_report_working_days": "Report a breach within (working days)",
    "breach_meeting_working_days": "Partners meet about a breach within (working days)",
    "breach_minutes_working_days": "Minutes of the breach meeting within (working days)",
}

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# A value that is not set (empty text, no date, no related record): its phrase says so.
NOTHING = ""


class HistoryKind:
    """What a history entry is about: the history page filters by these."""

    AGREEMENT = "agreement"
    PURPOSES = "purposes"
    SECTIONS = "sections"
    PARTIES = "parties"
    PEOPLE = "people"
    DATA = "data"
    VERSIONS = "versions"
    SIGNATURES = "signatures"
    REVIEWS = "reviews"

    choices = [
        (AGREEMENT, "The agreement’s details"),
        (PURPOSES, "Purposes"),
        (SECTIONS, "Sections"),
        (PARTIES, "Parties"),
        (PEOPLE, "People named for parties"),
        (DATA, "Data to be shared"),
        (VERSIONS, "Versions"),
        (SIGNATURES, "Signatures"),
        (REVIEWS, "Reviews"),
    ]


@dataclass(frozen=True)
class FieldChange:
    """One field's change; ``old`` or ``new`` is ``NOTHING`` when that value was not set."""

    label: str
    old: str = NOTHING
    new: str = NOTHING
    note: str = ""
    quoted: bool = False  # free text, quoted in the phrase so where it starts and ends is clear

    @property
    def phrase(self) -> str:
        """What happened to the field, after its label: "changed from Draft to In force"."""
        if self.note:
            return self.note
        old, new = (f"“{value}”" if self.quoted else value for value in (self.old, self.new))
        if self.old == NOTHING:
            return f"set to {new} (was not set)"
        if self.new == NOTHING:
            return f"removed (was {old})"
        return f"changed from {old} to {new}"

    def __str__(self) -> str:
        return f"{self.label} {self.phrase}"


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str  # "created", "changed" or "deleted"
    record: str  # which record, e.g. "Section 3. Data protection"
    changes: list[FieldChange] = field(default_factory=list)
    kind: str = HistoryKind.AGREEMENT

    @property
    def title(self) -> str:
        return f"{self.record} {self.action}"


def author(row) -> str:
    """The person who made the change, or "Demo data" / "System" when nobody signed in did."""
    user = row.history_user
    if user is not None:
        return user.get_full_name() or user.get_username()
    if row.history_change_reason == DEMO_CHANGE_REASON:
        return DEMO_AUTHOR
    return SYSTEM_AUTHOR


def excerpt(text: str, *, start: int = 0, limit: int = EXCERPT_CHARS) -> str:
    """``limit`` characters of ``text`` from about ``start``, with an ellipsis where cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    begin = max(0, min(start, len(text) - limit))
    if begin and text[begin - 1] != " ":  # start at a word, not inside one
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < begin + 20 else begin
    piece = text[begin:begin + limit].strip()
    return f"{'…' if begin else ''}{piece}{'…' if begin + limit < len(text) else ''}"


def text_change(old: str, new: str) -> tuple[str, str]:
    """Both texts, cut to excerpts starting just before the first difference when long."""
    old, new = " ".join((old or "").split()), " ".join((new or "").split())
    if len(old) <= EXCERPT_CHARS and len(new) <= EXCERPT_CHARS:
        return old or NOTHING, new or NOTHING
    same = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        same += 1
    start = max(0, same - EXCERPT_LEAD_CHARS)
    return excerpt(old, start=start) or NOTHING, excerpt(new, start=start) or NOTHING


class Names:
    """Names of related records for a history page, each looked up once.

    Historical rows point at records by primary key and the record may since have been
    deleted: then the name says so.
    """

    def __init__(self):
        self._cache: dict[tuple[type, object], str] = {}

    def prime(self, model, names: dict) -> None:
        """Know ``{pk: name}`` of ``model`` in advance: one query for many rows."""
        self._cache.update({(model, pk): name for pk, name in names.items()})

    def of(self, model, pk) -> str:
        if pk is None:
            return NOTHING
        key = (model, pk)
        if key not in self._cache:
            self._cache[key] = self._look_up(model, pk)
        return self._cache[key]

    def _look_up(self, model, pk) -> str:
        if model is Party:  # a party is known by its organisation, even once removed
            organisation_id = (
                Party.history.filter(id=pk).order_by("-history_date")
                .values_list("organisation_id", flat=True).first()
            )
            return self.of(Organisation, organisation_id) if organisation_id else "a removed party"
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            return f"a deleted {model._meta.verbose_name}"
        if model is get_user_model():
            return obj.get_full_name() or obj.get_username()
        if model is AgreementVersion:
            return f"version {obj.label}"
        if model in (Contact, Organisation):
            return obj.name
        if model is Agreement:
            return obj.title
        return str(obj)


def display(model_field, value, names: Names) -> str:
    """One stored value as a reader expects to see it."""
    if value is None or value == "" or value == []:
        return NOTHING
    if model_field.name == "transfer_methods":
        labels = dict(TransferMethod.choices)
        return ", ".join(labels.get(method, method) for method in value)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return names.of(model_field.related_model, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return date_time(value)
    if isinstance(value, datetime.date):
        return long_date(value)
    if model_field.name.endswith("hash"):
        return f"{value[:12]}…"
    if model_field.name == "scan":
        return os.path.basename(str(value))
    return str(value)


def field_label(model_field) -> str:
    label = LABELS.get(model_field.name) or str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def field_changes(row, before, names: Names) -> list[FieldChange]:
    """What changed between ``before`` and ``row``, two historical rows of one record."""
    delta = row.diff_against(before, excluded_fields=HIDDEN_FIELDS)
    changes = []
    for change in delta.changes:
        original = row.instance_type._meta.get_field(change.field)
        label = field_label(original)
        if change.field in OPAQUE_FIELDS:
            changes.append(FieldChange(label=label, note=OPAQUE_FIELDS[change.field]))
        elif original.many_to_many:
            changes.append(FieldChange(
                label=label, old=m2m_names(original, change.old, names),
                new=m2m_names(original, change.new, names),
            ))
        else:
            historical = row._meta.get_field(change.field)
            old, new = values(historical, change.old, change.new, names)
            changes.append(FieldChange(label=label, old=old, new=new, quoted=is_free_text(historical)))
    return changes


def is_free_text(model_field) -> bool:
    """Text a person wrote (not a choice, a hash or a file name)."""
    return (
        isinstance(model_field, models.CharField | models.TextField) and not model_field.choices
        and not model_field.name.endswith("hash") and model_field.name != "scan"
    )


def values(model_field, old, new, names: Names) -> tuple[str, str]:
    """The old and new value of one field; free text as excerpts around the change."""
    if is_free_text(model_field):
        return text_change(old or "", new or "")
    return display(model_field, old, names), display(model_field, new, names)


def m2m_names(m2m_field, rows: list[dict], names: Names) -> str:
    """The related records in a snapshot of an m2m field, by name."""
    target = get_m2m_reverse_field_name(m2m_field)
    related = m2m_field.related_model
    labels = sorted(names.of(related, row[target]) for row in rows)
    return "; ".join(labels) or NOTHING


def entry(row, before, *, record: str, names: Names, kind: str = HistoryKind.AGREEMENT) -> HistoryEntry | None:
    """The entry for one historical row; ``None`` for a save that changed nothing shown."""
    action = ACTIONS.get(row.history_type, "changed")
    changes = []
    if row.history_type == "~" and before is not None:
        changes = field_changes(row, before, names)
        if not changes:
            return None
    return HistoryEntry(
        when=row.history_date, who=author(row), action=action, record=record, changes=changes, kind=kind,
    )
