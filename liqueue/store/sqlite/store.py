"""The SQLite backend: the embedded default, one file under the application.

Thread safety: a store holds one connection, shared by its threads under a
lock, so one store per process is the intended use (the worker uses it from
its main thread). Several processes may open the same file: every write runs
in BEGIN IMMEDIATE under a busy timeout, and WAL lets readers carry on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from liqueue.errors import StoreError
from liqueue.events.event import Event
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store import browse, columns, log_pages, overview, pauses, rows, shared
from liqueue.store.base import JobQuery, LogQuery, SourceStats
from liqueue.store.browse import JobCount, JobCursor, JobFamily, JobFilter
from liqueue.store.filters import filtered
from liqueue.store.overview import AttemptCount, MinuteCount, WorkerInfo
from liqueue.store.pauses import Pause, PauseTarget
from liqueue.store.sqlfiles import check_schema_version
from liqueue.store.sqlite import batches, connection, schema
from liqueue.store.sqlite.claim import NO_SOURCES, claim_due_rows, jobs_from_batches
from liqueue.store.sqlite.connection import Transactions
from liqueue.store.sqlite.counts import count_left_running, insert_logs
from liqueue.store.sqlite.loop_writes import LoopWrites
from liqueue.store.sqlite.policy_ops import SQLiteLimitOps, SQLitePolicyOps, insert_jobs
from liqueue.store.sqlite.schema import LATEST_VERSION, SQL
from liqueue.store.sqlite.wake import SocketWakeListener, WakeSender, wake_dir_for
from liqueue.store.stats import SourceReport
from liqueue.store.url import sqlite_url_for


class SQLiteStore(SQLitePolicyOps, SQLiteLimitOps):
    writes_in_process = True

    def __init__(self, path: Path, *, busy_timeout: float = 30.0, migrate: bool = True) -> None:
        """Open (creating if needed) and, unless `migrate` is False, migrate the file."""
        self.path = Path(path)
        self.url = sqlite_url_for(self.path)
        self._tx = Transactions(
            connection.open_database(self.path, busy_timeout), self.path, busy_timeout
        )
        self._waker = WakeSender(wake_dir_for(self.path))
        # enqueue_now's transactions, on a connection of their own (loop_writes.py).
        self._loop_writes = LoopWrites(self.path, busy_timeout)
        if migrate:
            self.migrate()

    # schema

    def migrate(self) -> int:
        return schema.migrate(self._tx, self.url)

    def schema_version(self) -> tuple[int, int]:
        with self._tx.lock:
            return schema.current_version(self._tx.db), LATEST_VERSION

    def check_schema(self) -> None:
        check_schema_version(self.url, *self.schema_version())

    # the path of a job

    def enqueue(self, outbox: Outbox, now: float, connection: object | None = None) -> None:
        """Persist an outbox in one transaction.

        `connection` is refused: this store owns the file's writes, and a job
        written on another connection would wake no worker when it commits.
        """
        if connection is not None:
            raise StoreError(
                "the SQLite store cannot enqueue inside a caller's connection; "
                "call enqueue(outbox, now) and it commits on its own"
            )
        if not outbox:
            return
        with self._tx.write() as db:
            _persist(db, outbox, now)
        if outbox.jobs:
            self._waker.notify()

    def enqueue_now(self, outbox: Outbox, now: float) -> bool:
        """`enqueue`, or False with nothing written while another thread or
        process holds the write lock (waiting for it could take long). Made for an
        event loop: neither this nor a later call does a WAL checkpoint, which
        a thread takes (loop_writes.py)."""
        with self._loop_writes.write_now() as db:
            if db is None:
                return False
            _persist(db, outbox, now)
        if outbox.jobs:
            self._waker.notify()
        return True

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: float,
        lease_seconds: float,
        priorities: Sequence[str],
    ) -> list[Job]:
        if limit <= 0:
            return []
        with self._tx.write() as db:
            found = claim_due_rows(db, worker_id, limit, now, lease_seconds, priorities)
        return jobs_from_batches(found)  # decoded once the write lock is free

    def complete(self, outcomes: Sequence[AttemptOutcome], now: float) -> None:
        if not outcomes:
            return
        params = [rows.outcome_params(outcome, now) for outcome in outcomes]
        with self._tx.write() as db:
            applied = _apply_outcomes(db, params)
            merged = shared.outbox_of(outcomes, applied)
            _persist(db, merged, now)
            _set_parents(db, *browse.parent_pairs(outcomes, applied))
        if merged.jobs or any(outcome.state is JobState.RETRY for outcome in outcomes):
            self._waker.notify()

    def heartbeat(self, worker_id: str, job_ids: Sequence[str], lease_until: float) -> None:
        if not job_ids:
            return
        with self._tx.write() as db:
            db.execute(
                SQL["heartbeat_jobs"],
                {
                    "ids": rows.dumps(list(job_ids)),
                    "worker_id": worker_id,
                    "lease_until": lease_until,
                },
            )

    def release(self, job_ids: Sequence[str], now: float, worker_id: str | None = None) -> None:  # noqa: ARG002 (the Store protocol gives every write its time)
        if not job_ids:
            return
        params = {"ids": rows.dumps(list(job_ids)), "worker_id": worker_id}
        with self._tx.write() as db:
            released = db.execute(SQL["release_jobs"], params).fetchall()
            count_left_running(db, released)
        if released:
            self._waker.notify()

    def rescue_expired(self, now: float, max_rescues: int = 3) -> list[str]:
        """Requeue jobs whose lease ran out; returns their ids (not those made dead).

        Rows no claim would ever take (an unknown state or priority) are set dead.
        """
        with self._tx.write() as db:
            dead = db.execute(SQL["kill_lost_jobs"], {"now": now, "max_rescues": max_rescues})
            dead_rows = dead.fetchall()
            rescued_rows = db.execute(SQL["rescue_jobs"], {"now": now}).fetchall()
            count_left_running(db, [row[_RESCUED_COUNTED:] for row in dead_rows + rescued_rows])
            entries = [_rescue_entry(row, now, dead=True) for row in dead_rows]
            entries += [_rescue_entry(row, now, dead=False) for row in rescued_rows]
            unreadable = db.execute(SQL["kill_unreadable_jobs"], {"now": now}).fetchall()
            entries += [rows.unreadable_entry(row, now) for row in unreadable]
            insert_logs(db, [rows.log_params(entry) for entry in entries])
        if rescued_rows:
            self._waker.notify()
        return [row[0] for row in rescued_rows]

    def prune(self, done_before: float, dead_before: float) -> int:
        with self._tx.write() as db:
            params = {"done_before": done_before, "dead_before": dead_before}
            ids = [row[0] for row in db.execute(SQL["prune_jobs"], params).fetchall()]
            if ids:
                _delete_traces(db, ids)
            before = min(done_before, dead_before)
            db.execute(SQL["prune_attempt_minutes"], {"before": before})
        return len(ids)

    def next_run_at(self) -> float | None:
        with self._tx.lock:
            value = self._tx.db.execute(SQL["next_run_at"], {"blocked": NO_SOURCES}).fetchone()[0]
        return None if value is None else float(value)

    # inspection and repair

    def get_job(self, job_id: str) -> Job:
        with self._tx.read() as db:
            return shared.get_job(db, SQL, job_id)

    def list_jobs(self, query: JobQuery) -> list[Job]:
        with self._tx.lock:
            return shared.list_jobs(self._tx.db, SQL, query)

    def retry_jobs(self, job_ids: Sequence[str], now: float) -> int:
        if not job_ids:
            return 0
        with self._tx.write() as db:
            count = db.execute(
                SQL["retry_jobs"], {"ids": rows.dumps(list(job_ids)), "now": now}
            ).rowcount
        if count:
            self._waker.notify()
        return count

    def retry_all_dead(self, now: float) -> int:
        with self._tx.write() as db:
            count = db.execute(SQL["retry_all_dead"], {"now": now}).rowcount
        if count:
            self._waker.notify()
        return count

    def cancel_job(self, job_id: str, now: float) -> None:
        with self._tx.write() as db:
            shared.cancel_job(db, SQL, job_id, now)

    def delete_job(self, job_id: str) -> None:
        """Delete a job that is not running, with its log entries."""
        with self._tx.write() as db:
            full_id = shared.delete_job(db, SQL, job_id)
            db.execute(SQL["delete_job_logs"], {"id": full_id})
            db.execute(SQL["delete_job_aliases"], {"id": full_id})

    def add_logs(self, entries: Sequence[LogEntry]) -> None:
        if not entries:
            return
        with self._tx.write() as db:
            insert_logs(db, [rows.log_params(entry) for entry in entries])

    def read_logs(self, query: LogQuery) -> list[LogEntry]:
        with self._tx.lock:
            return shared.read_logs(self._tx.db, SQL, query, no_limit=-1)

    def iter_logs(
        self, query: LogQuery, page_size: int = log_pages.DEFAULT_PAGE_SIZE
    ) -> Iterator[LogEntry]:
        def fetch(name: str, params: Mapping[str, Any]) -> list[Any]:
            with self._tx.lock:  # per page: writers are not held up while the caller prints
                return self._tx.db.execute(filtered(SQL[name], params), params).fetchall()

        return log_pages.iter_logs(fetch, query, page_size)

    def stats(self) -> list[SourceStats]:
        with self._tx.read() as db:
            return shared.stats(db, SQL)

    # events

    def get_event(self, event_id: str) -> Event:
        with self._tx.read() as db:
            return shared.get_event(db, SQL, event_id, rows.dumps)

    def list_events(self, type: str | None = None, limit: int = 100) -> list[Event]:
        with self._tx.read() as db:
            return shared.list_events(db, SQL, type, limit, rows.dumps)

    def count_events(self, type: str | None = None) -> int:
        with self._tx.lock:
            return int(self._tx.db.execute(SQL["count_events"], {"type": type}).fetchone()[0])

    # the dashboard, the JSON API and /metrics

    def find_jobs(self, wanted: JobFilter, limit: int, after: JobCursor | None) -> list[Job]:
        params = browse.find_params(wanted, limit, after)
        with self._tx.read() as db:
            found = db.execute(filtered(SQL["find_jobs"], params), params).fetchall()
        return browse.jobs_from_rows(found)

    def count_jobs(self, wanted: JobFilter) -> int:
        if wanted.counted:
            return browse.count_from(self.job_counts(), wanted)
        with self._tx.read() as db:
            params = wanted.params()
            sql = filtered(SQL["count_matching_jobs"], params)
            return int(db.execute(sql, params).fetchone()[0])

    def cancel_jobs(self, job_ids: Sequence[str], now: float) -> int:
        if not job_ids:
            return 0
        with self._tx.write() as db:
            params = {"ids": rows.dumps(list(job_ids)), "now": now}
            return int(db.execute(SQL["cancel_jobs"], params).rowcount)

    def delete_jobs(self, job_ids: Sequence[str]) -> int:
        if not job_ids:
            return 0
        with self._tx.write() as db:
            deleted = [
                r[0] for r in db.execute(SQL["delete_jobs"], {"ids": rows.dumps(list(job_ids))})
            ]
            if deleted:
                _delete_traces(db, deleted)
        return len(deleted)

    def run_jobs_now(self, job_ids: Sequence[str], now: float) -> int:
        if not job_ids:
            return 0
        with self._tx.write() as db:
            params = {"ids": rows.dumps(list(job_ids)), "now": now}
            count = int(db.execute(SQL["run_jobs_now"], params).rowcount)
        if count:
            self._waker.notify()
        return count

    def job_counts(self) -> list[JobCount]:
        with self._tx.read() as db:
            return browse.job_counts_from_rows(db.execute(SQL["read_job_counts"]).fetchall())

    def attempt_counts(self) -> list[AttemptCount]:
        with self._tx.read() as db:
            found = db.execute(SQL["read_attempt_counts"]).fetchall()
        return overview.attempt_counts_from_rows(found)

    def attempts_per_minute(self, since: float) -> list[MinuteCount]:
        with self._tx.read() as db:
            found = db.execute(SQL["attempt_minutes_chart"], {"since": since}).fetchall()
        return overview.chart_from_rows(found)

    def queue_latency(self, now: float) -> dict[str, float | None]:
        with self._tx.read() as db:
            found = db.execute(SQL["queue_latency"], {"now": now}).fetchall()
        return {p.value: wait for p, wait in overview.latency_from_rows(found, now).items()}

    def window_stats(self, since: float) -> list[SourceStats]:
        with self._tx.read() as db:
            return shared.window_stats(db, SQL, since)

    def window_report(self, since: float) -> list[SourceReport]:
        with self._tx.read() as db:
            counts = db.execute(SQL["read_job_counts"]).fetchall()
            found = db.execute(SQL["attempt_minutes_window"], {"since": since}).fetchall()
        return overview.window_report(counts, found)

    def job_family(self, job_id: str) -> JobFamily:
        with self._tx.read() as db:
            full_id = shared.get_job(db, SQL, job_id).id
            params = {"id": full_id, "limit": browse.FAMILY_LIMIT}
            return browse.family_from_rows(db.execute(SQL["job_family"], params).fetchall())

    def save_worker(self, worker: WorkerInfo) -> None:
        with self._tx.write() as db:
            db.execute(SQL["upsert_worker"], worker.params())

    def remove_worker(self, worker_id: str) -> None:
        with self._tx.write() as db:
            db.execute(SQL["delete_worker"], {"id": worker_id})

    def prune_workers(self, heartbeat_before: float) -> int:
        with self._tx.write() as db:
            return int(db.execute(SQL["prune_workers"], {"before": heartbeat_before}).rowcount)

    def list_workers(self) -> list[WorkerInfo]:
        with self._tx.read() as db:
            return overview.workers_from_rows(db.execute(SQL["list_workers"]).fetchall())

    def pause(self, target: PauseTarget, now: float, by: str | None) -> bool:
        with self._tx.write() as db:
            return bool(db.execute(SQL["insert_pause"], target.params(now, by)).rowcount)

    def resume(self, target: PauseTarget) -> bool:
        with self._tx.write() as db:
            resumed = bool(db.execute(SQL["delete_pause"], pauses.target_params(target)).rowcount)
        if resumed:
            self._waker.notify()
        return resumed

    def list_pauses(self) -> list[Pause]:
        with self._tx.read() as db:
            return pauses.pauses_from_rows(db.execute(SQL["list_pauses"]).fetchall())

    def wake_listener(self) -> SocketWakeListener:
        return SocketWakeListener(self._waker.directory)

    def close(self) -> None:
        self._loop_writes.close()
        with self._tx.lock:
            self._waker.close()
            self._tx.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _delete_traces(db: sqlite3.Connection, job_ids: list[str]) -> None:
    """What points at deleted jobs: their log lines and aliases (refused duplicates' ids)."""
    params = {"ids": rows.dumps(job_ids)}
    db.execute(SQL["delete_logs_of_jobs"], params)
    db.execute(SQL["delete_aliases_of_jobs"], params)


def _set_parents(
    db: sqlite3.Connection, jobs: list[tuple[str, str]], events: list[tuple[str, str]]
) -> None:
    if jobs:
        db.execute(SQL["set_job_parents"], {"pairs": rows.dumps(jobs)})
    if events:
        db.execute(SQL["set_event_parents"], {"pairs": rows.dumps(events)})


def _apply_outcomes(db: sqlite3.Connection, params: list[tuple[Any, ...]]) -> set[str] | None:
    """Ids of the outcomes that took effect, or None when all did (the usual case).

    One statement over the batch (batches.py), which names the rows it changed.
    Two outcomes for one job go one statement each, in order, so the second
    finds the job no longer running.
    """
    if len({row[_OUTCOME_ID] for row in params}) == len(params):
        changed: list[Any] = []
        for sql, values in batches.chunks(
            db,
            SQL["complete_outcomes"],
            _ONE_OUTCOME,
            params,
            len(columns.OUTCOME),
            OUTCOMES_PER_STATEMENT,
        ):
            changed += db.execute(sql, values).fetchall()
        count_left_running(db, [row[1:] for row in changed])
        return None if len(changed) == len(params) else {row[0] for row in changed}
    applied: set[str] = set()
    moved: list[tuple[Any, ...]] = []
    for named in map(rows.named_outcome, params):
        changed_row = db.execute(SQL["complete_jobs"], named).fetchone()
        if changed_row is not None:
            applied.add(named["id"])
            moved.append(changed_row)
    count_left_running(db, moved)
    return None if len(applied) == len(params) else applied


_ONE_OUTCOME = batches.one_row(len(columns.OUTCOME))
# Once the database has statistics (ANALYZE, PRAGMA optimize), SQLite joins a
# batch of 128 or more outcomes to jobs through a Bloom filter, built by
# reading every job: 25 ms a statement with 1,000,000 jobs queued for later,
# ten times the batch's own work. Up to 64 it looks each job up by id
# (tests/store/test_sqlite_batches.py checks the plan).
OUTCOMES_PER_STATEMENT = 64
_OUTCOME_ID = columns.OUTCOME.index("id")
# Where the columns job_counts needs start in a rescue's RETURNING.
_RESCUED_COUNTED = 6


def _rescue_entry(row: Sequence[Any], now: float, *, dead: bool) -> LogEntry:
    return rows.rescue_entry(row[:_RESCUED_COUNTED], now, dead=dead)


def _persist(db: sqlite3.Connection, outbox: Outbox, now: float) -> None:
    if outbox.events:
        db.executemany(SQL["insert_events"], [rows.event_params(event) for event in outbox.events])
    if outbox.jobs:
        insert_jobs(db, outbox.jobs, now)  # unique jobs apart (policy_ops.py)
    if outbox.logs:
        insert_logs(db, [rows.log_params(entry) for entry in outbox.logs])
