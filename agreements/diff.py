"""What changed between two versions of an agreement, in a form people can read.

Works on ``AgreementVersion.content`` (``agreements.selectors.agreement_content``): pure
functions, no queries. ``agreements.selectors.version_changes`` fetches the two versions and the
legal gateways' names and calls ``content_diff``.

- Sections are matched by number, then (for a renumbered or unnumbered one) by heading; each is
  added, removed or changed, and a changed one carries a word-level diff of its heading and body.
- Purposes, data items, gateways and transfer methods are lists: items added and removed, and
  (for purposes and data items) an item edited in place as a word-level change.
- The agreement's details and its retention and review rules: old and new value of each field
  that changed, with a word-level diff.

A word-level diff is a list of ``Segment``: text kept, inserted or deleted, which the templates
render as plain text, ``<ins>`` and ``<del>``.
"""

import difflib
import re
from dataclasses import dataclass, field

from .models import DataLevel, Kind, ProtectiveMarking, TransferMethod

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# Words (with any inner apostrophe or hyphen: "partner's", "anti-social"), punctuation marks
# and the whitespace between them, all kept, so joining the tokens gives the text back.
TOKENS = re.compile(r"\s+|\w+(?:['’-]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    op: str  # EQUAL, INSERT or DELETE
    text: str

    @property
    def is_insert(self) -> bool:
        return self.op == INSERT

    @property
    def is_delete(self) -> bool:
        return self.op == DELETE


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of ``old`` kept, deleted and inserted to make ``new``."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    segments: list[Segment] = []

    def add(op: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(EQUAL, before[i1:i2])
        else:
            add(DELETE, before[i1:i2])
            add(INSERT, after[j1:j2])
    return segments


@dataclass(frozen=True)
class ItemChange:
    """A list item (purpose, data item, gateway…) added, removed or changed."""

    change: str  # ADDED, REMOVED or CHANGED
    text: str  # the new text, or the old for a removed item
    segments: list[Segment] = field(default_factory=list)  # for CHANGED


def list_diff(old: list[str], new: list[str]) -> list[ItemChange]:
    """Items removed, added and edited in place between two ordered lists of texts."""
    changes: list[ItemChange] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = old[i1:i2], new[j1:j2]
        if tag == "replace":
            for before, after in zip(removed, added, strict=False):
                changes.append(ItemChange(CHANGED, after, word_diff(before, after)))
            removed, added = removed[len(added):], added[len(removed):]
        changes += [ItemChange(REMOVED, text) for text in removed]
        changes += [ItemChange(ADDED, text) for text in added]
    return changes


def set_diff(old: list[str], new: list[str], labels: dict[str, str]) -> list[ItemChange]:
    """Members removed from and added to an unordered list, named by ``labels``."""
    removed = [ItemChange(REMOVED, labels.get(key, key)) for key in old if key not in new]
    added = [ItemChange(ADDED, labels.get(key, key)) for key in new if key not in old]
    return sorted(removed, key=lambda c: c.text) + sorted(added, key=lambda c: c.text)


@dataclass(frozen=True)
class FieldChange:
    """One field of the agreement with its old and new value."""

    label: str
    old: str
    new: str

    @property
    def segments(self) -> list[Segment]:
        return word_diff(self.old, self.new)


@dataclass(frozen=True)
class SectionChange:
    change: str  # ADDED, REMOVED or CHANGED
    number: str
    heading: str
    body: str  # the whole text, for an added or removed section
    old_number: str = ""
    heading_segments: list[Segment] = field(default_factory=list)  # when the heading changed
    body_segments: list[Segment] = field(default_factory=list)  # when the body changed

    @property
    def title(self) -> str:
        return f"{self.number}. {self.heading}" if self.number else self.heading

    @property
    def renumbered(self) -> bool:
        return self.change == CHANGED and self.old_number != self.number


def _pair_sections(old: list[dict], new: list[dict]) -> dict[int, int]:
    """Pairs (new index → old index) of the same section: same number, else same heading."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for key in ("number", "heading"):
        for j, section in enumerate(new):
            if j in pairs or not section.get(key):
                continue
            for i, candidate in enumerate(old):
                if i not in taken and candidate.get(key) == section[key]:
                    pairs[j] = i
                    taken.add(i)
                    break
    return pairs


def section_diff(old: list[dict], new: list[dict]) -> list[SectionChange]:
    """Sections added, removed and changed, in the order of the new text (a removed section
    where it used to be)."""
    pairs = _pair_sections(old, new)
    placed: list[tuple[float, SectionChange]] = []
    for j, section in enumerate(new):
        if j not in pairs:
            placed.append((j, SectionChange(ADDED, section["number"], section["heading"], section["body"])))
            continue
        before = old[pairs[j]]
        if before == section:
            continue
        placed.append((j, SectionChange(
            CHANGED, section["number"], section["heading"], section["body"],
            old_number=before["number"],
            heading_segments=word_diff(before["heading"], section["heading"])
            if before["heading"] != section["heading"] else [],
            body_segments=word_diff(before["body"], section["body"]) if before["body"] != section["body"] else [],
        )))
    new_index_of = {i: j for j, i in pairs.items()}
    for i, section in enumerate(old):
        if i in new_index_of:
            continue
        # After the new place of the nearest earlier section that is still there.
        earlier = [new_index_of[k] for k in range(i) if k in new_index_of]
        position = (max(earlier) if earlier else -1) + 0.5
        placed.append((position, SectionChange(REMOVED, section["number"], section["heading"], section["body"])))
    return [change for _, change in sorted(placed, key=lambda pair: pair[0])]


def _months(value) -> str:
    if value in (None, ""):
        return "Not set"
    return f"{value} month" if value == 1 else f"{value} months"


def _choice(choices):
    labels = dict(choices)
    return lambda value: labels.get(value, value or "")


# (content key, label, how to show its value)
DETAIL_FIELDS = [
    ("title", "Title", str),
    ("reference", "Reference", str),
    ("kind", "Kind", _choice(Kind.choices)),
    ("parent", "Sits under", lambda value: value or "None"),
    ("owner", "Owner", str),
    ("protective_marking", "Protective marking", _choice(ProtectiveMarking.choices)),
    ("consent_position", "Consent", str),
]
RETENTION_REVIEW_FIELDS = [
    ("retention_months_after_closure", "Records destroyed after the case is closed", _months),
    ("retention_months_from_disclosure", "Records destroyed after the disclosure", _months),
    ("retention_rule", "Retention rule", str),
    ("review_first_after_months", "First review after", _months),
    ("review_every_months", "Then a review every", _months),
]


def _field_changes(old: dict, new: dict, fields) -> list[FieldChange]:
    changes = []
    for key, label, show in fields:
        if key not in old or key not in new or old[key] == new[key]:
            continue
        changes.append(FieldChange(label, show(old[key] if old[key] is not None else ""),
                                   show(new[key] if new[key] is not None else "")))
    return changes


# The terms a kind records beyond its sections (decision 0065), as the diff names them.
KIND_TERM_LABELS = {
    "rights_allocation": "Who answers which data subject rights", "contact_point": "Contact point for data subjects",
    "ico_breach_notifier": "Notifies a breach to the ICO",
    "subject_breach_notifier": "Tells the people affected by a breach",
    "controller": "Controller", "processor": "Processor", "article_28_terms": "Article 28(3) terms present",
    "sub_processors": "Sub-processors", "discloser": "Discloser", "recipient": "Recipient",
    "disclosures": "What is disclosed, and when",
}


def _kind_term_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(
            ", ".join(f"{key} {item[key]}" if key != "name" else str(item[key]) for key in item if item[key])
            if isinstance(item, dict) else str(item)
            for item in value
        )
    return "" if value is None else str(value)


def _kind_term_changes(old: dict, new: dict) -> list[FieldChange]:
    """What changed in the kind's terms (absent in content made before them: compared as empty)."""
    old_terms, new_terms = old.get("kind_terms") or {}, new.get("kind_terms") or {}
    return [
        FieldChange(label, _kind_term_text(old_terms.get(key)), _kind_term_text(new_terms.get(key)))
        for key, label in KIND_TERM_LABELS.items()
        if _kind_term_text(old_terms.get(key)) != _kind_term_text(new_terms.get(key))
    ]


def _data_item_text(item: dict) -> str:
    level = dict(DataLevel.choices).get(item.get("level"), item.get("level", ""))
    text = f"{item.get('provider', '')} ({level}): {item.get('description', '')}"
    if item.get("providers"):
        text += f" Provided by {', '.join(item['providers'])}."
    return text


@dataclass(frozen=True)
class VersionDiff:
    details: list[FieldChange]
    purposes: list[ItemChange]
    sections: list[SectionChange]
    data_items: list[ItemChange]
    gateways: list[ItemChange]
    transfer_methods: list[ItemChange]
    retention_review: list[FieldChange]

    @property
    def has_changes(self) -> bool:
        return any((self.details, self.purposes, self.sections, self.data_items, self.gateways,
                    self.transfer_methods, self.retention_review))

    def count(self, change: str) -> int:
        """How many sections were ``change`` (ADDED, REMOVED or CHANGED)."""
        return sum(1 for section in self.sections if section.change == change)

    @property
    def sections_added(self) -> int:
        return self.count(ADDED)

    @property
    def sections_removed(self) -> int:
        return self.count(REMOVED)

    @property
    def sections_changed(self) -> int:
        return self.count(CHANGED)


def content_diff(old: dict, new: dict, *, gateway_labels: dict[str, str] | None = None) -> VersionDiff:
    """Everything that changed from ``old`` to ``new`` (two versions' ``content``).

    A key missing from either (content saved before the key existed) is not compared.
    """
    def both(key: str) -> bool:
        return key in old and key in new

    return VersionDiff(
        details=[*_field_changes(old, new, DETAIL_FIELDS), *_kind_term_changes(old, new)],
        purposes=list_diff(old["purposes"], new["purposes"]) if both("purposes") else [],
        sections=section_diff(old["sections"], new["sections"]) if both("sections") else [],
        data_items=list_diff(
            [_data_item_text(item) for item in old["data_items"]],
            [_data_item_text(item) for item in new["data_items"]],
        ) if both("data_items") else [],
        gateways=set_diff(old["gateways"], new["gateways"], gateway_labels or {}) if both("gateways") else [],
        transfer_methods=set_diff(
            old["transfer_methods"], new["transfer_methods"], dict(TransferMethod.choices),
        ) if both("transfer_methods") else [],
        retention_review=_field_changes(old, new, RETENTION_REVIEW_FIELDS),
    )
