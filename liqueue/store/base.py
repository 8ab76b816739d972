"""The store contract. Every backend implements it; one test suite checks them all.

Times are float seconds since the Unix epoch, read by the caller from its
clock and passed in, so a test that moves the clock moves the store too.
Everything the worker needs is a batch operation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from liqueue.events.event import Event
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import AttemptStatus, LogEntry
from liqueue.outbox import Outbox
from liqueue.policies import ScheduledTick, SourcePolicy
from liqueue.store.policy_rows import LimitedClaim, ScheduleRun

if TYPE_CHECKING:
    from liqueue.store.browse import JobCount, JobCursor, JobFamily, JobFilter
    from liqueue.store.overview import AttemptCount, MinuteCount, WorkerInfo
    from liqueue.store.pauses import Pause, PauseTarget
    from liqueue.store.stats import SourceReport


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
    min_duration_ms: int | None = None  # attempts this slow or slower; only iter_logs reads it


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
    # True when a write is this process's own work (SQLite), with no round trip
    # to a server: only then can `enqueue_now` succeed.
    writes_in_process: bool

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

    def enqueue_now(self, outbox: Outbox, now: float) -> bool:
        """`enqueue` if it needs no wait (for another writer's lock, for the
        network): True once committed; False, with nothing written, otherwise."""

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
        """Delete finished jobs (and their logs) older than the given times, and the
        per-minute attempt aggregates older than both."""

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

    def iter_logs(self, query: LogQuery, page_size: int = 1000) -> Iterator[LogEntry]:
        """Every matching entry in time order (at, then id), read `page_size` at a time.

        Keyset paged: memory stays at one page however long the log. With
        `query.last`, only the newest N (still in time order).
        """

    def stats(self) -> list[SourceStats]: ...

    # events
    def get_event(self, event_id: str) -> Event:
        """By full id or unique prefix; raise NotFound otherwise."""

    def list_events(self, type: str | None = None, limit: int = 100) -> list[Event]: ...

    def count_events(self, type: str | None = None) -> int:
        """How many events (of this type) list_events would return without a limit."""

    # the dashboard, the JSON API and /metrics (store/browse.py, overview.py, pauses.py)
    def find_jobs(self, wanted: JobFilter, limit: int, after: JobCursor | None) -> list[Job]:
        """Jobs matching a filter, newest first, the page after `after` (None: the first)."""

    def count_jobs(self, wanted: JobFilter) -> int:
        """How many jobs match; from job_counts (no scan) when the filter allows it."""

    def cancel_jobs(self, job_ids: Sequence[str], now: float) -> int:
        """Cancel those of the (full) ids not yet running; how many were."""

    def delete_jobs(self, job_ids: Sequence[str]) -> int:
        """Delete those of the (full) ids not running, with their log lines; how many were."""

    def run_jobs_now(self, job_ids: Sequence[str], now: float) -> int:
        """Waiting jobs among the (full) ids become due now; how many did."""

    def job_counts(self) -> list[JobCount]:
        """Jobs by state, priority and source_name, kept by triggers."""

    def attempt_counts(self) -> list[AttemptCount]:
        """Finished attempts by source_name, outcome and duration bucket, ever."""

    def attempts_per_minute(self, since: float) -> list[MinuteCount]:
        """Attempts per minute from the one holding `since`, from attempt_minutes;
        outcomes other than SUCCESS count as FAILED."""

    def queue_latency(self, now: float) -> dict[str, float | None]:
        """Per priority name, seconds its oldest due job has waited (None: none due)."""

    def window_stats(self, since: float) -> list[SourceStats]:
        """`stats()` with attempts counted only from `since`; counts are current.
        Exact but reads every attempt line of the window: the dashboard reads
        `window_report`."""

    def window_report(self, since: float) -> list[SourceReport]:
        """The stats report over the minutes from `since` on, from attempt_minutes:
        p50/p95 interpolated within its histogram buckets; counts are current."""

    def job_family(self, job_id: str) -> JobFamily:
        """The job that queued this job (by full id or prefix) and what its body queued."""

    def save_worker(self, worker: WorkerInfo) -> None:
        """Register a worker or record its heartbeat."""

    def remove_worker(self, worker_id: str) -> None: ...

    def prune_workers(self, heartbeat_before: float) -> int: ...

    def list_workers(self) -> list[WorkerInfo]: ...

    def pause(self, target: PauseTarget, now: float, by: str | None) -> bool:
        """Hold back a priority or source_name; False when it was paused already."""

    def resume(self, target: PauseTarget) -> bool:
        """Let it run again (workers are woken); False when it was not paused."""

    def list_pauses(self) -> list[Pause]: ...

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
