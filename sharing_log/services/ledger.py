"""The log's hash chain (docs/decisions/0023): each service that writes the log appends an event
with ``log_event_append``, in the same transaction.

Which events: every write the log allows — an entry logged; amended (a correction, a voiding
or a notice of inaccuracy: one ``Amendment`` each); its receipt acknowledged; an onward
disclosure requested and decided; a refusal escalated and the escalation resolved; a recipient
asked about its copy and confirming it; the retention due date set (and taken away); and the
entry destroyed. Together they are the whole of what the log may say, so any row the chain does
not cover, or covers with another digest, was written around the services.

The event's ``content_digest`` is the SHA-256 of the canonical JSON of the record's content
(``CONTENT``); ``hash`` chains it to the event before. Appends are serialised — on PostgreSQL by a
transaction-level advisory lock, on SQLite by its single writer — so concurrent logging neither
forks the chain nor numbers two events alike (``seq`` is unique as well).
"""

import datetime
import hashlib
import json

from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone

from ..models.amendments import Amendment
from ..models.disclosures import Acknowledgement, Disclosure
from ..models.escalations import Escalation
from ..models.ledger import LogCheckpoint, LogEvent, LogEventKind
from ..models.onward import OnwardDisclosureRequest
from ..models.quality import RecipientDestructionConfirmation
from ..models.retention import Destruction

GENESIS = "0" * 64
# pg_advisory_xact_lock key: "sharing_log chain" in ASCII, folded into a signed 64-bit integer.
CHAIN_LOCK = 0x73686C6F67636861 - (1 << 63)

ESCALATION_DECISION = ("status", "outcome", "resolution_note", "resolved_by", "resolved_at")
ONWARD_DECISION = ("decision", "decided_by", "decided_at", "decision_reason")
COPY_DECISION = ("outcome", "confirmed_by", "confirmed_at")

# kind → (model, fields digested: a tuple of names, or ("-", *names) for all but those names).
CONTENT = {
    LogEventKind.LOGGED: (Disclosure, ("-", "retention_due_on", "purged_at")),
    LogEventKind.RETENTION_SET: (Disclosure, ("retention_due_on",)),
    LogEventKind.AMENDED: (Amendment, ("-",)),
    LogEventKind.ACKNOWLEDGED: (Acknowledgement, ("-",)),
    LogEventKind.ONWARD_REQUESTED: (OnwardDisclosureRequest, ("-", *ONWARD_DECISION)),
    LogEventKind.ONWARD_DECIDED: (OnwardDisclosureRequest, ONWARD_DECISION),
    LogEventKind.ESCALATED: (Escalation, ("-", *ESCALATION_DECISION)),
    LogEventKind.ESCALATION_RESOLVED: (Escalation, ESCALATION_DECISION),
    LogEventKind.COPY_REQUESTED: (RecipientDestructionConfirmation, ("-", *COPY_DECISION)),
    LogEventKind.COPY_CONFIRMED: (RecipientDestructionConfirmation, COPY_DECISION),
    LogEventKind.DESTROYED: (Destruction, ("-",)),
}

# kind that creates a record → kind that decides it (with the status field and its pending value).
CREATIONS = (LogEventKind.LOGGED, LogEventKind.AMENDED, LogEventKind.ACKNOWLEDGED, LogEventKind.ONWARD_REQUESTED,
             LogEventKind.ESCALATED, LogEventKind.COPY_REQUESTED, LogEventKind.DESTROYED)
DECISIONS = {
    LogEventKind.ONWARD_REQUESTED: (LogEventKind.ONWARD_DECIDED, "decision", "pending"),
    LogEventKind.ESCALATED: (LogEventKind.ESCALATION_RESOLVED, "status", "open"),
    LogEventKind.COPY_REQUESTED: (LogEventKind.COPY_CONFIRMED, "outcome", "pending"),
}


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def content_of(kind: str, record, *, gateway_ids=None) -> dict:
    """What the event of ``kind`` says about ``record``: its digested fields, by column.
    ``gateway_ids``: an entry's legal gateways' keys when already read."""
    model, names = CONTENT[kind]
    if names[:1] == ("-",):
        fields = [field for field in model._meta.concrete_fields if field.name not in names[1:]]
    else:
        fields = [model._meta.get_field(name) for name in names]
    content = {field.attname: _plain(field.value_from_object(record)) for field in fields}
    if kind == LogEventKind.LOGGED:
        # ``gateway_ids``: given by the logging service, or set on the record by a reader that
        # fetched every entry's gateways at once (the chain check).
        ids = gateway_ids if gateway_ids is not None else getattr(record, "gateway_ids", None)
        content["gateways"] = sorted(ids if ids is not None else (gateway.pk for gateway in record.gateways.all()))
    return content


def content_digest(kind: str, record, *, gateway_ids=None) -> str:
    return hashlib.sha256(canonical(content_of(kind, record, gateway_ids=gateway_ids))).hexdigest()


def event_hash(*, seq: int, kind: str, disclosure_id: int, record_id: int, at: datetime.datetime,
               content_digest: str, previous_hash: str) -> str:
    return hashlib.sha256(canonical({
        "seq": seq, "kind": str(kind), "disclosure": disclosure_id, "record": record_id, "at": _plain(at),
        "content": content_digest, "previous": previous_hash,
    })).hexdigest()


def _disclosure_id(record) -> int:
    return record.pk if isinstance(record, Disclosure) else record.disclosure_id


