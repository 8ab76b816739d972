"""The PostgreSQL backend: many workers on many machines.

Connections come from a pool (`connection.Transactions`), which runs an
operation once more when the server restarted under it. Batches travel as
arrays (unnest), so a claim, a completion or an enqueue is one statement
whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow

from liqueue.errors import StoreError
from liqueue.events.event import Event
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store import rows, shared
from liqueue.store.base import JobQuery, LogQuery, SourceStats
from liqueue.store.postgres import schema
from liqueue.store.postgres.connection import Conn, Transactions, autocommit
from liqueue.store.postgres.policy_ops import PostgresLimitOps, PostgresPolicyOps, insert_jobs
from liqueue.store.postgres.schema import LATEST_VERSION, SQL
from liqueue.store.postgres.wake import NotifyWakeListener
from liqueue.store.sqlfiles import check_schema_version

# Jobs alone (the common enqueue) go in one autocommitted statement: no BEGIN, no
# COMMIT, no separate NOTIFY round trip; the notification leaves at its commit.
INSERT_JOBS_AND_NOTIFY = (
    f"WITH inserted AS (\n{SQL['insert_jobs'].rstrip()}\nRETURNING 1\n)\n"
    "SELECT pg_notify('liqueue_jobs', '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row"
)


def _arrays(params: list[tuple[Any, ...]]) -> list[list[Any]]:
    """Parameter tuples (never none) to one list per column, for unnest()."""
    return [list(column) for column in zip(*params, strict=True)]


class PostgresStore(PostgresPolicyOps, PostgresLimitOps):
    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8) -> None:
        """Connect lazily through a pool; the schema is NOT migrated (see `migrate`)."""
        self.url = url
        self._tx = Transactions(url, min_size=min_size, max_size=max_size)

    # schema

    def migrate(self) -> int:
        return self._tx.run(lambda conn: schema.migrate(conn, self.url))

    def schema_version(self) -> tuple[int, int]:
        return self._tx.run(schema.current_version), LATEST_VERSION

    def check_schema(self) -> None:
        check_schema_version(self.url, *self.schema_version())

    # the path of a job

    def enqueue(self, outbox: Outbox, now: float, connection: Conn | None = None) -> None:
        """Persist an outbox in one transaction, ours or the caller's.

        With `connection` (a psycopg Connection on this database, inside a
        transaction), nothing is committed here: the caller's commit queues
        the jobs and wakes workers; its rollback queues nothing.
        """
        if not outbox:
            return
        plain_jobs = not any(spec.unique_key for spec in outbox.jobs)  # policy_ops.py
        if connection is None and not outbox.events and not outbox.logs and plain_jobs:
            params = _arrays(rows.job_params(outbox.jobs, now))
            self._tx.run(lambda conn: autocommit(conn, INSERT_JOBS_AND_NOTIFY, params))
            return
        if connection is None:
            self._tx.run(lambda conn: _persist(conn, outbox, now))
            return
        if connection.info.transaction_status == TransactionStatus.IDLE and connection.autocommit:
            raise StoreError(
                "enqueue(connection=...) needs a connection inside a transaction: "
                "turn autocommit off or enter `with connection.transaction():` first"
            )
        _persist(connection, outbox, now)

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: float,
        lease_seconds: float,
        priorities: Sequence[str],
    ) -> list[Job]:
        order = [rows.stored_priority(name) for name in priorities]
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
            ranked = [(row[-1], rows.job_from_row(row[:-1])) for row in found]
            # Priorities in the order tried, then due time: as a claim per priority would.
            ranked.sort(key=lambda pair: (pair[0], pair[1].run_at, pair[1].id))
            return [job for _, job in ranked]

        return self._tx.run(work)

    def complete(self, outcomes: Sequence[AttemptOutcome], now: float) -> None:
        if not outcomes:
            return
        params = [rows.outcome_params(outcome, now) for outcome in outcomes]

        def work(conn: Conn) -> None:
            found = conn.execute(SQL["complete_jobs"], _arrays(params)).fetchall()
            merged = shared.outbox_of(outcomes, {row[0] for row in found})
            _persist(conn, merged, now)
            if not merged.jobs and any(o.state is JobState.RETRY for o in outcomes):
                conn.execute(SQL["notify_jobs"])

        self._tx.run(work)

    def heartbeat(self, worker_id: str, job_ids: Sequence[str], lease_until: float) -> None:
        if not job_ids:
            return
        params = {"ids": list(job_ids), "worker_id": worker_id, "lease_until": lease_until}
        self._tx.run(lambda conn: conn.execute(SQL["heartbeat_jobs"], params))

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

        return self._tx.run(work)

    def prune(self, done_before: float, dead_before: float) -> int:
        params = {"done_before": done_before, "dead_before": dead_before}
        return self._tx.run(lambda conn: _scalar(conn, SQL["prune_jobs"], params))

    def next_run_at(self) -> float | None:
        row = self._tx.run(lambda conn: _one(conn, SQL["next_run_at"], {}))
        return None if row is None or row[0] is None else float(row[0])

    # inspection and repair

    def get_job(self, job_id: str) -> Job:
        return self._tx.run(lambda conn: shared.get_job(conn, SQL, job_id))

    def list_jobs(self, query: JobQuery) -> list[Job]:
        return self._tx.run(lambda conn: shared.list_jobs(conn, SQL, query))

    def retry_jobs(self, job_ids: Sequence[str], now: float) -> int:
        if not job_ids:
            return 0
        return self._update_and_notify(SQL["retry_jobs"], {"ids": list(job_ids), "now": now})

    def retry_all_dead(self, now: float) -> int:
        return self._update_and_notify(SQL["retry_all_dead"], {"now": now})

    def cancel_job(self, job_id: str, now: float) -> None:
        self._tx.run(lambda conn: shared.cancel_job(conn, SQL, job_id, now))

    def delete_job(self, job_id: str) -> None:
        """Delete a job that is not running, with its log entries (one statement)."""
        self._tx.run(lambda conn: shared.delete_job(conn, SQL, job_id))

    def add_logs(self, entries: Sequence[LogEntry]) -> None:
        if entries:
            self._tx.run(lambda conn: _insert_logs(conn, entries))

    def read_logs(self, query: LogQuery) -> list[LogEntry]:
        return self._tx.run(lambda conn: shared.read_logs(conn, SQL, query, no_limit=None))

    def stats(self) -> list[SourceStats]:
        # REPEATABLE READ would make the three queries agree exactly; counts a
        # few milliseconds apart are good enough for a dashboard.
        return self._tx.run(lambda conn: shared.stats(conn, SQL))

    # events

    def get_event(self, event_id: str) -> Event:
        return self._tx.run(lambda conn: shared.get_event(conn, SQL, event_id, list))

    def list_events(self, type: str | None = None, limit: int = 100) -> list[Event]:
        return self._tx.run(lambda conn: shared.list_events(conn, SQL, type, limit, list))

    def wake_listener(self) -> NotifyWakeListener:
        return NotifyWakeListener(self.url)

    def close(self) -> None:
        self._tx.close()

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

        return self._tx.run(work)


def _one(conn: Conn, sql: str, params: dict[str, Any]) -> TupleRow | None:
    return conn.execute(sql, params).fetchone()


def _scalar(conn: Conn, sql: str, params: dict[str, Any]) -> int:
    row = _one(conn, sql, params)
    return int(row[0]) if row else 0


def _persist(conn: Conn, outbox: Outbox, now: float) -> None:
    if outbox.events:
        params = [rows.event_params(event) for event in outbox.events]
        conn.execute(SQL["insert_events"], _arrays(params))
    if outbox.jobs:
        insert_jobs(conn, outbox.jobs, now)  # unique jobs apart (policy_ops.py)
    if outbox.logs:
        _insert_logs(conn, outbox.logs)


def _insert_logs(conn: Conn, entries: Sequence[LogEntry]) -> None:
    conn.execute(SQL["insert_logs"], _arrays([rows.log_params(entry) for entry in entries]))
