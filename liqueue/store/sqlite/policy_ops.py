"""SQLite store operations for schedules, unique jobs and limits (liqueue/policies.py).

A mixin of `SQLiteStore`, so the plain operations stay as they were.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from liqueue.jobs import JobSpec
from liqueue.policies import ScheduledTick, SourcePolicy
from liqueue.store import columns, rows
from liqueue.store.limited_claim import ClaimRequest, claim_limited_sources
from liqueue.store.policy_rows import (
    LimitedClaim,
    ScheduleRun,
    refusals,
    runs_from_rows,
    split_unique,
)
from liqueue.store.sqlite import batches
from liqueue.store.sqlite.claim import claim_due_rows, jobs_from_batches
from liqueue.store.sqlite.connection import Transactions
from liqueue.store.sqlite.counts import insert_logs
from liqueue.store.sqlite.schema import SQL
from liqueue.store.sqlite.wake import WakeSender


class SQLitePolicyOps:
    _tx: Transactions
    _waker: WakeSender

    def queue_ticks(self, ticks: Sequence[ScheduledTick], now: float) -> list[str]:
        """Queue each tick's job unless some worker queued that tick already; ids queued."""
        if not ticks:
            return []
        queued: list[JobSpec] = []
        with self._tx.write() as db:
            for tick in ticks:
                params = {
                    "schedule_name": tick.schedule_name,
                    "tick_at": tick.tick_at,
                    "job_id": tick.job.id,
                    "now": now,
                }
                if db.execute(SQL["insert_tick"], params).rowcount:
                    queued.append(tick.job)
            insert_jobs(db, queued, now)
        if queued:
            self._waker.notify()
        return [job.id for job in queued]

    def last_ticks(self) -> dict[str, ScheduleRun]:
        with self._tx.read() as db:
            return runs_from_rows(db.execute(SQL["last_ticks"]).fetchall())

    def prune_ticks(self, before: float) -> int:
        with self._tx.write() as db:
            return int(db.execute(SQL["prune_ticks"], {"before": before}).rowcount)

    def unique_holder(self, key: str, now: float) -> str | None:
        with self._tx.lock:
            row = self._tx.db.execute(SQL["unique_holder"], {"key": key, "now": now}).fetchone()
        return None if row is None else str(row[0])


def insert_jobs(db: sqlite3.Connection, specs: Sequence[JobSpec], now: float) -> None:
    """Insert jobs and count them in job_counts; those with a unique key go one by
    one, a refused one leaving a `unique` log line and its id as an alias of the
    job holding the key."""
    plain, unique = split_unique(specs)
    counted: Counter[tuple[int, str]] = Counter()
    if plain:
        _insert_plain(db, rows.job_params(plain, now), counted)
    if unique:
        _insert_unique(db, unique, now, counted)
    if len(counted) == 1:  # a page's jobs, mostly: executemany costs more for one row
        [(key, n)] = counted.items()
        db.execute(SQL["count_new_jobs"], (*key, n))
    elif counted:
        db.executemany(SQL["count_new_jobs"], [(*key, n) for key, n in counted.items()])


# Where a job's priority and source name are in its insert parameters.
_PRIORITY = columns.JOB_INSERT.index("priority")
_SOURCE_NAME = columns.JOB_INSERT.index("source_name")

# insert_jobs with its one row of VALUES repeated (batches.py).
_ONE_ROW = batches.one_row(len(columns.JOB_INSERT), "'scheduled', 0, ")
assert SQL["insert_jobs"].count(_ONE_ROW) == 1, "insert_jobs.sql must hold one row of VALUES"


def _count(counted: Counter[tuple[int, str]], params: tuple[Any, ...]) -> None:
    counted[params[_PRIORITY], params[_SOURCE_NAME]] += 1


