"""Verifying the log's hash chain (docs/decisions/0023 and 0055; ``manage.py verify_log_chain``).

The chain is checked link by link (numbering, each previous hash, each event's own hash); then
every record against the digest its events hold (an entry destroyed under the retention rule
keeps its links, and only its personal parts — which the purge took — go unchecked); then that
every record of the log has its events, so a row written around the services shows; and, given
a signed statement of the head kept outside the portal, that the chain still holds that head, so
a chain rewritten from some point on, or cut short, shows too. Every checkpoint the daily check
left must still lie on the chain.

Memory stays bounded whatever the size of the log (decision 0055): the links are read in
``chunk`` events at a time in ``seq`` order, and the records a range of entries at a time — an
entry with everything that points at it, its events and its functions' writes — by the keys
that index them. Key ranges cover every integer, so a row whose entry is gone still falls in one.

``log_chain_verify(since=checkpoint)`` is the daily check: the links from the checkpoint's head on
(and that the checkpoint still lies on the chain), and, in full, every entry an event since then
names or a row added since then points at (``LogCheckpoint.high_water``). What it cannot see — a
row written before the checkpoint and altered since, around the guards — the full check finds:
weekly in the daily run, and whenever ``manage.py verify_log_chain`` runs.
"""

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Q

from ..models.disclosures import Disclosure
from ..models.ledger import GuardedWrite, LogCheckpoint, LogEvent, LogEventKind
from ..services.ledger import CONTENT, CREATIONS, DECISIONS, GENESIS, content_digest, event_hash

Kind = LogEventKind
# Events whose content includes the personal parts the retention purge takes away.
PURGEABLE = {Kind.LOGGED, Kind.AMENDED, Kind.ONWARD_REQUESTED, Kind.ONWARD_DECIDED, Kind.ESCALATED,
             Kind.ESCALATION_RESOLVED}
EVENT_FIELDS = ("seq", "kind", "disclosure_id", "record_id", "at", "content_digest", "previous_hash", "hash")
# Events (or entries) read at a time: a few megabytes, whatever the size of the log.
CHUNK = 2000
# The write each database function leaves, by the event the services chain with it.
FUNCTIONS = {Kind.RETENTION_SET: "retention", Kind.DESTROYED: "purge",
             **{decided[0]: "decide" for decided in DECISIONS.values()}}
# Problems are reported links first, then by section in this order, each in its own order.
CONTENTS, RETENTION, COVERAGE, WRITES = range(4)


@dataclass
class ChainReport:
    events: int = 0  # events whose links were checked
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    # The check that made it: the whole chain, or what came since the checkpoint at ``since_seq``.
    full: bool = True
    since_seq: int = 0
    entries: int = 0  # entries whose records were checked
    # The highest key of every table of the log when the check began (the next checkpoint's).
    high_water: dict[str, int] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return not self.problems


def _label(event) -> str:
    return f"event {event.seq} ({event.kind}, entry {event.disclosure_id})"


# The tables of the log, and the highest key of each ---------------------------------------------


def _gateway_links():
    return Disclosure.gateways.through


def _tables() -> list:
    """Every table a row of the log can be written to, with the column naming its entry."""
    models = sorted({model for model, _ in CONTENT.values()} | {GuardedWrite, _gateway_links()},
                    key=lambda model: model._meta.label_lower)
    return [(model, "pk" if model is Disclosure else "disclosure_id") for model in models]


def log_high_water() -> dict[str, int]:
    """The highest key of every table of the log (0 for an empty one)."""
    return {model._meta.label_lower: model._default_manager.aggregate(top=Max("pk"))["top"] or 0
            for model, _ in _tables()}


# Links ----------------------------------------------------------------------------------------