def _stored_and_head(kind: str, record):
    """``record`` as the database holds it, with (for an entry logged) its legal gateways' keys,
    and the chain's head (its ``seq`` and ``hash``, ``None`` for an empty chain): one query, where
    reading each would be three (issue 15)."""
    model = type(record)
    names = [field.attname for field in model._meta.concrete_fields]
    head = LogEvent.objects.order_by("-seq")
    with_gateways = kind == LogEventKind.LOGGED
    queryset = model._default_manager.filter(pk=record.pk).annotate(
        chain_head_seq=Subquery(head.values("seq")[:1]), chain_head_hash=Subquery(head.values("hash")[:1]),
    )
    rows = list(queryset.values_list(*names, "chain_head_seq", "chain_head_hash",
                                     *(["gateways"] if with_gateways else [])))
    if not rows:
        raise model.DoesNotExist(f"{model._meta.object_name} {record.pk} is not saved.")
    first = rows[0]
    stored = model.from_db(queryset.db, names, first[:len(names)])
    gateway_ids = [row[-1] for row in rows if row[-1] is not None] if with_gateways else None
    return stored, gateway_ids, first[len(names)], first[len(names) + 1]


@transaction.atomic(savepoint=False)
def log_event_append(*, kind: str, record) -> LogEvent:
    """Append the event ``kind`` of ``record`` (as saved) to the chain, in the caller's transaction
    (or one of its own). No savepoint of its own (issue 15: two queries an event): an append that
    fails fails the caller's transaction, which must not commit what the chain does not hold."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    # The digest is of the row as the database holds it, not of the object in memory.
    stored, gateway_ids, head_seq, head_hash = _stored_and_head(kind, record)
    seq, previous = (head_seq + 1, head_hash) if head_seq is not None else (1, GENESIS)
    event = LogEvent(seq=seq, kind=kind, disclosure_id=_disclosure_id(stored), record_id=stored.pk,
                     at=timezone.now().replace(microsecond=0),
                     content_digest=content_digest(kind, stored, gateway_ids=gateway_ids), previous_hash=previous)
    event.hash = event_hash(seq=event.seq, kind=event.kind, disclosure_id=event.disclosure_id,
                            record_id=event.record_id, at=event.at, content_digest=event.content_digest,
                            previous_hash=previous)
    event.save()
    return event



@transaction.atomic(savepoint=False)
def log_events_append(events: list[tuple[str, object]]) -> list[LogEvent]:
    """``log_event_append`` for many ``(kind, record)`` pairs at once, chained in the order given:
    the lock and the head once, each model's records read back as stored in one query, and the
    events written together (issue 15: the retention purge appends a few events an entry). Not for
    an entry logged (``LOGGED``), whose digest takes its legal gateways: ``log_event_append``."""
    if not events:
        return []
    if any(kind == LogEventKind.LOGGED for kind, _ in events):
        raise ValueError("An entry logged is appended on its own, with its legal gateways: log_event_append.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    # The digests are of the rows as the database holds them, not of the objects in memory.
    stored = {}
    for model in {type(record) for _, record in events}:
        names = [field.attname for field in model._meta.concrete_fields]
        pks, key = [record.pk for _, record in events if type(record) is model], names.index(model._meta.pk.attname)
        for row in model._default_manager.filter(pk__in=pks).order_by().values_list(*names):
            stored[model, row[key]] = model.from_db(connection.alias, names, row)
    missing = [record for _, record in events if (type(record), record.pk) not in stored]
    if missing:
        raise type(missing[0]).DoesNotExist(f"{type(missing[0])._meta.object_name} {missing[0].pk} is not saved.")
    head = LogEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, previous = head if head is not None else (0, GENESIS)
    at = timezone.now().replace(microsecond=0)
    appended = []
    for kind, record in events:
        row = stored[type(record), record.pk]
        seq += 1
        event = LogEvent(seq=seq, kind=kind, disclosure_id=_disclosure_id(row), record_id=row.pk, at=at,
                         content_digest=content_digest(kind, row), previous_hash=previous)
        event.hash = previous = event_hash(seq=event.seq, kind=event.kind, disclosure_id=event.disclosure_id,
                                           record_id=event.record_id, at=event.at,
                                           content_digest=event.content_digest, previous_hash=event.previous_hash)
        appended.append(event)
    return LogEvent.objects.bulk_create(appended)


def log_chain_adopt_existing() -> int:
    """Start the chain over what the log already holds (migration ``0006``, once, on a database
    logged to before the chain existed): every record's creation, decision and retention date
    gets its event, as if logged then. Later rows written around the services are not adopted:
    this runs only where the chain is empty. How many events it appended."""
    if LogEvent.objects.exists():
        return 0
    appended = 0
    for kind in CREATIONS:
        model = CONTENT[kind][0]
        for record in model._default_manager.order_by("pk"):
            log_event_append(kind=kind, record=record)
            appended += 1
            decided = DECISIONS.get(kind)
            if decided and getattr(record, decided[1]) != decided[2]:
                log_event_append(kind=decided[0], record=record)
                appended += 1
            if kind == LogEventKind.LOGGED and record.retention_due_on is not None:
                log_event_append(kind=LogEventKind.RETENTION_SET, record=record)
                appended += 1
    return appended


def log_checkpoint_record(report) -> LogCheckpoint | None:
    """Keep the head an intact check (``sharing_log.selectors.ledger.ChainReport``) reached, for
    the next day's check to start from (docs/decisions/0055); nothing for a broken chain, so the
    next check starts from the last good head again."""
    if not report.intact:
        return None
    return LogCheckpoint.objects.create(seq=report.head_seq, hash=report.head_hash, full=report.full,
                                        checked_at=timezone.now(), high_water=report.high_water)
