"""PostgreSQL store operations for schedules, unique jobs and limits (liqueue/policies.py).

A mixin of `PostgresStore`, so the plain operations stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TypeVar

from liqueue.jobs import JobSpec
from liqueue.policies import ScheduledTick, SourcePolicy
from liqueue.store import rows
from liqueue.store.limited_claim import ClaimRequest, claim_limited_sources
from liqueue.store.policy_rows import (
    LimitedClaim,
    Refusals,
    ScheduleRun,
    refusals,
    runs_from_rows,
    split_unique,
)
from liqueue.store.postgres.batches import jobs_json, json_rows, logs_json
from liqueue.store.postgres.claim import claim_due
from liqueue.store.postgres.connection import Conn
from liqueue.store.postgres.schema import SQL

T = TypeVar("T")


class _Run(Protocol):
    def __call__(self, work: Callable[[Conn], T], *, needs_schema: bool = ...) -> T: ...


class PostgresPolicyOps:
    # PostgresStore._run: the schema check on the first operation, errors in one line.
    _run: _Run

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

        return self._run(work)

    def last_ticks(self) -> dict[str, ScheduleRun]:
        return self._run(lambda conn: runs_from_rows(conn.execute(SQL["last_ticks"]).fetchall()))

    def prune_ticks(self, before: float) -> int:
        return self._run(
            lambda conn: int(conn.execute(SQL["prune_ticks"], {"before": before}).rowcount)
        )

    def unique_holder(self, key: str, now: float) -> str | None:
        params = {"keys": [key], "now": now}
        found = self._run(lambda conn: conn.execute(SQL["unique_holders"], params).fetchone())
        return None if found is None else str(found[1])


# A refused job whose key nobody holds a moment later (its holder ended and a
# concurrent enqueue released the key) is tried again, this many times at most.
_INSERT_TRIES = 3


def insert_jobs(conn: Conn, specs: Sequence[JobSpec], now: float) -> None:
    """Insert jobs and wake workers; a unique job refused leaves a `unique` log line
    and its id as an alias of the job holding the key."""
    plain, unique = split_unique(specs)
    if plain:
        conn.execute(SQL["insert_jobs"], {"jobs": jobs_json(plain, now)})
    found = Refusals()
    for _ in range(_INSERT_TRIES):
        if not unique:
            break
        refused, owners = _insert_unique(conn, unique, now)
        more = refusals(refused, owners, now)
        found.entries += more.entries
        found.aliases += more.aliases
        unique = [spec for spec in refused if (spec.unique_key or "") not in owners]
    if found.entries:
        conn.execute(SQL["insert_logs"], {"logs": logs_json(found.entries)})
    if found.aliases:
        aliases, owners_of = (list(column) for column in zip(*found.aliases, strict=True))
        conn.execute(SQL["insert_job_aliases"], {"ids": aliases, "job_ids": owners_of, "now": now})
    conn.execute(SQL["notify_jobs"])


def _insert_unique(
    conn: Conn, unique: Sequence[JobSpec], now: float
) -> tuple[list[JobSpec], dict[str, str]]:
    """(jobs the index refused, the job now holding each refused key)."""
    keys = [spec.unique_key for spec in unique]
    conn.execute(SQL["release_unique_keys"], {"keys": keys, "now": now})
    paired = zip(rows.job_params(unique, now), unique, strict=True)
    batch = json_rows((*row, spec.unique_key, spec.unique_for) for row, spec in paired)
    inserted = {row[0] for row in conn.execute(SQL["insert_unique_jobs"], {"jobs": batch})}
    refused = [spec for spec in unique if spec.id not in inserted]
    if not refused:
        return [], {}
    # A concurrent holder's insert was waited for (committed): a new statement sees it.
    params = {"keys": [spec.unique_key for spec in refused]}
    owners = {row[0]: row[1] for row in conn.execute(SQL["unique_key_owners"], params)}
    return refused, owners


class PostgresLimitOps:
    """The limited claim: row locks on `source_limits` serialise claims of the same
    limited sources across processes and machines until each commits."""

    _run: _Run
    # Sources whose `source_limits` row this store has made sure of.
    _limit_rows: frozenset[str] = frozenset()

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
        ranks = [rows.stored_priority(name) for name in priorities]

        def work(conn: Conn) -> LimitedClaim:
            if not self._limit_rows.issuperset(sources):
                conn.execute(SQL["add_source_limits"], {"sources": sources})
            params = {"sources": sources, "priorities": ranks, "now": clock()}
            due = [row[0] for row in conn.execute(SQL["lock_due_source_limits"], params)]
            request = ClaimRequest(worker_id, limit, clock, lease_seconds)

            def record_starts(source: str, count: int, at: float) -> None:
                params = {"source_name": source, "now": at, "count": count}
                conn.execute(SQL["insert_starts"], params)

            due_limits = {source: limits[source] for source in due}
            result = claim_limited_sources(conn, SQL, request, due_limits, record_starts)
            remaining = limit - len(result.jobs)
            if remaining > 0:
                now = clock()
                others = claim_due(
                    conn, worker_id, remaining, now, lease_seconds, priorities, sources
                )
                result.jobs.extend(others)
            return result

        result = self._run(work)
        self._limit_rows = self._limit_rows.union(sources)
        return result

    def next_run_at_except(self, blocked: Sequence[str]) -> float | None:
        params = {"blocked": list(blocked)}
        row = self._run(lambda conn: conn.execute(SQL["next_run_at"], params).fetchone())
        return None if row is None or row[0] is None else float(row[0])

    def limit_usage(self, source_name: str, since: float) -> tuple[int, int]:
        """(jobs of the source running, starts since `since`)."""
        params = {"source_name": source_name, "since": since}

        def work(conn: Conn) -> tuple[int, int]:
            running = conn.execute(SQL["running_of_source"], params).fetchone()
            starts = conn.execute(SQL["starts_of_source"], params).fetchone()
            return int(running[0]) if running else 0, int(starts[0]) if starts else 0

        return self._run(work)

    def unique_refusals(self) -> dict[str, int]:
        found = self._run(lambda conn: conn.execute(SQL["unique_refusals"]).fetchall())
        return {row[0]: int(row[1]) for row in found}

    def wake_workers(self) -> None:
        """A slot of a limited source freed: idle workers on every machine look again."""
        self._run(lambda conn: conn.execute(SQL["notify_jobs"]))
