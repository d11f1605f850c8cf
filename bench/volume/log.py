"""The log itself, generated in time order and written in bulk.

Entries are numbered in the order they were recorded, over the three years before ``today``.
Each belongs to a case of its disclosing organisation (``CASE-000123``: pseudonymous), under one
agreement; a case runs for days to months and most are closed some days after their last entry,
which gives every entry of the case its retention due date (the agreement's months after the
closure). ``due_for_destruction`` entries, exactly, get a date that has come; every other closed
case a date still to come.

What follows an entry — its acknowledgement, a correction or voiding, the closure of its case
with each entry's retention date — happens later and waits in a heap until the timeline reaches
it, so the hash chain's events come in the order of their times, as the portal would have
chained them. Each event's ``content_digest`` and ``hash`` are computed by
``sharing_log.services.ledger``'s own functions, from the record as it is written.

Rows go out through ``sink.TableSink`` a batch at a time (``batch`` entries and whatever
happened meanwhile), each batch in one transaction: an entry's legal gateways and Article 9
conditions must be inserted in the transaction that inserted the entry (the log's trigger).
"""

import bisect
import datetime
import heapq
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, transaction

from partners.models import Role
from sharing_log.models import (
    Acknowledgement,
    Amendment,
    AmendmentKind,
    CaseClosure,
    Decision,
    Disclosure,
    GuardedWrite,
    LogEvent,
    LogEventKind,
)
from sharing_log.services.ledger import GENESIS, content_digest, event_hash

