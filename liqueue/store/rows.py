"""Rows to objects and objects to parameters, shared by both backends.

Every query returning jobs selects `JOB_COLUMNS` in this order, and every
insert takes parameters in the order these functions build them, so one set
of converters serves SQLite and PostgreSQL. JSON is encoded once per value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from liqueue.errors import Location, NotFound, StoreError
from liqueue.events.event import Event, origin_text, parse_origin
from liqueue.jobs import Job, JobSpec, JobState, Priority
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry

JOB_COLUMNS = (
    "id, state, priority, source_name, body, partial, arguments, context, "
    "origin_path, origin_line, origin_column, max_attempts, attempt, run_at, created_at, "
    "started_at, finished_at, lease_until, worker_id, error_class, error_message, "
    "error_location, event_id"
)
# A claim outcome decides between these two; the store never writes others on completion.
_COMPLETION_STATES = (JobState.DONE, JobState.RETRY, JobState.DEAD)
_PRIORITY_LABELS = {priority.value: priority.label for priority in Priority}


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _loads(value: Any) -> Any:
    # SQLite hands back text; psycopg has already decoded jsonb.
    return json.loads(value) if isinstance(value, str) else value


def priority_value(label: str) -> int:
    try:
        return Priority.parse(label).value
    except KeyError:
        raise ValueError(f"unknown priority {label!r}: use high, default or low") from None


def job_params(spec: JobSpec, now: float) -> tuple[Any, ...]:
    """Parameters of insert_jobs: id .. event_id, state and attempt are constants in SQL."""
    origin = spec.origin
    return (
        spec.id,
        priority_value(spec.priority),
        spec.source_name,
        spec.body,
        spec.partial,
        dumps(spec.arguments),
        dumps(spec.context),
        origin.path,
        origin.line,
        origin.column,
        spec.max_attempts,
        spec.run_at(now),
        now,
        spec.event_id,
    )


def job_from_row(row: Sequence[Any]) -> Job:
    return Job(
        id=row[0],
        state=JobState(row[1]),
        priority=_PRIORITY_LABELS[row[2]],
        source_name=row[3],
        body=row[4],
        partial=row[5],
        arguments=_loads(row[6]),
        context=_loads(row[7]),
        origin=Location(row[8], row[9] or 0, row[10] or 0),
        max_attempts=row[11],
        attempt=row[12],
        run_at=row[13],
        created_at=row[14],
        started_at=row[15],
        finished_at=row[16],
        lease_until=row[17],
        worker_id=row[18],
        error_class=row[19],
        error_message=row[20],
        error_location=row[21],
        event_id=row[22],
    )


def outcome_params(outcome: AttemptOutcome, now: float) -> tuple[Any, ...]:
    """Parameters of complete_jobs: state, finished_at, next_run_at, errors, id, attempt,
    worker_id."""
    if outcome.state not in _COMPLETION_STATES:
        raise ValueError(f"an attempt ends done, retry or dead, not {outcome.state!r}")
    # A retrying job has not finished: finished_at stays empty until done or dead,
    # which is also what prune goes by. DONE clears the error of earlier attempts.
    retrying = outcome.state is JobState.RETRY
    return (
        outcome.state.value,
        None if retrying else outcome.finished_at,
        (outcome.next_run_at if outcome.next_run_at is not None else now) if retrying else None,
        outcome.error_class,
        outcome.error_message,
        outcome.error_location,
        outcome.job_id,
        outcome.attempt,
        outcome.worker_id,
    )


LOG_COLUMNS = (
    "id, at, type, message, job_id, source_name, attempt, max_attempts, status, "
    "duration_ms, location, event_id"
)


def log_params(entry: LogEntry) -> tuple[Any, ...]:
    """Parameters of insert_logs: every LOG_COLUMNS but the id."""
    return (
        entry.at,
        entry.type,
        entry.message,
        entry.job_id,
        entry.source_name,
        entry.attempt,
        entry.max_attempts,
        entry.status,
        entry.duration_ms,
        entry.location,
        entry.event_id,
    )


def log_from_row(row: Sequence[Any]) -> LogEntry:
    return LogEntry(
        id=row[0],
        at=row[1],
        type=row[2],
        message=row[3],
        job_id=row[4],
        source_name=row[5],
        attempt=row[6],
        max_attempts=row[7],
        status=row[8],
        duration_ms=row[9],
        location=row[10],
        event_id=row[11],
    )


EVENT_COLUMNS = "id, type, payload, at, valid, errors, origin, context"


def event_params(event: Event) -> tuple[Any, ...]:
    return (
        event.id,
        event.type,
        dumps(event.payload),
        event.at,
        bool(event.valid),
        dumps(event.errors),
        origin_text(event.origin),
        dumps(event.context),
    )


def event_from_row(row: Sequence[Any], job_ids: list[str]) -> Event:
    return Event(
        id=row[0],
        type=row[1],
        payload=_loads(row[2]),
        at=row[3],
        valid=bool(row[4]),
        errors=_loads(row[5]),
        origin=parse_origin(row[6]),
        job_ids=job_ids,
        context=_loads(row[7]),
    )


def group_job_ids(rows: Iterable[Sequence[Any]]) -> dict[str, list[str]]:
    """(event_id, job_id) rows, in order, to job ids per event."""
    grouped: dict[str, list[str]] = {}
    for event_id, job_id in rows:
        grouped.setdefault(event_id, []).append(job_id)
    return grouped


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with `prefix` (byte order)."""
    return prefix + "\U0010ffff"


AMBIGUOUS_SHOWN = 10  # candidates named when an id prefix is ambiguous


def rescue_message(
    job_id: str, source_name: str, worker_id: str | None, attempt: int, rescues: int, dead: bool
) -> str:
    lost = f"job {job_id} ({source_name}) lost its worker {worker_id or '?'} in attempt {attempt}"
    if dead:
        return f"{lost}; worker lost {rescues} times, the job is dead"
    return f"{lost}; rescued ({rescues} so far), it will run again"


def rescue_entry(row: Sequence[Any], now: float, *, dead: bool) -> LogEntry:
    job_id, source_name, worker_id, attempt, max_attempts, rescues = row
    return LogEntry(
        at=now,
        type="rescue",
        message=rescue_message(job_id, source_name, worker_id, attempt, rescues, dead),
        job_id=job_id,
        source_name=source_name,
        attempt=attempt,
        max_attempts=max_attempts,
    )


def one_id(kind: str, asked: str, ids: list[str]) -> str:
    """The one id a full id or prefix names; `kind` ("job", "event") words the errors."""
    if not ids:
        raise NotFound(f"no {kind} {asked!r}")
    if len(ids) == 1 or ids[0] == asked.strip().lower():
        return ids[0]
    shown = ", ".join(ids[:AMBIGUOUS_SHOWN])
    more = " and more" if len(ids) > AMBIGUOUS_SHOWN else ""
    raise StoreError(f"{kind} id prefix {asked!r} is ambiguous: it matches {shown}{more}")
