"""Rows to objects and objects to parameters, shared by both backends.

Parameters are built, and rows read, by the column lists of `columns`, which
the SQL files name too, so one set of converters serves SQLite and
PostgreSQL. JSON is encoded once per value; stored priorities are converted
here and nowhere else.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final

from liqueue.errors import Location, NotFound, StoreError
from liqueue.events.event import Event, origin_text, parse_origin
from liqueue.jobs import Job, JobSpec, JobState, Priority, stored_json
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry
from liqueue.store import columns

# A claim outcome decides between these two; the store never writes others on completion.
_COMPLETION_STATES = (JobState.DONE, JobState.RETRY, JobState.DEAD)

# The one JSON writer of the store; JobSpec.arguments_json is written by it too.
dumps = stored_json

# Values by column name to a parameter tuple in the column list's order.
_Ordered = Callable[[Mapping[str, Any]], tuple[Any, ...]]
# outcome_params and log_params write their tuples field by field, in these
# orders: a dict per outcome or line read back by an itemgetter cost twice as
# much, on the worker's main thread, for every attempt.
_OUTCOME_WRITTEN = (
    "state", "finished_at", "next_run_at", "error_class", "error_message", "error_location",
    "id", "attempt", "worker_id",
)  # fmt: skip
assert columns.OUTCOME == _OUTCOME_WRITTEN, "outcome_params must follow columns.OUTCOME"
_LOG_INSERT_WRITTEN = (
    "at", "type", "message", "job_id", "source_name", "attempt", "max_attempts", "status",
    "duration_ms", "location", "event_id",
)  # fmt: skip
assert columns.LOG_INSERT == _LOG_INSERT_WRITTEN, "log_params must follow columns.LOG_INSERT"
_event: _Ordered = itemgetter(*columns.EVENT)


def _loads(value: Any) -> Any:
    # SQLite hands back text; psycopg has already decoded jsonb.
    return json.loads(value) if isinstance(value, str) else value


def _named(listed: tuple[str, ...], row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(listed, row, strict=True))


def stored_priority(name: str) -> int:
    """What the database keeps for a priority: its rank, so claims order by it."""
    rank = _RANK_OF_NAME.get(name) if isinstance(name, str) else None
    if rank is None:
        raise ValueError(f"unknown priority {name!r}: use high, default or low")
    return rank


# Each job of a page asks for its priority's rank: one lookup, not Priority's two.
_RANK_OF_NAME: Final = {priority.value: priority.rank for priority in Priority}


# The order job_params writes its tuples in, field by field: a dict per job
# read back by an itemgetter took a third of its time on a 1,000-job page.
_JOB_INSERT_WRITTEN = (
    "id", "priority", "source_name", "body", "partial", "arguments", "context",
    "origin_path", "origin_line", "origin_column", "max_attempts", "run_at", "created_at",
    "event_id",
)  # fmt: skip
assert columns.JOB_INSERT == _JOB_INSERT_WRITTEN, "job_params must follow columns.JOB_INSERT"


def job_params(specs: Sequence[JobSpec], now: float) -> list[tuple[Any, ...]]:
    """Parameters of insert_jobs, one tuple of `columns.JOB_INSERT` per spec.

    The jobs of one render share one `context` dict: it is encoded once per
    object, not once per job (a 1,000-job page spent ~2 ms on it). Arguments
    a tag has written as JSON already (`JobSpec.arguments_json`) are not
    encoded again.
    """
    contexts: dict[int, str] = {}
    params: list[tuple[Any, ...]] = []
    for spec in specs:
        context = contexts.get(id(spec.context))
        if context is None:
            context = contexts[id(spec.context)] = dumps(spec.context)
        arguments = spec.arguments_json
        if arguments is None:
            arguments = dumps(spec.arguments)
        origin = spec.origin
        params.append(
            (
                spec.id,
                stored_priority(spec.priority),
                spec.source_name,
                spec.body,
                spec.partial,
                arguments,
                context,
                origin.path,
                origin.line,
                origin.column,
                spec.max_attempts,
                spec.run_at(now),
                now,
                spec.event_id,
            )
        )
    return params


# Columns a Job field takes as stored; job_from_row converts the others.
_JOB_AS_STORED: Final = tuple(
    name
    for name in columns.JOB
    if name not in {"state", "priority", "arguments", "context"} and not name.startswith("origin_")
)


UNREADABLE_ROW = "UnreadableJobRow"  # error_class of a job whose row could not be read


@dataclass
class UnreadableJob(Job):
    """A job read from a row holding values that could not be read (see job_from_row)."""

    problem: str = ""


# Times a job row may hold: the years 1 to 9999, as `format_time` shows them.
_EARLIEST, _LATEST = -62135596800.0, 253402300799.0
_MOST_LINES = 10**9


_STATES: Final = {state.value: state for state in JobState}
_PRIORITIES: Final = {priority.rank: priority for priority in Priority}


def jobs_from_rows(found: Iterable[Sequence[Any]]) -> list[Job]:
    """`job_from_row` for each row; equal `context` texts are decoded once.

    The jobs of one page share its context, so a claimed batch holds the
    same text many times over; its jobs share the one decoded dict, which
    nothing changes: a render reads it and builds its `context` variable
    anew (`Runtime._context_variable`), and jobs it queues store it as JSON.
    """
    contexts: dict[str, Any] = {}
    return [job_from_row(row, contexts) for row in found]


def job_from_row(row: Sequence[Any], contexts: dict[str, Any] | None = None) -> Job:
    """A job from a row of `columns.JOB`; never raises on what the row holds.

    Rows that read cleanly (all of them, but for hand edits) are built here
    in one pass: a claim decodes every row it takes on the worker's main
    thread while the job threads may wait for it, and the value-by-value
    checks of `checked_job_from_row` cost twice as much. Anything unusual
    goes to `checked_job_from_row`, which reads a clean row to the same job
    and says what is wrong with any other.
    """
    (
        id, state, priority, source_name, body, partial, arguments, context,
        origin_path, origin_line, origin_column, max_attempts, attempt, run_at,
        created_at, started_at, finished_at, lease_until, worker_id, error_class,
        error_message, error_location, event_id,
    ) = row  # fmt: skip
    job_state = _STATES.get(state) if type(state) is str else None
    job_priority = _PRIORITIES.get(priority) if type(priority) is int else None
    if (
        job_state is None
        or job_priority is None
        or type(origin_path) is not str
        or not (origin_line is None or _clean_line(origin_line))
        or not (origin_column is None or _clean_line(origin_column))
        or type(attempt) is not int
        or attempt < 0
        or type(max_attempts) is not int
        or max_attempts < 0
        or not _clean_time(run_at)
        or not _clean_time(created_at)
        or not (started_at is None or _clean_time(started_at))
        or not (finished_at is None or _clean_time(finished_at))
        or not (lease_until is None or _clean_time(lease_until))
    ):
        return checked_job_from_row(row)
    try:
        if type(arguments) is str:
            arguments = stored_json_value(arguments)
        if type(context) is str:
            if contexts is None:
                context = stored_json_value(context)
            else:
                text = context
                context = contexts.get(text)
                if context is None:
                    context = contexts[text] = stored_json_value(text)
    except (ValueError, RecursionError):
        return checked_job_from_row(row)
    if type(arguments) is not dict or type(context) is not dict:
        return checked_job_from_row(row)
    return Job(
        id=id,
        state=job_state,
        source_name=source_name,
        priority=job_priority,
        max_attempts=max_attempts,
        attempt=attempt,
        run_at=float(run_at),
        created_at=float(created_at),
        origin=Location(origin_path, origin_line or 0, origin_column or 0),
        body=body,
        partial=partial,
        arguments=arguments,
        context=context,
        event_id=event_id,
        started_at=None if started_at is None else float(started_at),
        finished_at=None if finished_at is None else float(finished_at),
        lease_until=None if lease_until is None else float(lease_until),
        worker_id=worker_id,
        error_class=error_class,
        error_message=error_message,
        error_location=error_location,
    )


# The C scanner under json.loads, called directly: loads' Python wrapper and
# its two whitespace matches cost as much as decoding a job's small objects.
# (typeshed types its argument as a scanner, not as the decoder it reads.)
_scan_json: Final = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def stored_json_value(text: str) -> Any:
    """`json.loads(text)` for JSON the store wrote (no surrounding whitespace);
    anything else (a hand edit) is left to `json.loads` itself, errors and all."""
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


def _clean_line(value: Any) -> bool:
    return type(value) is int and 0 <= value <= _MOST_LINES


def _clean_time(value: Any) -> bool:
    kind = type(value)
    return (kind is float or kind is int) and _EARLIEST <= value <= _LATEST


def checked_job_from_row(row: Sequence[Any]) -> Job:
    """`job_from_row`, value by value: what it falls back on for rows not plainly clean.

    A row edited by hand (arguments that are not JSON, an unknown state or
    priority, an absurd time or origin) must not stop a worker or a listing:
    its bad values are replaced by harmless ones and the job carries
    `error_class` UNREADABLE_ROW with "unreadable job row: ..." saying what
    is wrong. A claimed such job is set dead by the worker (see `unreadable`).
    """
    values = _named(columns.JOB, row)
    problems: list[str] = []
    state = _read(problems, "state", values["state"], JobState, JobState.DEAD)
    priority = _read(problems, "priority", values["priority"], _priority, Priority.DEFAULT)
    arguments = _read(problems, "arguments", values["arguments"], _json_object, {})
    context = _read(problems, "context", values["context"], _json_object, {})
    origin = Location(
        _read(problems, "origin path", values["origin_path"], _text, "?"),
        _read(problems, "origin line", values["origin_line"] or 0, _line, 0),
        _read(problems, "origin column", values["origin_column"] or 0, _line, 0),
    )
    stored = {name: values[name] for name in _JOB_AS_STORED}
    for name in ("run_at", "created_at"):
        stored[name] = _read(problems, name.replace("_", " "), stored[name], _time, 0.0)
    for name in ("started_at", "finished_at", "lease_until"):
        if stored[name] is not None:
            stored[name] = _read(problems, name.replace("_", " "), stored[name], _time, None)
    for name in ("attempt", "max_attempts"):
        stored[name] = _read(problems, name.replace("_", " "), stored[name], _count, 1)
    job = Job if not problems else UnreadableJob
    if problems:
        stored["error_class"] = UNREADABLE_ROW
        stored["error_message"] = stored["problem"] = "unreadable job row: " + "; ".join(problems)
    return job(
        **stored,
        state=state,
        priority=priority,
        arguments=arguments,
        context=context,
        origin=origin,
    )


def unreadable(job: Job) -> str | None:
    """What is wrong with the row `job` was read from, or None when it read cleanly.

    Not the stored error_class: a row fixed by hand and retried reads cleanly.
    """
    return job.problem if isinstance(job, UnreadableJob) else None


def _read(
    problems: list[str], what: str, value: Any, read: Callable[[Any], Any], instead: Any
) -> Any:
    try:
        return read(value)
    except (TypeError, ValueError, OverflowError, RecursionError) as err:
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        problems.append(f"{what} {shown} is not valid ({' '.join(str(err).split())})")
        return instead


def _priority(rank: Any) -> Priority:
    if isinstance(rank, bool) or not isinstance(rank, int):
        raise ValueError("not a priority rank")
    try:
        return Priority.of_rank(rank)
    except KeyError:
        raise ValueError("no priority has this rank") from None


def _json_object(value: Any) -> dict[str, Any]:
    decoded = _loads(value)
    if not isinstance(decoded, dict):
        raise ValueError("not a JSON object")
    return decoded


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _line(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MOST_LINES:
        raise ValueError(f"not a line number from 0 to {_MOST_LINES:,}")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("not a whole number")
    return value


def _time(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("not a number")
    if not _EARLIEST <= float(value) <= _LATEST:  # also refuses NaN
        raise ValueError("outside the years 1 to 9999")
    return float(value)


def outcome_params(outcome: AttemptOutcome, now: float) -> tuple[Any, ...]:
    """Parameters of complete_jobs, in `columns.OUTCOME` order."""
    if outcome.state not in _COMPLETION_STATES:
        raise ValueError(f"an attempt ends done, retry or dead, not {outcome.state!r}")
    # A retrying job has not finished: finished_at stays empty until done or dead,
    # which is also what prune goes by. DONE clears the error of earlier attempts.
    retrying = outcome.state is JobState.RETRY
    next_run_at = outcome.next_run_at if outcome.next_run_at is not None else now
    return (
        outcome.state.value,
        None if retrying else outcome.finished_at,
        next_run_at if retrying else None,
        outcome.error_class,
        outcome.error_message,
        outcome.error_location,
        outcome.job_id,
        outcome.attempt,
        outcome.worker_id,
    )


def named_outcome(params: tuple[Any, ...]) -> dict[str, Any]:
    """`outcome_params` by column name, for SQL that names its parameters."""
    return _named(columns.OUTCOME, params)


def log_params(entry: LogEntry) -> tuple[Any, ...]:
    """Parameters of insert_logs, in `columns.LOG_INSERT` order."""
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
    """A log entry from a row of `columns.LOG`."""
    return LogEntry(**_named(columns.LOG, row))


def event_params(event: Event) -> tuple[Any, ...]:
    """Parameters of insert_events, in `columns.EVENT` order."""
    values = {
        "id": event.id,
        "type": event.type,
        "payload": dumps(event.payload),
        "at": event.at,
        "valid": bool(event.valid),
        "errors": dumps(event.errors),
        "origin": origin_text(event.origin),
        "context": dumps(event.context),
    }
    return _event(values)


def event_from_row(row: Sequence[Any], job_ids: list[str]) -> Event:
    """An event from a row of `columns.EVENT`, with the jobs it started."""
    values = _named(columns.EVENT, row)
    return Event(
        id=values["id"],
        type=values["type"],
        payload=_loads(values["payload"]),
        at=values["at"],
        valid=bool(values["valid"]),
        errors=_loads(values["errors"]),
        origin=parse_origin(values["origin"]),
        job_ids=job_ids,
        context=_loads(values["context"]),
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


def unreadable_entry(row: Sequence[Any], now: float) -> LogEntry:
    """The log line of a row `kill_unreadable_jobs` set dead."""
    job_id, source_name, attempt, max_attempts, problem = row
    return LogEntry(
        at=now,
        type="rescue",
        message=f"job {job_id} ({source_name}) set dead: {problem}",
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