def _insert_plain(
    db: sqlite3.Connection, params: list[tuple[Any, ...]], counted: Counter[tuple[int, str]]
) -> None:
    """A few statements for the batch; a job whose id is stored already (the same
    outbox enqueued again) is skipped, and must not be counted."""
    if len(params) == 1:
        # One row's count says whether it went in: no savepoint to go back to
        # (its two statements were a tenth of a one-job page's commit).
        if db.execute(SQL["insert_jobs"], params[0]).rowcount:
            _count(counted, params[0])
        return
    db.execute("SAVEPOINT insert_jobs")
    inserted = 0
    width = len(columns.JOB_INSERT)
    for sql, values in batches.chunks(db, SQL["insert_jobs"], _ONE_ROW, params, width):
        inserted += db.execute(sql, values).rowcount
    if inserted == len(params):
        db.execute("RELEASE insert_jobs")
        for row in params:
            _count(counted, row)
        return
    # The statements say how many rows went in, not which: redone one at a time.
    db.execute("ROLLBACK TO insert_jobs")
    for row in params:
        if db.execute(SQL["insert_jobs"], row).rowcount:
            _count(counted, row)
    db.execute("RELEASE insert_jobs")


def _insert_unique(
    db: sqlite3.Connection,
    unique: Sequence[JobSpec],
    now: float,
    counted: Counter[tuple[int, str]],
) -> None:
    refused: list[JobSpec] = []
    owners: dict[str, str] = {}
    for spec, params in zip(unique, rows.job_params(unique, now), strict=True):
        key = spec.unique_key
        db.execute(SQL["release_unique_key"], {"key": key, "now": now})
        if db.execute(SQL["insert_unique_job"], (*params, key, spec.unique_for)).rowcount:
            _count(counted, params)
            continue
        refused.append(spec)
        # This transaction is the only writer: the row that refused the insert is there.
        owner = db.execute(SQL["unique_key_owner"], {"key": key}).fetchone()
        if owner is not None and key is not None:
            owners[key] = str(owner[0])
    found = refusals(refused, owners, now)
    if found.entries:
        insert_logs(db, [rows.log_params(entry) for entry in found.entries])
    aliases = [{"id": alias, "job_id": owner, "now": now} for alias, owner in found.aliases]
    if aliases:
        db.executemany(SQL["insert_job_aliases"], aliases)


class SQLiteLimitOps:
    """The limited claim: BEGIN IMMEDIATE makes each claim the only writer, so the
    counts it reads hold across processes until it commits."""

    _tx: Transactions
    _waker: WakeSender

    def claim_limited(
        self,
        worker_id: str,
        limit: int,
        clock: Callable[[], float],
        lease_seconds: float,
        priorities: Sequence[str],
        limits: Mapping[str, SourcePolicy],
    ) -> LimitedClaim:
        limited = rows.dumps(sorted(limits))
        with self._tx.write() as db:
            request = ClaimRequest(worker_id, limit, clock, lease_seconds)

            def record_starts(source: str, count: int, at: float) -> None:
                params = {"source_name": source, "now": at}
                db.executemany(SQL["insert_start"], [params] * count)

            result = claim_limited_sources(db, SQL, request, limits, record_starts)
            remaining = limit - len(result.jobs)
            if remaining > 0:
                now = clock()
                found = claim_due_rows(
                    db, worker_id, remaining, now, lease_seconds, priorities, limited
                )
                others = jobs_from_batches(found)
                result.jobs.extend(others)
        return result

    def next_run_at_except(self, blocked: Sequence[str]) -> float | None:
        with self._tx.lock:
            params = {"blocked": rows.dumps(list(blocked))}
            value = self._tx.db.execute(SQL["next_run_at"], params).fetchone()[0]
        return None if value is None else float(value)

    def limit_usage(self, source_name: str, since: float) -> tuple[int, int]:
        """(jobs of the source running, starts since `since`)."""
        with self._tx.read() as db:
            params = {"source_name": source_name, "since": since}
            running = db.execute(SQL["running_of_source"], params).fetchone()[0]
            starts = db.execute(SQL["starts_of_source"], params).fetchone()[0]
        return int(running), int(starts)

    def unique_refusals(self) -> dict[str, int]:
        with self._tx.read() as db:
            return {row[0]: int(row[1]) for row in db.execute(SQL["unique_refusals"])}

    def wake_workers(self) -> None:
        """A slot of a limited source freed: idle workers of every process look again."""
        self._waker.notify()
