"""The store contract. Every backend implements it; one test suite checks them all.

Times are float seconds since the Unix epoch, read by the caller from its
clock and passed in, so a test that moves the clock moves the store too.
Everything the worker needs is a batch operation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from liqueue.events.event import Event
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import AttemptStatus, LogEntry
from liqueue.outbox import Outbox
from liqueue.policies import ScheduledTick, SourcePolicy
from liqueue.store.policy_rows import LimitedClaim, ScheduleRun


@dataclass
class JobQuery:
    state: JobState | None = None
    source_name: str | None = None
    event_id: str | None = None
    limit: int = 100


@dataclass
class LogQuery:
    source_name: str | None = None
    status: AttemptStatus | None = None
    type: str | None = None
    job_id: str | None = None
    since: float | None = None
    after_id: int | None = None  # for --follow: entries newer than this id
    last: int | None = None  # the newest N, returned oldest first


@dataclass
class SourceStats:
    source_name: str
    counts: dict[str, int]  # by JobState value
    attempts: int
    failed_attempts: int
    retries: int  # attempts beyond the first
    durations_ms: list[int]  # of finished attempts, for percentiles

    @property
    def success_rate(self) -> float | None:
        if not self.attempts:
            return None
        return (self.attempts - self.failed_attempts) / self.attempts


class WakeListener(Protocol):
    """Lets an idle worker sleep until work may be there, without busy polling."""

    def wait(self, timeout: float) -> bool:
        """Block until a wake-up arrives (True) or `timeout` seconds pass (False)."""

    def close(self) -> None: ...


class Store(Protocol):
    url: str

    # schema
    def migrate(self) -> int:
        """Apply pending migrations; return the schema version now in force."""

    def schema_version(self) -> tuple[int, int]:
        """(version in the database, latest version this code knows)."""

    def check_schema(self) -> None:
        """Raise StoreError with a clear message unless the schema is exactly current."""

    # the path of a job
    def enqueue(self, outbox: Outbox, now: float, connection: Any = None) -> None:
        """Persist jobs, events and log entries in ONE transaction.

        With `connection` (PostgreSQL: the caller's psycopg connection) the
        rows join the caller's transaction: its commit queues them, its
        rollback queues nothing. Backends that cannot do this raise StoreError.
        """

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: float,
        lease_seconds: float,
        priorities: Sequence[str],
    ) -> list[Job]:
        """Take up to `limit` due jobs, trying priorities in the given order.

        Claimed jobs become RUNNING with `attempt` incremented, `started_at`
        set and a lease until now + lease_seconds.
        """

    def complete(self, outcomes: Sequence[AttemptOutcome], now: float) -> None:
        """Record finished attempts and persist their outboxes, in one transaction."""

    def heartbeat(self, worker_id: str, job_ids: Sequence[str], lease_until: float) -> None: ...

    def release(self, job_ids: Sequence[str], now: float, worker_id: str | None = None) -> None:
        """Hand claimed jobs back unrun (graceful shutdown): due again, attempt undone.

        With `worker_id`, only jobs that worker still holds: one rescued from it
        and claimed by another worker meanwhile is left alone.
        """

    def rescue_expired(self, now: float, max_rescues: int = 3) -> list[str]:
        """Jobs whose lease ran out go back to run again (attempt undone).

        A job rescued more than `max_rescues` times is dead: it keeps killing
        its workers. Returns the ids of rescued jobs.
        """

    def prune(self, done_before: float, dead_before: float) -> int:
        """Delete finished jobs (and their logs) older than the given times."""

    def next_run_at(self) -> float | None:
        """When the earliest waiting job is due, or None if nothing waits."""

    # inspection and repair
    def get_job(self, job_id: str) -> Job:
        """By full id or unique prefix; raise NotFound otherwise."""

    def list_jobs(self, query: JobQuery) -> list[Job]: ...

    def retry_jobs(self, job_ids: Sequence[str], now: float) -> int:
        """Dead, cancelled or retrying jobs run again now with fresh attempts."""

    def retry_all_dead(self, now: float) -> int: ...

    def cancel_job(self, job_id: str, now: float) -> None:
        """A job not yet running is cancelled; raise StoreError if it is running or finished."""

    def delete_job(self, job_id: str) -> None: ...

    def add_logs(self, entries: Sequence[LogEntry]) -> None: ...

    def read_logs(self, query: LogQuery) -> list[LogEntry]: ...

    def stats(self) -> list[SourceStats]: ...

    # events
    def get_event(self, event_id: str) -> Event:
        """By full id or unique prefix; raise NotFound otherwise."""

    def list_events(self, type: str | None = None, limit: int = 100) -> list[Event]: ...

    # schedules, unique jobs and limits (liqueue/policies.py)
    def queue_ticks(self, ticks: Sequence[ScheduledTick], now: float) -> list[str]:
        """Queue each tick's job unless a worker queued that tick already (a unique
        index on schedule and tick decides); return the ids of the jobs queued."""

    def last_ticks(self) -> dict[str, ScheduleRun]:
        """The newest tick of each schedule, with its job's state."""

    def prune_ticks(self, before: float) -> int:
        """Forget ticks older than `before`, but never a schedule's newest."""

    def unique_holder(self, key: str, now: float) -> str | None:
        """The id of the job holding a unique key now, if any."""

    def claim_limited(
        self,
        worker_id: str,
        limit: int,
        clock: Callable[[], float],
        lease_seconds: float,
        priorities: Sequence[str],
        limits: Mapping[str, SourcePolicy],
    ) -> LimitedClaim:
        """`claim` when some sources have concurrency or rate limits: each limited
        source's jobs only as far as its limits allow, across all workers.

        `clock` is read once the claim holds its locks: a claim that waited for
        another must not record its starts at the time it began waiting."""

    def next_run_at_except(self, blocked: Sequence[str]) -> float | None:
        """`next_run_at` leaving out the jobs of these (full) sources."""

    def limit_usage(self, source_name: str, since: float) -> tuple[int, int]:
        """(running jobs of the source, its starts since `since`)."""

    def unique_refusals(self) -> dict[str, int]:
        """Duplicates of unique jobs refused, per source_name."""

    def wake_workers(self) -> None:
        """Wake idle workers everywhere (a slot of a limited source freed)."""

    def wake_listener(self) -> WakeListener:
        """A listener woken whenever jobs become due through this store's writes.

        `enqueue`, `complete` (when it creates jobs or schedules retries), `release`,
        `retry_*` and `rescue_expired` wake listeners in every process after commit.
        """

    def close(self) -> None: ...
