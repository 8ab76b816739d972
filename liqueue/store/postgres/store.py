"""The PostgreSQL backend: many workers on many machines.

Connections come from a psycopg_pool pool. Batches travel as arrays (unnest),
so a claim, a completion or an enqueue is one statement whatever its size.
A connection lost under an operation (the server restarted) makes the pool
re-check its connections and the operation run once more: every write here is
idempotent enough for that (inserts ignore known ids, completions are guarded
by state and attempt), and at worst a claim whose commit was lost is rescued
when its lease runs out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool, PoolTimeout

from liqueue.errors import StoreError, StoreUnavailable
from liqueue.events.event import Event
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store import rows, shared
from liqueue.store.base import JobQuery, LogQuery, SourceStats
from liqueue.store.postgres import failures, schema
from liqueue.store.postgres.schema import LATEST_VERSION, SQL
from liqueue.store.postgres.wake import NotifyWakeListener
from liqueue.store.sqlfiles import MIGRATE_COMMAND, check_schema_version
from liqueue.store.url import redact

Conn = psycopg.Connection[TupleRow]

# Jobs alone (the common enqueue) go in one autocommitted statement: no BEGIN, no
# COMMIT, no separate NOTIFY round trip; the notification leaves at its commit.
INSERT_JOBS_AND_NOTIFY = (
    f"WITH inserted AS (\n{SQL['insert_jobs'].rstrip()}\nRETURNING 1\n)\n"
    "SELECT pg_notify('liqueue_jobs', '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row"
)
T = TypeVar("T")


def _columns(params: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Row tuples to one list per column, for unnest()."""
    if not params:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*params, strict=True)]