def _links(report: ChainReport, *, after_seq: int, after_hash: str, chunk: int, statement: dict | None,
           checkpoints: dict[int, list[LogCheckpoint]]) -> None:
    """The events after ``after_seq`` (whose hash is ``after_hash``), ``chunk`` at a time; with
    the statement's head and the checkpoints each found where they say."""
    previous, expected, last = after_hash, after_seq + 1, after_seq
    held = statement is None
    seen_checkpoints = set()
    while True:
        events = LogEvent.objects.filter(seq__gt=last).order_by("seq")
        rows = list(events.values_list(*EVENT_FIELDS, named=True)[:chunk])
        for event in rows:
            if event.seq != expected:
                report.problems.append(f"Event {expected} is missing: the chain goes on at event {event.seq}.")
            elif event.previous_hash != previous:
                report.problems.append(
                    f"Event {event.seq} does not follow event {event.seq - 1}: its previous hash differs.")
            elif event_hash(seq=event.seq, kind=event.kind, disclosure_id=event.disclosure_id,
                            record_id=event.record_id, at=event.at, content_digest=event.content_digest,
                            previous_hash=event.previous_hash) != event.hash:
                report.problems.append(f"Event {event.seq} was altered: its hash does not match what it records.")
            if not held and event.seq == statement["head_seq"]:
                held = event.hash == statement["head_hash"]
            for checkpoint in checkpoints.get(event.seq, ()):
                seen_checkpoints.add(checkpoint.pk)
                if checkpoint.hash != event.hash:
                    report.problems.append(_checkpoint_off(checkpoint))
            previous, expected = event.hash, event.seq + 1
        report.events += len(rows)
        if rows:
            report.head_seq, report.head_hash = rows[-1].seq, rows[-1].hash
        if len(rows) < chunk:
            break
        last = rows[-1].seq
    if not held:
        report.problems.append(
            f"The chain no longer holds event {statement['head_seq']} as the statement of "
            f"{statement.get('issued_at', 'its date')} recorded it: it was rewritten or cut short.")
    for checkpoint in itertools.chain.from_iterable(checkpoints.values()):
        if checkpoint.pk not in seen_checkpoints and checkpoint.seq > after_seq:
            report.problems.append(_checkpoint_off(checkpoint))


def _checkpoint_off(checkpoint: LogCheckpoint) -> str:
    return (f"The checkpoint of {checkpoint.checked_at:%Y-%m-%d %H:%M} no longer lies on the chain: event "
            f"{checkpoint.seq} was rewritten or cut short since it was checked.")


# Records, a set of entries at a time ------------------------------------------------------------


def _rows(model, where: Q) -> dict[int, tuple]:
    """``model``'s rows matching ``where``, as named rows of their columns (what the digest
    reads, by attribute name), by key."""
    names = [f.attname for f in model._meta.concrete_fields]
    return {row.id: row for row in model._default_manager.filter(where).order_by().values_list(*names, named=True)}


def _entries(where: Callable[[str], Q], found: list) -> int:
    """Check every entry ``where`` selects (``where(column)``: the condition on a column naming
    an entry) with its records, events and functions' writes; problems into ``found`` as
    ``(section, order, message)``. How many entries were read."""
    records = {model: _rows(model, where(column)) for model, column in _tables()
               if model not in (GuardedWrite, _gateway_links())}
    gateways: dict[int, list[int]] = {}
    for entry_id, gateway_id in (_gateway_links().objects.filter(where("disclosure_id"))
                                 .values_list("disclosure_id", "legalgateway_id")):
        gateways.setdefault(entry_id, []).append(gateway_id)
    events = list(LogEvent.objects.filter(where("disclosure_id")).order_by("seq").values_list(*EVENT_FIELDS,
                                                                                                named=True))
    entries = records[Disclosure]

    def digest(kind, record):
        return content_digest(kind, record, gateway_ids=gateways.get(record.id, []) if kind == Kind.LOGGED else None)

    # Every event's record holds what the event says of it.
    purged = {pk for pk, entry in entries.items() if entry.purged_at is not None}
    latest_retention = {}
    for event in events:
        record = records[CONTENT[event.kind][0]].get(event.record_id)
        if record is None:
            found.append((CONTENTS, event.seq, f"The record of {_label(event)} is gone."))
        elif event.kind == Kind.RETENTION_SET:
            latest_retention[event.disclosure_id] = event
        elif not (event.disclosure_id in purged and event.kind in PURGEABLE) and (
                digest(event.kind, record) != event.content_digest):
            found.append((CONTENTS, event.seq, f"The record of {_label(event)} has changed since it was chained."))
    for pk, entry in entries.items():
        event = latest_retention.get(pk)
        if event is None and entry.retention_due_on is not None:
            found.append((RETENTION, pk, f"Entry {pk} has a retention due date the chain does not record."))
        elif event is not None and digest(event.kind, entry) != event.content_digest:
            found.append((RETENTION, pk, f"Entry {pk}'s retention due date is not the one {_label(event)} recorded."))

    # Every record has its events.
    chained = {(event.kind, event.record_id) for event in events}
    for position, kind in enumerate(CREATIONS):
        model = CONTENT[kind][0]
        for pk, record in records[model].items():
            entry = pk if model is Disclosure else record.disclosure_id
            if (kind, pk) not in chained:
                found.append((COVERAGE, (position, pk, 0), f"{model._meta.verbose_name.capitalize()} {pk} (entry "
                              f"{entry}) is not in the chain: it was written around the portal's services."))
            decided = DECISIONS.get(kind)
            if decided and getattr(record, decided[1]) != decided[2] and (decided[0], pk) not in chained:
                found.append((COVERAGE, (position, pk, 1), f"The decision of {model._meta.verbose_name} {pk} (entry "
                              f"{entry}) is not in the chain: it was written around the portal's services."))

    # Every function's write has its event.
    chained_writes: dict[tuple, int] = {}
    for event in events:
        if event.kind in FUNCTIONS:
            key = (FUNCTIONS[event.kind], event.disclosure_id)
            chained_writes[key] = chained_writes.get(key, 0) + 1
    written: dict[tuple, int] = {}
    for write in GuardedWrite.objects.filter(where("disclosure_id")).order_by("at", "pk").values_list(
            "pk", "kind", "disclosure_id", "at", named=True):
        key = (write.kind, write.disclosure_id)
        written[key] = written.get(key, 0) + 1
        if written[key] > chained_writes.get(key, 0):
            found.append((WRITES, (write.at, write.pk), f"A database function wrote entry {write.disclosure_id} "
                          f"({write.kind}, {write.at:%Y-%m-%d %H:%M}) with no event in the chain."))
    return len(entries)


