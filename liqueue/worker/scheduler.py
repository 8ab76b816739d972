"""Cron schedules: every worker queues due ticks; the database keeps each to one job.

There is no leader. Every worker process looks at its schedules when a tick
falls due and offers that tick to the store, which inserts (schedule, tick)
under a primary key: the first worker's insert queues the job, every other
worker's does nothing. So a tick is queued exactly once however many workers
run on however many machines, and schedules go on while any one of them runs.
"""

from __future__ import annotations

import logging
import time

from liqueue.clock import Clock
from liqueue.policies import Policies, ScheduledTick
from liqueue.store import Store

log = logging.getLogger("liqueue.worker")

PRUNE_TICKS_EVERY_SECONDS = 600.0
KEEP_TICKS_SECONDS = 7 * 86400.0


class Scheduler:
    def __init__(self, policies: Policies, store: Store, clock: Clock) -> None:
        self.policies = policies
        self.schedules = policies.schedules
        self.store = store
        self.clock = clock
        self.started_at = clock.now()
        self._next_at = 0.0  # clock time of the next tick of any schedule
        self._next_prune = 0.0  # monotonic

    def seconds_until_due(self) -> float:
        if not self.schedules:
            return float("inf")
        return max(0.0, self._next_at - self.clock.now())

    def run_due(self) -> list[str]:
        """Offer every due tick to the store; return the ids of the jobs this worker queued."""
        if not self.schedules:
            return []
        now = self.clock.now()
        if now < self._next_at:
            return []
        last = {name: run.tick_at for name, run in self.store.last_ticks().items()}
        ticks = [
            ScheduledTick(schedule.name, tick_at, self.policies.stamp(schedule.job(tick_at)))
            for schedule in self.schedules
            for tick_at in schedule.due_ticks(last.get(schedule.name), now, self.started_at)
        ]
        queued = self.store.queue_ticks(ticks, now) if ticks else []
        if queued:
            log.info("queued %d scheduled job(s)", len(queued))
        self._next_at = min(schedule.next_ticks(now, 1)[0] for schedule in self.schedules)
        if time.monotonic() >= self._next_prune:
            self._next_prune = time.monotonic() + PRUNE_TICKS_EVERY_SECONDS
            self.store.prune_ticks(now - KEEP_TICKS_SECONDS)
        return queued