class PostgresStore:
    def __init__(
        self,
        url: str,
        *,
        min_size: int = 1,
        max_size: int = 8,
        migrate_command: str = MIGRATE_COMMAND,
    ) -> None:
        """Connect lazily through a pool; the schema is NOT migrated (see `migrate`).

        `migrate_command` is what an error about a missing or old schema tells
        the user to run (`liqueue migrate shop --db ...`).
        """
        self.url = url
        self.migrate_command = migrate_command
        # Opened at first use, after one direct connection has shown the server
        # can be used: a missing database or a wrong role is reported at once,
        # not after the pool's timeout of identical background attempts.
        self._pool: ConnectionPool = ConnectionPool(
            url, min_size=min_size, max_size=max_size, open=False, timeout=15.0, name="liqueue"
        )
        self._open_lock = threading.Lock()
        self._schema_checked = False

    # plumbing

    def _open(self) -> None:
        with self._open_lock:
            if self._pool.closed:
                failures.probe(self.url, self.migrate_command)
                self._pool.open()

    def _run(self, work: Callable[[Conn], T], *, needs_schema: bool = True) -> T:
        """Run `work` in one transaction, once more if that may pass at once.

        The first operation checks the schema version first: nothing is read
        or written on a missing, old or newer schema. Raises StoreUnavailable
        for what passes with time (the server restarting, a dropped
        connection, a serialization failure): callers such as the worker wait
        and try again. Raises StoreError, with what to do, for what does not
        (no such database, wrong role, no schema); see failures.py.
        """
        if self._pool.closed:
            self._open()
        if needs_schema and not self._schema_checked:
            self.check_schema()
        for attempt in (1, 2):
            conn: Conn | None = None
            try:
                with self._pool.connection() as conn:
                    return work(conn)
            except PoolTimeout as err:
                # No connection for the whole timeout: find out why, directly.
                failures.probe(self.url, self.migrate_command)
                raise StoreUnavailable(f"PostgreSQL at {redact(self.url)}: {err}") from err
            except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn) as err:
                self._schema_checked = False  # the schema changed under us: say how
                self._run(lambda conn: None)
                raise StoreError(f"PostgreSQL at {redact(self.url)}: {err}") from err
            except psycopg.errors.TransactionRollback as err:  # serialization, deadlock
                if attempt == 2:
                    raise StoreUnavailable(f"PostgreSQL at {redact(self.url)}: {err}") from err
            except psycopg.OperationalError as err:
                if attempt == 2 or conn is None or not conn.broken:
                    raise StoreUnavailable(f"PostgreSQL at {redact(self.url)}: {err}") from err
                self._pool.check()  # the others are likely dead too (server restart)
        raise AssertionError("unreachable")

    def _check_schema_on(self, conn: Conn) -> None:
        version = schema.current_version(conn)
        check_schema_version(self.url, version, LATEST_VERSION, self.migrate_command)
        self._schema_checked = True

    # schema

    def migrate(self) -> int:
        version = self._run(lambda conn: schema.migrate(conn, redact(self.url)), needs_schema=False)
        self._schema_checked = True
        return version

    def schema_version(self) -> tuple[int, int]:
        return self._run(schema.current_version, needs_schema=False), LATEST_VERSION

    def check_schema(self) -> None:
        self._run(self._check_schema_on, needs_schema=False)

    # the path of a job

    def enqueue(self, outbox: Outbox, now: float, connection: Conn | None = None) -> None:
        """Persist an outbox in one transaction, ours or the caller's.

        With `connection` (a psycopg Connection on this database, inside a
        transaction), nothing is committed here: the caller's commit queues
        the jobs and wakes workers; its rollback queues nothing.
        """
        if not outbox:
            return
        if connection is None and not outbox.events and not outbox.logs:
            params = _columns([rows.job_params(spec, now) for spec in outbox.jobs], 14)
            self._run(lambda conn: _autocommit(conn, INSERT_JOBS_AND_NOTIFY, params))
            return
        if connection is None:
            self._run(lambda conn: _persist(conn, outbox, now))
            return
        if connection.info.transaction_status == TransactionStatus.IDLE and connection.autocommit:
            raise StoreError(
                "enqueue(connection=...) needs a connection inside a transaction: "
                "turn autocommit off or enter `with connection.transaction():` first"
            )
        if not self._schema_checked:
            self._check_schema_on(connection)
        _persist(connection, outbox, now)

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: float,
        lease_seconds: float,
        priorities: Sequence[str],
    ) -> list[Job]:
        order = [rows.priority_value(label) for label in priorities]
        if limit <= 0 or not order:
            return []

        ranks = [*order, None, None, None][:3]
        params = {
            "now": now,
            "lease_until": now + lease_seconds,
            "worker_id": worker_id,
            "first": ranks[0],
            "second": ranks[1],
            "third": ranks[2],
            "limit": limit,
        }

        def work(conn: Conn) -> list[Job]:
            found = conn.execute(SQL["claim_jobs"], params).fetchall()
            # Priorities in the order tried, then due time: as a claim per priority would.
            found.sort(key=lambda row: (row[-1], row[13], row[0]))
            return [rows.job_from_row(row[:-1]) for row in found]

        return self._run(work)

    def complete(self, outcomes: Sequence[AttemptOutcome], now: float) -> None:
        if not outcomes:
            return
        params = [rows.outcome_params(outcome, now) for outcome in outcomes]

        def work(conn: Conn) -> None:
            found = conn.execute(SQL["complete_jobs"], _columns(params, 9)).fetchall()
            merged = shared.outbox_of(outcomes, {row[0] for row in found})
            _persist(conn, merged, now)
            if not merged.jobs and any(o.state is JobState.RETRY for o in outcomes):
                conn.execute(SQL["notify_jobs"])

        self._run(work)

    def heartbeat(self, worker_id: str, job_ids: Sequence[str], lease_until: float) -> None:
        if not job_ids:
            return
        params = {"ids": list(job_ids), "worker_id": worker_id, "lease_until": lease_until}
        self._run(lambda conn: conn.execute(SQL["heartbeat_jobs"], params))

    def release(self, job_ids: Sequence[str], now: float, worker_id: str | None = None) -> None:
        if job_ids:
            params = {"ids": list(job_ids), "worker_id": worker_id}
            self._update_and_notify(SQL["release_jobs"], params)

    def rescue_expired(self, now: float, max_rescues: int = 3) -> list[str]:
        """Requeue jobs whose lease ran out; returns their ids (not those made dead)."""

        def work(conn: Conn) -> list[str]:
            params = {"now": now, "max_rescues": max_rescues}
            dead = conn.execute(SQL["kill_lost_jobs"], params).fetchall()
            rescued = conn.execute(SQL["rescue_jobs"], {"now": now}).fetchall()
            entries = [rows.rescue_entry(row, now, dead=True) for row in dead]
            entries += [rows.rescue_entry(row, now, dead=False) for row in rescued]
            if entries:
                _insert_logs(conn, entries)
            if rescued:
                conn.execute(SQL["notify_jobs"])
            return [row[0] for row in rescued]

        return self._run(work)

    def prune(self, done_before: float, dead_before: float) -> int:
        params = {"done_before": done_before, "dead_before": dead_before}
        return self._run(lambda conn: _scalar(conn, SQL["prune_jobs"], params))

    def next_run_at(self) -> float | None:
        row = self._run(lambda conn: _one(conn, SQL["next_run_at"], {}))
        return None if row is None or row[0] is None else float(row[0])

    # inspection and repair

    def get_job(self, job_id: str) -> Job:
        return self._run(lambda conn: shared.get_job(conn, SQL, job_id))

    def list_jobs(self, query: JobQuery) -> list[Job]:
        return self._run(lambda conn: shared.list_jobs(conn, SQL, query))

    def retry_jobs(self, job_ids: Sequence[str], now: float) -> int:
        if not job_ids:
            return 0
        return self._update_and_notify(SQL["retry_jobs"], {"ids": list(job_ids), "now": now})

    def retry_all_dead(self, now: float) -> int:
        return self._update_and_notify(SQL["retry_all_dead"], {"now": now})

    def cancel_job(self, job_id: str, now: float) -> None:
        self._run(lambda conn: shared.cancel_job(conn, SQL, job_id, now))

    def delete_job(self, job_id: str) -> None:
        """Delete a job that is not running, with its log entries (one statement)."""
        self._run(lambda conn: shared.delete_job(conn, SQL, job_id))

    def add_logs(self, entries: Sequence[LogEntry]) -> None:
        if entries:
            self._run(lambda conn: _insert_logs(conn, entries))

    def read_logs(self, query: LogQuery) -> list[LogEntry]:
        return self._run(lambda conn: shared.read_logs(conn, SQL, query, no_limit=None))

    def stats(self) -> list[SourceStats]:
        # REPEATABLE READ would make the three queries agree exactly; counts a
        # few milliseconds apart are good enough for a dashboard.
        return self._run(lambda conn: shared.stats(conn, SQL))

    # events

    def get_event(self, event_id: str) -> Event:
        return self._run(lambda conn: shared.get_event(conn, SQL, event_id, list))

    def list_events(self, type: str | None = None, limit: int = 100) -> list[Event]:
        return self._run(lambda conn: shared.list_events(conn, SQL, type, limit, list))

    def wake_listener(self) -> NotifyWakeListener:
        return NotifyWakeListener(self.url)

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _update_and_notify(self, sql: str, params: dict[str, Any]) -> int:
        def work(conn: Conn) -> int:
            count = conn.execute(sql, params).rowcount
            if count:
                conn.execute(SQL["notify_jobs"])
            return count

        return self._run(work)


def _one(conn: Conn, sql: str, params: dict[str, Any]) -> TupleRow | None:
    return conn.execute(sql, params).fetchone()


def _scalar(conn: Conn, sql: str, params: dict[str, Any]) -> int:
    row = _one(conn, sql, params)
    return int(row[0]) if row else 0


def _autocommit(conn: Conn, sql: str, params: Sequence[Any]) -> None:
    """Run one statement as its own transaction on a pooled connection."""
    conn.autocommit = True
    try:
        conn.execute(sql, params)
    finally:
        conn.autocommit = False


def _persist(conn: Conn, outbox: Outbox, now: float) -> None:
    if outbox.events:
        params = [rows.event_params(event) for event in outbox.events]
        conn.execute(SQL["insert_events"], _columns(params, 7))
    if outbox.jobs:
        params = [rows.job_params(spec, now) for spec in outbox.jobs]
        conn.execute(SQL["insert_jobs"], _columns(params, 14))
        conn.execute(SQL["notify_jobs"])
    if outbox.logs:
        _insert_logs(conn, outbox.logs)


def _insert_logs(conn: Conn, entries: Sequence[LogEntry]) -> None:
    conn.execute(SQL["insert_logs"], _columns([rows.log_params(entry) for entry in entries], 11))
