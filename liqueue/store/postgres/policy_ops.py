"""PostgreSQL store operations for schedules, unique jobs and limits (liqueue/policies.py).

A mixin of `PostgresStore`, so the plain operations stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from liqueue.jobs import JobSpec
from liqueue.logs import LogEntry
from liqueue.policies import ScheduledTick, SourcePolicy
from liqueue.store import rows
from liqueue.store.limited_claim import ClaimRequest, claim_limited_sources
from liqueue.store.policy_rows import (
    LimitedClaim,
    ScheduleRun,
    refusal_entries,
    runs_from_rows,
    split_unique,
)
from liqueue.store.postgres.connection import Conn, Transactions
from liqueue.store.postgres.schema import SQL


class PostgresPolicyOps:
    _tx: Transactions

    def queue_ticks(self, ticks: Sequence[ScheduledTick], now: float) -> list[str]:
        """Queue each tick's job unless some worker queued that tick already; ids queued."""
        if not ticks:
            return []

        def work(conn: Conn) -> list[str]:
            queued: list[JobSpec] = []
            for tick in ticks:
                params = {
                    "schedule_name": tick.schedule_name,
                    "tick_at": tick.tick_at,
                    "job_id": tick.job.id,
                    "now": now,
                }
                if conn.execute(SQL["insert_tick"], params).fetchone() is not None:
                    queued.append(tick.job)
            if queued:
                insert_jobs(conn, queued, now)
            return [job.id for job in queued]

        return self._tx.run(work)

    def last_ticks(self) -> dict[str, ScheduleRun]:
        return self._tx.run(lambda conn: runs_from_rows(conn.execute(SQL["last_ticks"]).fetchall()))

    def prune_ticks(self, before: float) -> int:
        return self._tx.run(
            lambda conn: int(conn.execute(SQL["prune_ticks"], {"before": before}).rowcount)
        )

    def unique_holder(self, key: str, now: float) -> str | None:
        params = {"keys": [key], "now": now}
        found = self._tx.run(lambda conn: conn.execute(SQL["unique_holders"], params).fetchone())
        return None if found is None else str(found[1])


def insert_jobs(conn: Conn, specs: Sequence[JobSpec], now: float) -> None:
    """Insert jobs and wake workers; a unique job refused leaves a `unique` log line."""
    plain, unique = split_unique(specs)
    if plain:
        conn.execute(SQL["insert_jobs"], _arrays(rows.job_params(plain, now)))
    entries: list[LogEntry] = []
    if unique:
        keys = [spec.unique_key for spec in unique]
        conn.execute(SQL["release_unique_keys"], {"keys": keys, "now": now})
        columns = _arrays(rows.job_params(unique, now))
        columns += [keys, [spec.unique_for for spec in unique]]
        inserted = {row[0] for row in conn.execute(SQL["insert_unique_jobs"], columns)}
        refused = [spec for spec in unique if spec.id not in inserted]
        if refused:
            found = conn.execute(SQL["unique_holders"], {"keys": keys, "now": now}).fetchall()
            entries = refusal_entries(refused, {row[0]: row[1] for row in found}, now)
            if entries:
                params = _arrays([rows.log_params(entry) for entry in entries])
                conn.execute(SQL["insert_logs"], params)
    conn.execute(SQL["notify_jobs"])


def _arrays(params: list[tuple[Any, ...]]) -> list[list[Any]]:
    return [list(column) for column in zip(*params, strict=True)]


class PostgresLimitOps:
    """The limited claim: row locks on `source_limits` serialise claims of the same
    limited sources across processes and machines until each commits."""

    _tx: Transactions

    def claim_limited(
        self,
        worker_id: str,
        limit: int,
        clock: Callable[[], float],
        lease_seconds: float,
        priorities: Sequence[str],
        limits: Mapping[str, SourcePolicy],
    ) -> LimitedClaim:
        sources = sorted(limits)
        order = [rows.stored_priority(name) for name in priorities]
        ranks = [*order, None, None, None][:3]

        def work(conn: Conn) -> LimitedClaim:
            if conn.execute(SQL["lock_source_limits"], {"sources": sources}).rowcount < len(
                sources
            ):
                conn.execute(SQL["add_source_limits"], {"sources": sources})
                conn.execute(SQL["lock_source_limits"], {"sources": sources})
            request = ClaimRequest(worker_id, limit, clock, lease_seconds)

            def record_starts(source: str, count: int, at: float) -> None:
                params = {"source_name": source, "now": at, "count": count}
                conn.execute(SQL["insert_starts"], params)

            result = claim_limited_sources(conn, SQL, request, limits, record_starts)
            now = clock()
            remaining = limit - len(result.jobs)
            if remaining > 0 and order:
                params = {
                    "now": now,
                    "lease_until": now + lease_seconds,
                    "worker_id": worker_id,
                    "first": ranks[0],
                    "second": ranks[1],
                    "third": ranks[2],
                    "limit": remaining,
                    "limited": sources,
                }
                found = conn.execute(SQL["claim_jobs_except"], params).fetchall()
                ranked = [(row[-1], rows.job_from_row(row[:-1])) for row in found]
                ranked.sort(key=lambda pair: (pair[0], pair[1].run_at, pair[1].id))
                result.jobs.extend(job for _, job in ranked)
            return result

        return self._tx.run(work)

    def next_run_at_except(self, blocked: Sequence[str]) -> float | None:
        params = {"blocked": list(blocked)}
        row = self._tx.run(lambda conn: conn.execute(SQL["next_run_at_except"], params).fetchone())
        return None if row is None or row[0] is None else float(row[0])

    def limit_usage(self, source_name: str, since: float) -> tuple[int, int]:
        """(jobs of the source running, starts since `since`)."""
        params = {"source_name": source_name, "since": since}

        def work(conn: Conn) -> tuple[int, int]:
            running = conn.execute(SQL["running_of_source"], params).fetchone()
            starts = conn.execute(SQL["starts_of_source"], params).fetchone()
            return int(running[0]) if running else 0, int(starts[0]) if starts else 0

        return self._tx.run(work)

    def unique_refusals(self) -> dict[str, int]:
        found = self._tx.run(lambda conn: conn.execute(SQL["unique_refusals"]).fetchall())
        return {row[0]: int(row[1]) for row in found}

    def wake_workers(self) -> None:
        """A slot of a limited source freed: idle workers on every machine look again."""
        self._tx.run(lambda conn: conn.execute(SQL["notify_jobs"]))
