"""One worker process: claims due jobs, feeds the executor, writes outcomes back.

The main thread owns the store. It waits on one queue that receives both
finished attempts (from executor threads) and wake-ups (from the notifier
thread), so an idle worker sleeps without polling and a busy one batches
its completions.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
import uuid
from dataclasses import dataclass

from liqueue.app import App
from liqueue.events import expand_events
from liqueue.jobs import Job
from liqueue.store import AttemptOutcome
from liqueue.worker.executor import Executor
from liqueue.worker.maintenance import Maintenance
from liqueue.worker.notifier import Notifier
from liqueue.worker.runner import AttemptRunner
from liqueue.worker.weights import PriorityRotation

log = logging.getLogger("liqueue.worker")

IDLE_POLL_SECONDS = 5.0  # fallback if a wake-up is ever lost
STOP = object()


@dataclass(frozen=True)
class WorkerOptions:
    concurrency: int = 4
    # Claimed ahead of free threads, so threads never wait on the store; kept
    # small so one worker does not sit on jobs another idle worker could run.
    prefetch: int = 4
    burst: bool = False
    burst_horizon: float = 0.0  # in burst mode, also wait for jobs due this soon
    grace_seconds: float = 10.0


class Worker:
    def __init__(self, app: App, options: WorkerOptions | None = None) -> None:
        self.app = app
        self.options = options or WorkerOptions()
        self.store = app.store
        self.clock = app.clock
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.events: queue.SimpleQueue[object] = queue.SimpleQueue()
        config = app.config
        self.rotation = PriorityRotation({n: p.weight for n, p in config.priorities.items()})
        self.runner = AttemptRunner(
            app.runtime, app.clock, config.backoff, lambda outbox: expand_events(app, outbox)
        )
        self.executor = Executor(
            self.options.concurrency,
            self.runner.run,
            lambda job, started, err: self.runner.failed(job, started, err, str(job.origin)),
            lambda job: config.priorities[job.priority].time_limit,
            self.events,
        )
        self.maintenance = Maintenance(app)
        self.in_flight: dict[str, Job] = {}
        self._stopping = threading.Event()
        self._next_heartbeat = 0.0

    def request_stop(self) -> None:
        """Safe from a signal handler: the main loop notices at once."""
        self._stopping.set()
        self.events.put(STOP)

    def run(self) -> int:
        self.store.check_schema()
        notifier = Notifier(self.store, self.events)
        try:
            self._loop()
        finally:
            notifier.close()
            self._shutdown()
        return 0

    def _loop(self) -> None:
        capacity = self.options.concurrency + self.options.prefetch
        while not self._stopping.is_set():
            finished = self._drain(block_for=0.0)
            self._complete(finished)
            claimed = 0
            if len(self.in_flight) < capacity:
                claimed = self._claim(capacity - len(self.in_flight))
            self._housekeeping()
            if claimed or finished:
                continue
            if self.options.burst and not self.in_flight and self._nothing_due_soon():
                return
            self._complete(self._drain(block_for=self._idle_wait()))

    def _claim(self, limit: int) -> int:
        now = self.clock.now()
        jobs = self.store.claim(
            self.id, limit, now, self.app.config.lease_seconds, self.rotation.next_order()
        )
        for job in jobs:
            self.in_flight[job.id] = job
            self.executor.submit(job)
        if jobs and not self._next_heartbeat:
            self._next_heartbeat = time.monotonic() + self.app.config.lease_seconds / 3
        return len(jobs)

    def _drain(self, block_for: float) -> list[AttemptOutcome]:
        finished: list[AttemptOutcome] = []
        try:
            item = self.events.get(timeout=block_for) if block_for > 0 else self.events.get_nowait()
            while True:
                if isinstance(item, AttemptOutcome):
                    finished.append(item)
                item = self.events.get_nowait()
        except queue.Empty:
            return finished

    def _complete(self, outcomes: list[AttemptOutcome]) -> None:
        if not outcomes:
            return
        self.store.complete(outcomes, self.clock.now())
        for outcome in outcomes:
            self.in_flight.pop(outcome.job_id, None)

    def _housekeeping(self) -> None:
        self.executor.enforce_time_limits()
        if self.in_flight and time.monotonic() >= self._next_heartbeat:
            lease_until = self.clock.now() + self.app.config.lease_seconds
            self.store.heartbeat(self.id, list(self.in_flight), lease_until)
            self._next_heartbeat = time.monotonic() + self.app.config.lease_seconds / 3
        self.maintenance.run_due()

    def _idle_wait(self) -> float:
        waits = [IDLE_POLL_SECONDS, self.maintenance.seconds_until_due()]
        if self.in_flight:
            waits.append(max(0.0, self._next_heartbeat - time.monotonic()))
        deadline = self.executor.next_deadline()
        if deadline is not None:
            waits.append(max(0.0, deadline - time.monotonic()))
        if len(self.in_flight) < self.options.concurrency + self.options.prefetch:
            next_run_at = self.store.next_run_at()
            if next_run_at is not None:
                waits.append(max(0.0, next_run_at - self.clock.now()))
        return max(min(waits), 0.0005)

    def _nothing_due_soon(self) -> bool:
        next_run_at = self.store.next_run_at()
        return next_run_at is None or next_run_at > self.clock.now() + self.options.burst_horizon

    def _shutdown(self) -> None:
        """Hand back what has not started; let running jobs finish within the grace period."""
        unstarted = self.executor.take_back_queued()
        if unstarted:
            self.store.release(unstarted, self.clock.now())
            for job_id in unstarted:
                self.in_flight.pop(job_id, None)
        deadline = time.monotonic() + self.options.grace_seconds
        while self.in_flight and time.monotonic() < deadline:
            self._complete(self._drain(block_for=min(0.1, deadline - time.monotonic())))
            self._housekeeping()
        if self.in_flight:
            log.warning(
                "handing back %d job(s) still running after the grace period", len(self.in_flight)
            )
            self.store.release(list(self.in_flight), self.clock.now())
            self.in_flight.clear()
        self.executor.stop()
