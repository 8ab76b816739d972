"""Store operations whose logic is the same on every backend.

Each takes an open connection (sqlite3 or psycopg: both answer
`execute(sql, params)` with a cursor) and the backend's own SQL files; the
backend decides transactions, retries and how a list of ids travels.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Protocol

from liqueue.errors import NotFound, StoreError
from liqueue.events.event import Event
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.outbox import Outbox
from liqueue.store import rows
from liqueue.store.base import JobQuery, LogQuery, SourceStats
from liqueue.store.filters import filtered
from liqueue.store.sqlfiles import Migration, check_schema_version
from liqueue.store.stats import build_stats


class Connection(Protocol):
    def execute(self, sql: Any, params: Any = ..., /) -> Any: ...


SQLFiles = Mapping[str, str]


def schema_version(conn: Connection, sql: SQLFiles) -> int:
    """The version of the liqueue schema in the database; 0 when there is none."""
    exists = conn.execute(sql["schema_table_exists"]).fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute(sql["schema_version"]).fetchone()
    return int(row[0]) if row else 0


def migrate(
    conn: Connection,
    sql: SQLFiles,
    migrations: Sequence[Migration],
    url: str,
    run_script: Callable[[str], object],
) -> int:
    """Apply the pending migrations in the caller's transaction (which must keep
    other migrators out); `run_script` runs one migration file."""
    version = schema_version(conn, sql)
    latest = len(migrations)
    if version > latest:
        check_schema_version(url, version, latest)
    if version < latest:
        conn.execute(sql["create_schema_table"])
        for migration in migrations[version:]:
            run_script(migration.sql)
            conn.execute(sql["record_migration"], (migration.version, migration.name, time.time()))
    return latest


def resolve_job_id(conn: Connection, sql: SQLFiles, job_id: str) -> str:
    """The full id of a job given by full id or unique prefix.

    An id (or prefix) no job has may be a refused duplicate's, which a render
    handed out before the unique index refused it (job_aliases): it names the
    job holding the key. Jobs' own ids are tried first, so the usual lookup
    costs what it did and a prefix matching both names the job.
    """
    try:
        return _resolve(conn, sql["find_job_ids"], "job", job_id)
    except NotFound:
        params = _prefix_params(job_id)
        if params is None:
            raise
        found = conn.execute(sql["find_job_aliases"], params).fetchall()
        if not found:
            raise
        exact = [row[1] for row in found if row[0] == params["prefix"]]
        holders = {row[1] for row in found}
        if exact or len(holders) == 1:
            return str(exact[0] if exact else holders.pop())
        return rows.one_id("job", job_id, [row[0] for row in found])  # ambiguous: says so


def resolve_event_id(conn: Connection, sql: SQLFiles, event_id: str) -> str:
    """The full id of an event given by full id or unique prefix."""
    return _resolve(conn, sql["find_event_ids"], "event", event_id)


def _resolve(conn: Connection, find_ids: str, kind: str, asked: str) -> str:
    params = _prefix_params(asked)
    if params is None:
        raise NotFound(f"no {kind} id given")
    ids = [row[0] for row in conn.execute(find_ids, params).fetchall()]
    return rows.one_id(kind, asked, ids)


def _prefix_params(asked: str) -> dict[str, Any] | None:
    prefix = asked.strip().lower()
    if not prefix:
        return None
    return {
        "prefix": prefix,
        "upper": rows.prefix_upper_bound(prefix),
        "limit": rows.AMBIGUOUS_SHOWN + 1,
    }


def get_job(conn: Connection, sql: SQLFiles, job_id: str) -> Job:
    row = conn.execute(sql["get_job"], {"id": resolve_job_id(conn, sql, job_id)}).fetchone()
    if row is None:
        raise NotFound(f"no job {job_id!r}")
    return rows.job_from_row(row)


def cancel_job(conn: Connection, sql: SQLFiles, job_id: str, now: float) -> None:
    full_id = resolve_job_id(conn, sql, job_id)
    if conn.execute(sql["cancel_job"], {"id": full_id, "now": now}).fetchone() is None:
        state = conn.execute(sql["job_state"], {"id": full_id}).fetchone()
        if state is None:
            raise NotFound(f"no job {job_id!r}")
        raise StoreError(
            f"job {full_id} is {state[0]}: only scheduled or retrying jobs can be cancelled"
        )


def delete_job(conn: Connection, sql: SQLFiles, job_id: str) -> str:
    """Delete a job that is not running; return its full id."""
    full_id = resolve_job_id(conn, sql, job_id)
    if conn.execute(sql["delete_job"], {"id": full_id}).fetchone() is None:
        if conn.execute(sql["job_state"], {"id": full_id}).fetchone() is None:
            raise NotFound(f"no job {job_id!r}")
        raise StoreError(f"job {full_id} is running: delete it once its attempt ends")
    return full_id


def list_jobs(conn: Connection, sql: SQLFiles, query: JobQuery) -> list[Job]:
    params = {
        "state": None if query.state is None else JobState(query.state).value,
        "source_name": query.source_name,
        "event_id": query.event_id,
        "limit": query.limit,
    }
    return [
        rows.job_from_row(row)
        for row in conn.execute(filtered(sql["list_jobs"], params), params).fetchall()
    ]


def read_logs(conn: Connection, sql: SQLFiles, query: LogQuery, no_limit: object) -> list[Any]:
    """The newest entries first from SQL, handed back oldest first."""
    params = {
        "source_name": query.source_name,
        "status": query.status,
        "type": query.type,
        "job_id": query.job_id,
        "since": query.since,
        "after_id": query.after_id,
        "limit": no_limit if query.last is None else query.last,
    }
    found = conn.execute(filtered(sql["read_logs"], params), params).fetchall()
    found.reverse()
    return [rows.log_from_row(row) for row in found]


def stats(conn: Connection, sql: SQLFiles) -> list[SourceStats]:
    states = conn.execute(sql["stats_states"]).fetchall()
    attempts = conn.execute(sql["stats_attempts"]).fetchall()
    durations = conn.execute(sql["stats_durations"]).fetchall()
    return build_stats(states, attempts, durations)


def window_stats(conn: Connection, sql: SQLFiles, since: float) -> list[SourceStats]:
    """Current counts by state (job_counts), attempts and durations from `since` on."""
    states = [
        (source, state, n)
        for state, _, source, n in conn.execute(sql["read_job_counts"]).fetchall()
    ]
    attempts = conn.execute(sql["window_attempts"], {"since": since}).fetchall()
    durations = conn.execute(sql["window_durations"], {"since": since}).fetchall()
    return build_stats(_summed(states), attempts, durations)


def _summed(states: list[tuple[Any, Any, Any]]) -> list[tuple[Any, Any, int]]:
    """(source, state, n) rows with priorities folded together."""
    totals: dict[tuple[Any, Any], int] = {}
    for source, state, n in states:
        totals[(source, state)] = totals.get((source, state), 0) + int(n)
    return [(source, state, n) for (source, state), n in totals.items() if n]


def get_event(
    conn: Connection, sql: SQLFiles, event_id: str, encode_ids: Callable[[list[str]], object]
) -> Event:
    full_id = resolve_event_id(conn, sql, event_id)
    row = conn.execute(sql["get_event"], {"id": full_id}).fetchone()
    if row is None:
        raise NotFound(f"no event {event_id!r}")
    return events_with_jobs(conn, sql, [row], encode_ids)[0]


def list_events(
    conn: Connection,
    sql: SQLFiles,
    type: str | None,
    limit: int,
    encode_ids: Callable[[list[str]], object],
) -> list[Event]:
    found = conn.execute(sql["list_events"], {"type": type, "limit": limit}).fetchall()
    return events_with_jobs(conn, sql, found, encode_ids)


def events_with_jobs(
    conn: Connection, sql: SQLFiles, found: list[Any], encode_ids: Callable[[list[str]], object]
) -> list[Event]:
    """Events with the ids of the consumer jobs each started."""
    if not found:
        return []
    ids = encode_ids([row[0] for row in found])
    grouped = rows.group_job_ids(conn.execute(sql["event_jobs"], {"ids": ids}).fetchall())
    return [rows.event_from_row(row, grouped.get(row[0], [])) for row in found]


def outbox_of(outcomes: Sequence[AttemptOutcome], applied: Collection[str] | None) -> Outbox:
    """What `complete` persists: every outcome's log lines (each attempt did run),
    but jobs and events only of outcomes that took effect (`applied`; None: all).

    A stale outcome comes from a worker whose lease ran out while the job was
    re-claimed; the new attempt queues its own jobs and events, so queueing the
    stale ones too would run them twice.
    """
    merged = Outbox()
    for outcome in outcomes:
        if applied is None or outcome.job_id in applied:
            merged.extend(outcome.outbox)
        else:
            merged.logs.extend(outcome.outbox.logs)
    return merged
