"""Verifying the log's hash chain (docs/decisions/0023; ``manage.py verify_log_chain``).

The chain is checked link by link (numbering, each previous hash, each event's own hash); then
every record against the digest its events hold (an entry destroyed under the retention rule
keeps its links, and only its personal parts — which the purge took — go unchecked); then that
every record of the log has its events, so a row written around the services shows; and, given
a signed statement of the head kept outside the portal, that the chain still holds that head, so
a chain rewritten from some point on, or cut short, shows too.
"""

from dataclasses import dataclass, field

from ..models.disclosures import Disclosure
from ..models.ledger import GuardedWrite, LogEvent, LogEventKind
from ..services.ledger import CONTENT, CREATIONS, DECISIONS, GENESIS, content_digest, event_hash

Kind = LogEventKind
# Events whose content includes the personal parts the retention purge takes away.
PURGEABLE = {Kind.LOGGED, Kind.AMENDED, Kind.ONWARD_REQUESTED, Kind.ONWARD_DECIDED, Kind.ESCALATED,
             Kind.ESCALATION_RESOLVED}
EVENT_FIELDS = ("seq", "kind", "disclosure_id", "record_id", "at", "content_digest", "previous_hash", "hash")


@dataclass
class ChainReport:
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _label(event: LogEvent) -> str:
    return f"event {event.seq} ({event.kind}, entry {event.disclosure_id})"


def _links(events: list[LogEvent], report: ChainReport) -> None:
    previous, expected = GENESIS, 1
    for event in events:
        if event.seq != expected:
            report.problems.append(f"Event {expected} is missing: the chain goes on at event {event.seq}.")
        elif event.previous_hash != previous:
            report.problems.append(
                f"Event {event.seq} does not follow event {event.seq - 1}: its previous hash differs.")
        elif event_hash(seq=event.seq, kind=event.kind, disclosure_id=event.disclosure_id, record_id=event.record_id,
                        at=event.at, content_digest=event.content_digest,
                        previous_hash=event.previous_hash) != event.hash:
            report.problems.append(f"Event {event.seq} was altered: its hash does not match what it records.")
        previous, expected = event.hash, event.seq + 1


def _records() -> dict:
    records = {}
    for model in {model for model, _ in CONTENT.values()}:
        records[model] = {record.pk: record for record in model._default_manager.all()}
    # Every entry's gateways in one read of the link table, as ids: what the digest holds (issue 15:
    # a prefetch built a query and a gateway object for each of them).
    gateways: dict[int, list[int]] = {}
    for entry_id, gateway_id in Disclosure.gateways.through.objects.values_list("disclosure_id", "legalgateway_id"):
        gateways.setdefault(entry_id, []).append(gateway_id)
    for pk, entry in records[Disclosure].items():
        entry.gateway_ids = gateways.get(pk, [])
    return records


def _contents(events: list[LogEvent], records: dict, report: ChainReport) -> None:
    purged = {pk for pk, entry in records[Disclosure].items() if entry.purged_at is not None}
    latest_retention = {}
    for event in events:
        record = records[CONTENT[event.kind][0]].get(event.record_id)
        if record is None:
            report.problems.append(f"The record of {_label(event)} is gone.")
        elif event.kind == Kind.RETENTION_SET:
            latest_retention[event.disclosure_id] = event
        elif not (event.disclosure_id in purged and event.kind in PURGEABLE) and (
                content_digest(event.kind, record) != event.content_digest):
            report.problems.append(f"The record of {_label(event)} has changed since it was chained.")
    for pk, entry in records[Disclosure].items():
        event = latest_retention.get(pk)
        if event is None and entry.retention_due_on is not None:
            report.problems.append(f"Entry {pk} has a retention due date the chain does not record.")
        elif event is not None and content_digest(event.kind, entry) != event.content_digest:
            report.problems.append(f"Entry {pk}'s retention due date is not the one {_label(event)} recorded.")


def _coverage(events: list[LogEvent], records: dict, report: ChainReport) -> None:
    chained = {(event.kind, event.record_id) for event in events}
    for kind in CREATIONS:
        model = CONTENT[kind][0]
        for pk, record in records[model].items():
            entry = pk if model is Disclosure else record.disclosure_id
            if (kind, pk) not in chained:
                report.problems.append(f"{model._meta.verbose_name.capitalize()} {pk} (entry {entry}) is not in "
                                       "the chain: it was written around the portal's services.")
            decided = DECISIONS.get(kind)
            if decided and getattr(record, decided[1]) != decided[2] and (decided[0], pk) not in chained:
                report.problems.append(f"The decision of {model._meta.verbose_name} {pk} (entry {entry}) is not in "
                                       "the chain: it was written around the portal's services.")
    # The write each function leaves, by the event the services chain with it.
    functions = {Kind.RETENTION_SET: "retention", Kind.DESTROYED: "purge",
                 **{decided[0]: "decide" for decided in DECISIONS.values()}}
    chained_writes = {}
    for event in events:
        if event.kind in functions:
            key = (functions[event.kind], event.disclosure_id)
            chained_writes[key] = chained_writes.get(key, 0) + 1
    written = {}
    for write in GuardedWrite.objects.all():
        key = (write.kind, write.disclosure_id)
        written[key] = written.get(key, 0) + 1
        if written[key] > chained_writes.get(key, 0):
            report.problems.append(f"A database function wrote entry {write.disclosure_id} ({write.kind}, "
                                   f"{write.at:%Y-%m-%d %H:%M}) with no event in the chain.")


def log_chain_verify(*, statement: dict | None = None) -> ChainReport:
    """The whole chain checked; ``statement`` (``{"head_seq": …, "head_hash": …}``, its signature
    checked by the caller) is a head the chain must still hold. Problems come first link first."""
    # As named rows, not model instances: building a million of those was most of the check's time.
    events = list(LogEvent.objects.order_by("seq").values_list(*EVENT_FIELDS, named=True))
    report = ChainReport(events=len(events))
    if events:
        report.head_seq, report.head_hash = events[-1].seq, events[-1].hash
    _links(events, report)
    if statement is not None:
        held = next((event for event in events if event.seq == statement["head_seq"]), None)
        if held is None or held.hash != statement["head_hash"]:
            report.problems.append(
                f"The chain no longer holds event {statement['head_seq']} as the statement of "
                f"{statement.get('issued_at', 'its date')} recorded it: it was rewritten or cut short.")
    records = _records()
    _contents(events, records, report)
    _coverage(events, records, report)
    return report


def log_chain_head() -> LogEvent | None:
    return LogEvent.objects.order_by("-seq").first()


def organisation_names(organisation_ids) -> list[str]:
    """The names a statement is issued to."""
    from partners.models import Organisation

    return list(Organisation.objects.filter(pk__in=organisation_ids).order_by("name").values_list("name", flat=True))