from .indexes import process_cpu_seconds
from .parents import Parents
from .shape import entry_content
from .sink import TableSink, next_id, sequences_reset

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """As PostgreSQL's ``date + make_interval(months => n)``: the same day, or the month's last."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


class Record:
    """A row as ``sharing_log.services.ledger.content_of`` reads a saved record: its values by
    attribute name, and an entry's legal gateways (``record.gateways.all()``). Lighter than a
    model instance, of which a million would take minutes to make."""

    class _Gateways(list):
        def all(self):
            return [Record({"pk": pk}) for pk in self]

    def __init__(self, values: dict, gateways=()):
        self.__dict__.update(values)
        self.gateways = self._Gateways(gateways)


@dataclass
class Case:
    reference: str
    organisation_id: int
    active_until: datetime.datetime
    closed_on: datetime.date | None
    due: datetime.date | None
    counts_as_due: bool
    entry_ids: list[int] = field(default_factory=list)


@dataclass
class Counts:
    entries: int = 0
    shared: int = 0
    gateways: int = 0
    art9: int = 0
    acknowledgements: int = 0
    amendments: int = 0
    closures: int = 0
    with_retention: int = 0
    due_for_destruction: int = 0
    events: int = 0


def _history_model_of(model, through_suffix: str):
    history = model.history.model
    for relation in history._meta.related_objects:
        if relation.related_model._meta.db_table.endswith(through_suffix):
            return relation.related_model
    raise LookupError(through_suffix)


class LogWriter:
    def __init__(self, rng: random.Random, parents: Parents, *, today: datetime.date, due_for_destruction: int,
                 batch: int, pipeline: bool = True, log=print):
        self.rng, self.parents, self.today, self.log = rng, parents, today, log
        self.due_target, self.batch = due_for_destruction, batch
        self.end = datetime.datetime.combine(today, datetime.time(0), UTC)
        self.counts = Counts()
        gateway_through, art9_through = Disclosure.gateways.through, Disclosure.art9_conditions.through
        # Written in this order: an entry before its gateways (the trigger looks for it).
        sink = TableSink
        self.entries, self.gateway_rows, self.art9_rows = sink(Disclosure), sink(gateway_through), sink(art9_through)
        self.entry_history = sink(Disclosure.history.model)
        self.gateway_history = sink(_history_model_of(Disclosure, "_gateways"))
        self.art9_history = sink(_history_model_of(Disclosure, "_art9_conditions"))
        self.acks, self.ack_history = sink(Acknowledgement), sink(Acknowledgement.history.model)
        self.amendments, self.amendment_history = sink(Amendment), sink(Amendment.history.model)
        self.closures, self.closure_history = sink(CaseClosure), sink(CaseClosure.history.model)
        self.guarded, self.events = sink(GuardedWrite), sink(LogEvent)
        self.sinks = [self.entries, self.gateway_rows, self.art9_rows, self.entry_history, self.gateway_history,
                      self.art9_history, self.acks, self.ack_history, self.amendments, self.amendment_history,
                      self.closures, self.closure_history, self.guarded, self.events]
        self.ids = {s.model: next_id(s.model) for s in self.sinks}
        head = LogEvent.objects.order_by("-seq").values("seq", "hash").first()
        self.seq, self.previous = (head["seq"], head["hash"]) if head else (0, GENESIS)
        self.heap: list = []
        self.commit_seconds = 0.0
        # A writer thread on PostgreSQL, outside any transaction of the caller's (a test's rows
        # are in its own transaction, which another connection cannot see).
        self.pending = None
        self.writer_pid, self.writer_cpu = None, None  # the writer's database process, its CPU seconds
        self.writer = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="volume-writer")
                       if pipeline and connection.vendor == "postgresql" and not connection.in_atomic_block else None)
        self.tiebreak = 0
        self.cases: dict[tuple[int, int], list[Case]] = {}
        self.case_number = CaseClosure.objects.count() + Disclosure.objects.count()
        self.database_user = connection.settings_dict.get("USER") or "volume"
        self.write_guarded = self._may_insert(GuardedWrite)
        weights = [plan.weight for plan in parents.agreements]
        self.cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.entry_names = [name for name in self.entry_history.attnames if name in self.entries.attnames]

    # Numbering, chaining and scheduling ---------------------------------------------------------

    def _next(self, sink: TableSink) -> int:
        number = self.ids[sink.model]
        self.ids[sink.model] = number + 1
        return number

    def _chain(self, kind: str, *, disclosure_id: int, record_id: int, at: datetime.datetime, digest: str) -> None:
        self.seq += 1
        digest_hash = event_hash(seq=self.seq, kind=kind, disclosure_id=disclosure_id, record_id=record_id, at=at,
                                 content_digest=digest, previous_hash=self.previous)
        self.events.add({"id": self._next(self.events), "seq": self.seq, "kind": str(kind),
                         "disclosure_id": disclosure_id, "record_id": record_id, "at": at,
                         "content_digest": digest, "previous_hash": self.previous, "hash": digest_hash})
        self.previous = digest_hash
        self.counts.events += 1

    def _later(self, at: datetime.datetime, action: str, *payload) -> None:
        if at < self.end:
            self.tiebreak += 1
            heapq.heappush(self.heap, (at, self.tiebreak, action, payload))

    def _history(self, sink: TableSink, values: dict, *, at: datetime.datetime, user_id: int) -> int:
        history_id = self._next(sink)
        sink.add({**values, "history_id": history_id, "history_date": at, "history_change_reason": None,
                  "history_type": "+", "history_user_id": user_id})
        return history_id

    def _may_insert(self, model) -> bool:
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT has_table_privilege(%s, 'INSERT')", [model._meta.db_table])
            return cursor.fetchone()[0]

    # People --------------------------------------------------------------------------------------

    def _member(self, organisation_id: int, *roles: str) -> int:
        people = self.parents.people.get(organisation_id, {})
        for role in roles:
            if people.get(role):
                return self.rng.choice(people[role])
        everyone = [user for users in people.values() for user in users]
        if not everyone:
            raise ValueError(f"Organisation {organisation_id} has nobody: generate more people.")
        return self.rng.choice(everyone)

    # Cases ---------------------------------------------------------------------------------------

    def _case(self, organisation_id: int, agreement, recorded: datetime.datetime) -> Case:
        rng, key = self.rng, (organisation_id, agreement.pk)
        quota_full = self.counts.due_for_destruction >= self.due_target
        open_cases = [case for case in self.cases.get(key, ())
                      if case.active_until > recorded and not (case.counts_as_due and quota_full)]
        self.cases[key] = open_cases
        if open_cases and rng.random() < 0.6:
            return rng.choice(open_cases)
        self.case_number += 1
        active_until = recorded + datetime.timedelta(days=rng.randint(3, 300), hours=rng.randint(0, 23))
        closed_on = due = None
        counts_as_due = False
        if rng.random() < 0.8:
            closed_on = (active_until + datetime.timedelta(days=rng.randint(1, 30))).date()
            if closed_on >= self.today:
                closed_on = None
        if closed_on is not None:
            months = agreement.retention_months
            due = add_months(closed_on, months)
            if due <= self.today and not quota_full:
                counts_as_due = True
            elif due <= self.today:
                # Its date has come, but the daily run would have destroyed it already: close
                # it later instead, so that the entries due are the number asked for.
                latest = self.today - DAY
                closed_on = min(latest, add_months(self.today, -months) + datetime.timedelta(days=rng.randint(1, 60)))
                due = add_months(closed_on, months)
                if due <= self.today:
                    closed_on = due = None
        case = Case(f"CASE-{self.case_number:06d}", organisation_id, active_until, closed_on, due, counts_as_due)
        open_cases.append(case)
        if closed_on is not None:
            at = datetime.datetime.combine(closed_on, datetime.time(15), UTC) + datetime.timedelta(
                minutes=rng.randint(0, 120))
            self._later(at, "close", case)
        return case

    # Entries -------------------------------------------------------------------------------------

    def _agreement(self):
        point = self.rng.random() * self.cumulative[-1]
        return self.parents.agreements[min(bisect.bisect_left(self.cumulative, point), len(self.cumulative) - 1)]

    def entry(self, recorded: datetime.datetime) -> None:
        rng, parents = self.rng, self.parents
        agreement = self._agreement()
        disclosing, recipient = rng.sample(agreement.party_ids, 2)
        case = self._case(disclosing, agreement, recorded)
        delay = datetime.timedelta(minutes=rng.randint(5, 600)) if rng.random() < 0.97 else \
            datetime.timedelta(days=rng.randint(8, 40))
        occurred = recorded - delay
        fields, gateway_ids, art9_ids = entry_content(rng, occurred=occurred, sector=parents.sectors[disclosing],
                                                      gateways=parents.gateways, statute_ids=agreement.statute_ids)
        if delay.days > 7:
            fields["late_logging_reason"] = "Logged late: the practitioner was on leave."
        values = {**self.entries.defaults, **fields}
        values.update(
            id=self._next(self.entries), agreement_id=agreement.pk, disclosing_organisation_id=disclosing,
            recipient_organisation_id=recipient, disclosed_by_id=self._member(disclosing, Role.SPOC, Role.PRACTITIONER),
            occurred_at=occurred, recorded_at=recorded, case_reference=case.reference,
            purpose_id=rng.choice(agreement.purpose_ids), retention_due_on=case.due)
        entry = Record(values, gateways=gateway_ids)
        self.entries.add(values)
        history_id = self._history(self.entry_history, {name: values[name] for name in self.entry_names},
                                   at=recorded, user_id=entry.disclosed_by_id)
        for ids, rows, history, column in ((gateway_ids, self.gateway_rows, self.gateway_history, "legalgateway_id"),
                                           (art9_ids, self.art9_rows, self.art9_history, "legalgateway_id")):
            for pk in ids:
                row_id = self._next(rows)
                rows.add({"id": row_id, "disclosure_id": entry.id, column: pk})
                history.add({"m2m_history_id": self._next(history), "history_id": history_id, "id": row_id,
                             "disclosure_id": entry.id, column: pk})
        self._chain(LogEventKind.LOGGED, disclosure_id=entry.id, record_id=entry.id, at=recorded,
                    digest=content_digest(LogEventKind.LOGGED, entry))
        counts = self.counts
        counts.entries += 1
        counts.gateways += len(gateway_ids)
        counts.art9 += len(art9_ids)
        if case.closed_on is not None:
            case.entry_ids.append(entry.id)
            counts.with_retention += 1
            counts.due_for_destruction += case.counts_as_due
        if entry.decision == Decision.SHARED:
            counts.shared += 1
            if rng.random() < 0.75:
                self._later(recorded + datetime.timedelta(hours=rng.expovariate(1 / 20)), "ack", entry.id, recipient)
        roll = rng.random()
        if roll < 0.012:
            kind = AmendmentKind.VOID if roll < 0.002 else AmendmentKind.CORRECTION
            self._later(recorded + datetime.timedelta(hours=rng.randint(1, 72)), "amend", entry.id, disclosing, kind)

    # What follows an entry -------------------------------------------------------------------------

    def _ack(self, at, disclosure_id: int, recipient: int) -> None:
        ack = Record(dict(id=self._next(self.acks), disclosure_id=disclosure_id,
                          acknowledged_by_id=self._member(recipient, Role.SPOC), acknowledged_at=at))
        self.acks.add(vars(ack))
        self._history(self.ack_history, {name: getattr(ack, name) for name in self.acks.attnames},
                      at=at, user_id=ack.acknowledged_by_id)
        self._chain(LogEventKind.ACKNOWLEDGED, disclosure_id=disclosure_id, record_id=ack.id, at=at,
                    digest=content_digest(LogEventKind.ACKNOWLEDGED, ack))
        self.counts.acknowledgements += 1

    def _amend(self, at, disclosure_id: int, organisation: int, kind: str) -> None:
        if kind == AmendmentKind.VOID:
            changes, reason = {}, "Logged twice by mistake: the other entry stands."
        else:
            changes, reason = {"summary": "Attendance dates for this term only."}, "The summary gave the wrong term."
        amendment = Record(dict(id=self._next(self.amendments), disclosure_id=disclosure_id, kind=kind,
                                changes=changes, reason=reason, made_by_id=self._member(organisation, Role.SPOC),
                                made_at=at))
        self.amendments.add(vars(amendment))
        self._history(self.amendment_history, {name: getattr(amendment, name) for name in self.amendments.attnames},
                      at=at, user_id=amendment.made_by_id)
        self._chain(LogEventKind.AMENDED, disclosure_id=disclosure_id, record_id=amendment.id, at=at,
                    digest=content_digest(LogEventKind.AMENDED, amendment))
        self.counts.amendments += 1

    def _close(self, at, case: Case) -> None:
        if not case.entry_ids:
            return
        closure = {"id": self._next(self.closures), "organisation_id": case.organisation_id,
                   "case_reference": case.reference, "closed_on": case.closed_on, "created_at": at,
                   "closed_by_id": self._member(case.organisation_id, Role.SPOC, Role.GOVERNANCE_MANAGER)}
        self.closures.add(closure)
        self._history(self.closure_history, {**self.closures.defaults, **closure}, at=at,
                      user_id=closure["closed_by_id"])
        for entry_id in case.entry_ids:
            stub = Record({"id": entry_id, "retention_due_on": case.due})
            self._chain(LogEventKind.RETENTION_SET, disclosure_id=entry_id, record_id=entry_id, at=at,
                        digest=content_digest(LogEventKind.RETENTION_SET, stub))
            if self.write_guarded:
                self.guarded.add({"id": self._next(self.guarded), "kind": "retention", "disclosure_id": entry_id,
                                  "detail": case.due.isoformat(), "at": at, "database_user": self.database_user})
        case.entry_ids = []
        self.counts.closures += 1

    def _forget(self, moment: datetime.datetime) -> None:
        """Let go of the cases no entry can join any more (memory: a million entries make
        some 350,000 cases)."""
        for key, cases in list(self.cases.items()):
            cases[:] = [case for case in cases if case.active_until > moment]
            if not cases:
                del self.cases[key]

    def _until(self, moment: datetime.datetime) -> None:
        while self.heap and self.heap[0][0] <= moment:
            at, _, action, payload = heapq.heappop(self.heap)
            getattr(self, f"_{action}")(at, *payload)

    # The run ------------------------------------------------------------------------------------

    def _flush(self) -> None:
        """Write the batch, in one transaction: at once, or (``pipeline``) in the writer thread,
        on its own connection, once it has committed the batch before, while this thread makes
        the next batch. A batch's rows refer only to its own and earlier batches' rows."""
        batch = [(sink, sink.take()) for sink in self.sinks]
        if self.writer is None:
            self._write_batch(batch)
            return
        if self.pending is not None:
            self.pending.result()
        self.pending = self.writer.submit(self._write_batch, batch)

    def _write_batch(self, batch) -> None:
        started = time.perf_counter()
        before = sum(sink.seconds for sink, _ in batch)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # A scratch database: a batch lost to a crash is the generation lost anyway.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    if self.writer is not None and self.writer_pid is None:
                        cursor.execute("SELECT pg_backend_pid()")
                        self.writer_pid = cursor.fetchone()[0]
            for sink, rows in batch:
                sink.write(rows)
        self.commit_seconds += time.perf_counter() - started - (sum(sink.seconds for sink, _ in batch) - before)

    def _finish(self) -> None:
        if self.writer is None:
            return
        if self.pending is not None:
            self.pending.result()
        if self.writer_pid is not None:
            self.writer_cpu = process_cpu_seconds(self.writer_pid)
        self.writer.submit(lambda: connection.close()).result()  # the writer thread's own connection
        self.writer.shutdown()

    def timings(self) -> str:
        """Where the database's time went: each table's writing, and the commits (with their
        deferred foreign-key checks)."""
        parts = sorted(((sink.seconds, sink.model._meta.db_table) for sink in self.sinks), reverse=True)
        return ", ".join([f"{table} {seconds:.1f} s" for seconds, table in parts if seconds >= 0.05]
                         + [f"commits {self.commit_seconds:.1f} s"])

    def write(self, entries: int, *, years: int = 3) -> Counts:
        start = self.end - datetime.timedelta(days=365 * years)
        span = int((self.end - start).total_seconds())
        seconds = sorted(self.rng.randrange(span) for _ in range(entries))
        since_flush = 0
        for offset in seconds:
            recorded = start + datetime.timedelta(seconds=offset)
            self._until(recorded)
            self.entry(recorded)
            since_flush += 1
            if since_flush >= self.batch:
                self._flush()
                self._forget(recorded)
                since_flush = 0
                self.log(f"  {self.counts.entries} entries, {self.counts.events} events")
        self._until(self.end)
        self._flush()
        self._finish()
        sequences_reset(connection, [sink.model for sink in self.sinks])
        return self.counts
