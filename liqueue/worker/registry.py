"""The workers table: a worker registers itself, heartbeats and removes itself on exit.

The worker loop calls `beat()` on each turn (it turns at least every poll
interval) and the registration writes at most every BEAT_SECONDS; a beating
thread of its own delayed time limits injected into job threads. A worker
killed without exiting stops beating, is shown as gone, and is pruned by the
next worker to start. Failures to reach the store are logged and
retried at the next beat: the dashboard's view must never stop jobs.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable

from liqueue.clock import Clock
from liqueue.errors import LiqueueError
from liqueue.store import Store
from liqueue.store.overview import WorkerInfo

log = logging.getLogger("liqueue.worker")

BEAT_SECONDS = 5.0
# Silent for this long (beats come at least every poll interval, 5s by
# default): shown as gone by readers, deleted when a worker starts.
GONE_AFTER_SECONDS = 30.0
PRUNE_AFTER_SECONDS = 3600.0


class Registration:
    def __init__(
        self, store: Store, worker_id: str, clock: Clock, running: Callable[[], int]
    ) -> None:
        self._store = store
        self._clock = clock
        self._running = running
        now = clock.now()
        self._info = WorkerInfo(worker_id, socket.gethostname(), os.getpid(), now, now, 0)
        self._next_beat = 0.0  # the first turn of the loop registers

    def beat(self) -> None:
        """Record a heartbeat if the last one is BEAT_SECONDS old (the first registers)."""
        if time.monotonic() < self._next_beat:
            return
        if not self._next_beat:
            started = self._info.started_at
            self._tried(lambda: self._store.prune_workers(started - PRUNE_AFTER_SECONDS))
        self._next_beat = time.monotonic() + BEAT_SECONDS
        self._save()

    def _save(self) -> None:
        info = WorkerInfo(
            self._info.id,
            self._info.host,
            self._info.pid,
            self._info.started_at,
            self._clock.now(),
            self._running(),
        )
        self._tried(lambda: self._store.save_worker(info))

    def _tried(self, action: Callable[[], object]) -> None:
        try:
            action()
        except (LiqueueError, OSError) as err:
            log.warning("could not update the workers table: %s", err)

    def close(self) -> None:
        self._tried(lambda: self._store.remove_worker(self._info.id))


def register(
    store: Store, worker_id: str, clock: Clock, running: Callable[[], int]
) -> Registration:
    """Register this worker now and keep its heartbeat until `close()`."""
    return Registration(store, worker_id, clock, running)
