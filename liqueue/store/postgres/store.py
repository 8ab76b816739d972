"""The PostgreSQL backend: many workers on many machines.

Connections come from a pool (`connection.Transactions`), which runs an
operation once more when the server restarted under it. Batches travel as
arrays (unnest), so a claim, a completion or an enqueue is one statement
whatever its size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow

from liqueue.errors import StoreError
from liqueue.events.event import Event
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store import browse, log_pages, overview, pauses, rows, shared
from liqueue.store.base import JobQuery, LogQuery, SourceStats
from liqueue.store.browse import JobCount, JobCursor, JobFamily, JobFilter
from liqueue.store.filters import filtered
from liqueue.store.overview import AttemptCount, MinuteCount, WorkerInfo
from liqueue.store.pauses import Pause, PauseTarget
from liqueue.store.postgres import schema
from liqueue.store.postgres.batches import events_json, jobs_json, logs_json, outcomes_json
from liqueue.store.postgres.claim import claim_due
from liqueue.store.postgres.connection import Conn, Transactions, autocommit, autocommitted
from liqueue.store.postgres.failures import one_line
from liqueue.store.postgres.policy_ops import PostgresLimitOps, PostgresPolicyOps, insert_jobs
from liqueue.store.postgres.schema import LATEST_VERSION, SQL
from liqueue.store.postgres.wake import CHANNEL_SQL, NotifyWakeListener
from liqueue.store.sqlfiles import MIGRATE_COMMAND, check_schema_version
from liqueue.store.stats import SourceReport
from liqueue.store.url import redact

# Jobs alone (the common enqueue) go in one autocommitted statement: no BEGIN, no
# COMMIT, no separate NOTIFY round trip; the notification leaves at its commit.
INSERT_JOBS_AND_NOTIFY = (
    f"WITH inserted AS (\n{SQL['insert_jobs'].rstrip()}\nRETURNING 1\n)\n"
    f"SELECT pg_notify({CHANNEL_SQL}, '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row"
)

# Outcomes that queue nothing (the common completion) go the same way: their
# log lines and the jobs' new states in one autocommitted statement, one round
# trip instead of four (BEGIN, the update, the log lines, COMMIT). Log lines
# do not depend on which outcomes took effect (shared.outbox_of), so the
# update's result is not needed first.
COMPLETE_AND_LOG = f"WITH logged AS (\n{SQL['insert_logs'].rstrip()}\n)\n{SQL['complete_jobs']}"


T = TypeVar("T")


class PostgresStore(PostgresPolicyOps, PostgresLimitOps):
    writes_in_process = False

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
        self._tx = Transactions(
            url, min_size=min_size, max_size=max_size, migrate_command=migrate_command
        )
        self._schema_checked = False

    # plumbing

    def _run(self, work: Callable[[Conn], T], *, needs_schema: bool = True) -> T:
        """`work` in one transaction; the first operation checks the schema version
        first, so nothing is read or written on a missing, old or newer schema."""
        if needs_schema and not self._schema_checked:
            self.check_schema()
        try:
            return self._tx.run(work)
        except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn) as err:
            self._schema_checked = False  # the schema changed under us: say how
            self.check_schema()
            raise StoreError(f"PostgreSQL at {redact(self.url)}: {err}") from err
        except psycopg.Error as err:
            # A read-only database, a constraint a hand edit broke...: one line, no traceback.
            raise StoreError(f"PostgreSQL at {redact(self.url)}: {one_line(err)}") from err

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

    def enqueue_now(self, outbox: Outbox, now: float) -> bool:  # noqa: ARG002
        """Always False: a write waits for the server (`enqueue` it from a thread)."""
        return False

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
            params = {"jobs": jobs_json(outbox.jobs, now)}
            self._run(lambda conn: autocommit(conn, INSERT_JOBS_AND_NOTIFY, params))
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
        if limit <= 0 or not priorities:
            return []

        def work(conn: Conn) -> list[Job]:
            with autocommitted(conn):  # one statement: one round trip, no BEGIN or COMMIT
                return claim_due(conn, worker_id, limit, now, lease_seconds, priorities)

        return self._run(work)

    def complete(self, outcomes: Sequence[AttemptOutcome], now: float) -> None:
        if not outcomes:
            return
        batch = {"outcomes": outcomes_json(rows.outcome_params(o, now) for o in outcomes)}
        if _queue_nothing(outcomes):
            batch["logs"] = logs_json(line for outcome in outcomes for line in outcome.outbox.logs)
            self._run(lambda conn: autocommit(conn, COMPLETE_AND_LOG, batch))
            return

        def work(conn: Conn) -> None:
            found = conn.execute(SQL["complete_jobs"], batch).fetchall()
            applied = {row[0] for row in found}
            merged = shared.outbox_of(outcomes, applied)
            _persist(conn, merged, now)
            _set_parents(conn, *browse.parent_pairs(outcomes, applied))
            if not merged.jobs and any(o.state is JobState.RETRY for o in outcomes):
                conn.execute(SQL["notify_jobs"])

        self._run(work)

    def heartbeat(self, worker_id: str, job_ids: Sequence[str], lease_until: float) -> None:
        if not job_ids:
            return
        params = {"ids": list(job_ids), "worker_id": worker_id, "lease_until": lease_until}
        self._run(lambda conn: conn.execute(SQL["heartbeat_jobs"], params))

    def release(self, job_ids: Sequence[str], now: float, worker_id: str | None = None) -> None:  # noqa: ARG002 (the Store protocol gives every write its time)
        if job_ids:
            params = {"ids": list(job_ids), "worker_id": worker_id}
            self._update_and_notify(SQL["release_jobs"], params)

    def rescue_expired(self, now: float, max_rescues: int = 3) -> list[str]:
        """Requeue jobs whose lease ran out; returns their ids (not those made dead).

        Rows no claim would ever take (an unknown state or priority) are set dead.
        """

        def work(conn: Conn) -> list[str]:
            params = {"now": now, "max_rescues": max_rescues}
            dead = conn.execute(SQL["kill_lost_jobs"], params).fetchall()
            rescued = conn.execute(SQL["rescue_jobs"], {"now": now}).fetchall()
            entries = [rows.rescue_entry(row, now, dead=True) for row in dead]
            entries += [rows.rescue_entry(row, now, dead=False) for row in rescued]
            unreadable = conn.execute(SQL["kill_unreadable_jobs"], {"now": now}).fetchall()
            entries += [rows.unreadable_entry(row, now) for row in unreadable]
            if entries:
                _insert_logs(conn, entries)
            if rescued:
                conn.execute(SQL["notify_jobs"])
            return [row[0] for row in rescued]

        return self._run(work)

    def prune(self, done_before: float, dead_before: float) -> int:
        params = {"done_before": done_before, "dead_before": dead_before}
        before = {"before": min(done_before, dead_before)}

        def prune(conn: Conn) -> int:
            conn.execute(SQL["lock_attempt_minutes"])
            conn.execute(SQL["prune_attempt_minutes"], before)
            conn.execute(SQL["prune_attempt_minute_deltas"], before)
            conn.execute(SQL["prune_attempt_hours"], before)
            conn.execute(SQL["sum_pruned_hour"], before)
            return _scalar(conn, SQL["prune_jobs"], params)

        return self._run(prune)

    def next_run_at(self) -> float | None:
        row = self._run(lambda conn: _one(conn, SQL["next_run_at"], {"blocked": []}))
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

    def iter_logs(
        self, query: LogQuery, page_size: int = log_pages.DEFAULT_PAGE_SIZE
    ) -> Iterator[LogEntry]:
        def fetch(name: str, params: Mapping[str, Any]) -> list[Any]:
            # One short transaction per page: no connection is held while the caller prints.
            return self._run(
                lambda conn: conn.execute(filtered(SQL[name], params), params).fetchall()
            )

        return log_pages.iter_logs(fetch, query, page_size)

    def stats(self) -> list[SourceStats]:
        # REPEATABLE READ would make the three queries agree exactly; counts a
        # few milliseconds apart are good enough for a dashboard.
        return self._run(lambda conn: shared.stats(conn, SQL))

    # events

    def get_event(self, event_id: str) -> Event:
        return self._run(lambda conn: shared.get_event(conn, SQL, event_id, list))

    def list_events(self, type: str | None = None, limit: int = 100) -> list[Event]:
        return self._run(lambda conn: shared.list_events(conn, SQL, type, limit, list))

    def count_events(self, type: str | None = None) -> int:
        def count(conn: Conn) -> int:
            row = conn.execute(SQL["count_events"], {"type": type}).fetchone()
            return int(row[0]) if row else 0

        return self._run(count)

    # the dashboard, the JSON API and /metrics

    def find_jobs(self, wanted: JobFilter, limit: int, after: JobCursor | None) -> list[Job]:
        params = browse.find_params(wanted, limit, after)
        sql = filtered(SQL["find_jobs"], params)
        return browse.jobs_from_rows(self._run(lambda conn: conn.execute(sql, params).fetchall()))

    def count_jobs(self, wanted: JobFilter) -> int:
        if wanted.counted:
            return browse.count_from(self.job_counts(), wanted)
        params = wanted.params()
        sql = filtered(SQL["count_matching_jobs"], params)
        return self._run(lambda conn: _scalar(conn, sql, params))

    def cancel_jobs(self, job_ids: Sequence[str], now: float) -> int:
        if not job_ids:
            return 0
        params = {"ids": list(job_ids), "now": now}
        return self._run(lambda conn: int(conn.execute(SQL["cancel_jobs"], params).rowcount))

    def delete_jobs(self, job_ids: Sequence[str]) -> int:
        if not job_ids:
            return 0
        params = {"ids": list(job_ids)}
        return self._run(lambda conn: len(conn.execute(SQL["delete_jobs"], params).fetchall()))

    def run_jobs_now(self, job_ids: Sequence[str], now: float) -> int:
        if not job_ids:
            return 0
        return self._update_and_notify(SQL["run_jobs_now"], {"ids": list(job_ids), "now": now})

    def job_counts(self) -> list[JobCount]:
        def work(conn: Conn) -> list[TupleRow]:
            conn.execute(SQL["compact_job_counts"])
            return conn.execute(SQL["read_job_counts"]).fetchall()

        return browse.job_counts_from_rows(self._run(work))

    def attempt_counts(self) -> list[AttemptCount]:
        def work(conn: Conn) -> list[TupleRow]:
            conn.execute(SQL["compact_attempt_counts"])
            return conn.execute(SQL["read_attempt_counts"]).fetchall()

        return overview.attempt_counts_from_rows(self._run(work))

    def attempts_per_minute(self, since: float) -> list[MinuteCount]:
        def work(conn: Conn) -> list[TupleRow]:
            conn.execute(SQL["compact_attempt_minutes"])
            return conn.execute(SQL["attempt_minutes_chart"], {"since": since}).fetchall()

        return overview.chart_from_rows(self._run(work))

    def queue_latency(self, now: float) -> dict[str, float | None]:
        sql, params = SQL["queue_latency"], {"now": now}
        found = self._run(lambda conn: conn.execute(sql, params).fetchall())
        return {p.value: wait for p, wait in overview.latency_from_rows(found, now).items()}

    def window_stats(self, since: float) -> list[SourceStats]:
        return self._run(lambda conn: shared.window_stats(conn, SQL, since))

    def window_report(self, since: float) -> list[SourceReport]:
        def work(conn: Conn) -> list[SourceReport]:
            conn.execute(SQL["compact_job_counts"])
            counts = conn.execute(SQL["read_job_counts"]).fetchall()
            conn.execute(SQL["compact_attempt_minutes"])
            found = conn.execute(SQL["attempt_minutes_window"], {"since": since}).fetchall()
            return overview.window_report(counts, found)

        return self._run(work)

    def job_family(self, job_id: str) -> JobFamily:
        def work(conn: Conn) -> JobFamily:
            params = {"id": shared.get_job(conn, SQL, job_id).id, "limit": browse.FAMILY_LIMIT}
            return browse.family_from_rows(conn.execute(SQL["job_family"], params).fetchall())

        return self._run(work)

    def save_worker(self, worker: WorkerInfo) -> None:
        self._run(lambda conn: conn.execute(SQL["upsert_worker"], worker.params()))

    def remove_worker(self, worker_id: str) -> None:
        self._run(lambda conn: conn.execute(SQL["delete_worker"], {"id": worker_id}))

    def prune_workers(self, heartbeat_before: float) -> int:
        params = {"before": heartbeat_before}
        return self._run(lambda conn: int(conn.execute(SQL["prune_workers"], params).rowcount))

    def list_workers(self) -> list[WorkerInfo]:
        found = self._run(lambda conn: conn.execute(SQL["list_workers"]).fetchall())
        return overview.workers_from_rows(found)

    def pause(self, target: PauseTarget, now: float, by: str | None) -> bool:
        params = target.params(now, by)
        return self._run(lambda conn: bool(conn.execute(SQL["insert_pause"], params).rowcount))

    def resume(self, target: PauseTarget) -> bool:
        return bool(
            self._update_and_notify(SQL["delete_pause"], dict(pauses.target_params(target)))
        )

    def list_pauses(self) -> list[Pause]:
        found = self._run(lambda conn: conn.execute(SQL["list_pauses"]).fetchall())
        return pauses.pauses_from_rows(found)

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

        return self._run(work)


def _one(conn: Conn, sql: str, params: dict[str, Any]) -> TupleRow | None:
    return conn.execute(sql, params).fetchone()


def _scalar(conn: Conn, sql: str, params: dict[str, Any]) -> int:
    row = _one(conn, sql, params)
    return int(row[0]) if row else 0


def _set_parents(conn: Conn, jobs: list[tuple[str, str]], events: list[tuple[str, str]]) -> None:
    for sql, pairs in (("set_job_parents", jobs), ("set_event_parents", events)):
        if pairs:
            params = {"parents": [p for p, _ in pairs], "children": [c for _, c in pairs]}
            conn.execute(SQL[sql], params)


def _queue_nothing(outcomes: Sequence[AttemptOutcome]) -> bool:
    """True when these outcomes only write log lines and new states: no jobs or
    events to queue, no parents to set, no retry to wake workers for."""
    return not any(
        outcome.outbox.jobs or outcome.outbox.events or outcome.state is JobState.RETRY
        for outcome in outcomes
    )


def _persist(conn: Conn, outbox: Outbox, now: float) -> None:
    if outbox.events:
        conn.execute(SQL["insert_events"], {"events": events_json(outbox.events)})
    if outbox.jobs:
        insert_jobs(conn, outbox.jobs, now)  # unique jobs apart (policy_ops.py)
    if outbox.logs:
        _insert_logs(conn, outbox.logs)


def _insert_logs(conn: Conn, entries: Sequence[LogEntry]) -> None:
    conn.execute(SQL["insert_logs"], {"logs": logs_json(entries)})
