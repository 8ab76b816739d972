"""Lifeline and pruner: rescue jobs whose worker died, delete old finished jobs.

Every worker process runs both on its own timer. Each is a single
statement that is safe to run concurrently (SQLite serialises writers;
PostgreSQL's row locks make a second runner find nothing to do), so no
leader is needed and maintenance never stops because one machine did.
"""

from __future__ import annotations

import logging
import time

from liqueue.app import App

log = logging.getLogger("liqueue.worker")

PRUNE_EVERY_SECONDS = 600.0


class Maintenance:
    def __init__(self, app: App) -> None:
        self.app = app
        self.rescue_every = max(app.config.lease_seconds / 2, 0.05)
        self._next_rescue = 0.0
        self._next_prune = 0.0

    def seconds_until_due(self) -> float:
        return max(0.0, min(self._next_rescue, self._next_prune) - time.monotonic())

    def run_due(self) -> None:
        now_mono = time.monotonic()
        if now_mono >= self._next_rescue:
            self._next_rescue = now_mono + self.rescue_every
            rescued = self.app.store.rescue_expired(self.app.clock.now())
            if rescued:
                log.warning(
                    "rescued %d job(s) whose worker stopped renewing its lease", len(rescued)
                )
        if now_mono >= self._next_prune:
            self._next_prune = now_mono + PRUNE_EVERY_SECONDS
            now = self.app.clock.now()
            config = self.app.config
            self.app.store.prune(now - config.keep_done_seconds, now - config.keep_dead_seconds)
