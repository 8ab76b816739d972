"""Concurrency and rate limits per source_name, as seen from one worker.

With no limits set this is a pass-through to the plain claim and
`next_run_at`: the unlimited queue pays nothing. With limits, claims go
through `Store.claim_limited`, and a worker whose only due jobs are over
their limits sleeps: until the rate window lets one more start, or until
a job of a full source ends somewhere (that worker wakes everyone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from liqueue.clock import Clock
from liqueue.jobs import Job
from liqueue.policies import SourcePolicy
from liqueue.store import Store


class Limiter:
    def __init__(self, limits: Mapping[str, SourcePolicy], store: Store, clock: Clock) -> None:
        self.limits = dict(limits)
        self.store = store
        self.clock = clock
        self._blocked: list[str] = []
        self._retry_at: float | None = None
        self._freed = False

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: float,
        lease_seconds: float,
        priorities: Sequence[str],
    ) -> list[Job]:
        if not self.limits:
            return self.store.claim(worker_id, limit, now, lease_seconds, priorities)
        result = self.store.claim_limited(
            worker_id, limit, self.clock.now, lease_seconds, priorities, self.limits
        )
        self._blocked, self._retry_at = result.blocked, result.retry_at
        return result.jobs

    def next_run_at(self) -> float | None:
        """When a job this worker could claim is due: full sources' jobs wait for a slot."""
        if not self._blocked:
            return self.store.next_run_at()
        due = [self.store.next_run_at_except(self._blocked), self._retry_at]
        return min((at for at in due if at is not None), default=None)

    def finished(self, job: Job | None) -> None:
        if job is not None and job.source_name in self.limits:
            self._freed = True

    def wake_if_freed(self) -> None:
        """After jobs of limited sources were written back: workers waiting on them look again."""
        if self._freed:
            self._freed = False
            self.store.wake_workers()