def _between(low: int | None, high: int | None) -> Callable[[str], Q]:
    def where(column: str) -> Q:
        condition = Q()
        if low is not None:
            condition &= Q(**{f"{column}__gt": low})
        if high is not None:
            condition &= Q(**{f"{column}__lte": high})
        return condition

    return where


def _among(ids: list[int]) -> Callable[[str], Q]:
    return lambda column: Q(**{f"{column}__in": ids})


def _every_entry(report: ChainReport, found: list, chunk: int) -> None:
    """Every entry, ``chunk`` at a time in key order; the ranges between them cover every key, so a
    record or event naming an entry that does not exist is read too."""
    low = None
    while True:
        keys = list(Disclosure._default_manager.filter(_between(low, None)("pk")).order_by("pk")
                    .values_list("pk", flat=True)[:chunk])
        high = keys[-1] if len(keys) == chunk else None
        report.entries += _entries(_between(low, high), found)
        if high is None:
            return
        low = high


def _touched_since(checkpoint: LogCheckpoint) -> set[int]:
    """The entries an event after ``checkpoint`` names, or a row added to the log since points at."""
    touched = set(LogEvent.objects.filter(seq__gt=checkpoint.seq).values_list("disclosure_id", flat=True).distinct())
    for model, column in _tables():
        top = checkpoint.high_water.get(model._meta.label_lower, 0)
        touched.update(model._default_manager.filter(pk__gt=top).values_list(column, flat=True).distinct())
    return touched


def _some_entries(report: ChainReport, found: list, ids: Iterable[int], chunk: int) -> None:
    ordered = iter(sorted(ids))
    while batch := list(itertools.islice(ordered, chunk)):
        report.entries += _entries(_among(batch), found)


# The check ------------------------------------------------------------------------------------


def log_chain_verify(*, statement: dict | None = None, since: LogCheckpoint | None = None,
                     chunk: int = CHUNK) -> ChainReport:
    """The whole chain checked, ``chunk`` events or entries at a time. ``statement``
    (``{"head_seq": …, "head_hash": …}``, its signature checked by the caller) is a head the chain
    must still hold. ``since``: check only what came after that checkpoint (the daily check,
    decision 0055). Problems come first link first."""
    report = ChainReport(full=since is None, since_seq=since.seq if since else 0, high_water=log_high_water())
    if since is None:
        checkpoints: dict[int, list[LogCheckpoint]] = {}
        for checkpoint in LogCheckpoint.objects.order_by("pk"):
            checkpoints.setdefault(checkpoint.seq, []).append(checkpoint)
        _links(report, after_seq=0, after_hash=GENESIS, chunk=chunk, statement=statement, checkpoints=checkpoints)
    else:
        report.head_seq, report.head_hash = since.seq, since.hash
        held = LogEvent.objects.filter(seq=since.seq).values_list("hash", flat=True).first() if since.seq else GENESIS
        if held != since.hash:
            report.problems.append(_checkpoint_off(since))
        _links(report, after_seq=since.seq, after_hash=since.hash, chunk=chunk, statement=statement, checkpoints={})
    found: list = []
    if since is None:
        _every_entry(report, found, chunk)
    else:
        _some_entries(report, found, _touched_since(since), chunk)
    report.problems.extend(message for _, _, message in sorted(found, key=lambda problem: problem[:2]))
    return report


def log_checkpoint_latest(*, full: bool | None = None) -> LogCheckpoint | None:
    """The latest checkpoint (of a full check, if ``full``)."""
    checkpoints = LogCheckpoint.objects.order_by("-pk")
    if full is not None:
        checkpoints = checkpoints.filter(full=full)
    return checkpoints.first()


def log_chain_head() -> LogEvent | None:
    return LogEvent.objects.order_by("-seq").first()


def organisation_names(organisation_ids) -> list[str]:
    """The names a statement is issued to."""
    from partners.models import Organisation

    return list(Organisation.objects.filter(pk__in=organisation_ids).order_by("name").values_list("name", flat=True))
