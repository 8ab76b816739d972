"""One worker process: claims due jobs, feeds the executor, writes outcomes back.

The main thread owns the store. It waits on one queue, its inbox, that
receives finished attempts (from executor threads), wake-ups (from the
notifier thread) and the request to stop, so an idle worker sleeps without
polling and a busy one batches its completions (completer.py).

When the store is unavailable (the database restarts, connections drop),
the loop waits a little longer each time and tries again; finished
attempts are kept and written back once the store answers, never dropped.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import time
import uuid
from dataclasses import dataclass

from liqueue.app import App
from liqueue.errors import StoreUnavailable
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import attempt_entry
from liqueue.outbox import Outbox
from liqueue.store.rows import UNREADABLE_ROW, unreadable
from liqueue.worker.collector import collector_for_jobs
from liqueue.worker.completer import Completer
from liqueue.worker.executor import Executor
from liqueue.worker.limits import Limiter
from liqueue.worker.maintenance import Maintenance
from liqueue.worker.notifier import Notifier
from liqueue.worker.pacing import Pacing
from liqueue.worker.registry import register
from liqueue.worker.scheduler import Scheduler
from liqueue.worker.signals import stop_on_signals, stop_with_parent
from liqueue.worker.switching import switching_for_jobs
from liqueue.worker.wiring import attempt_parts

log = logging.getLogger("liqueue.worker")

RETRY_FIRST_SECONDS = 0.05  # store unavailable: first wait, doubled up to RETRY_MAX_SECONDS
RETRY_MAX_SECONDS = 2.0
STOP = object()


@dataclass(frozen=True)
class WorkerOptions:
    concurrency: int = 4
    # Claimed ahead of free threads, so threads never wait on the store; kept
    # small so one worker does not sit on jobs another idle worker could run.
    # With many quick jobs it grows to ~50 ms of work (see pacing.py).
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
        # Finished attempts, wake-ups and STOP, in the order they happened.
        self.inbox: queue.SimpleQueue[object] = queue.SimpleQueue()
        parts = attempt_parts(app)
        self.rotation = parts.rotation
        self.runner = parts.runner
        self.executor = Executor(
            self.options.concurrency, parts.runner, parts.time_limits, self.inbox
        )
        self.maintenance = Maintenance(app)
        self.scheduler = Scheduler(app.policies, self.store, self.clock)
        self.limiter = Limiter(app.policies.limits, self.store, self.clock)
        self.in_flight: dict[str, Job] = {}  # claimed, not yet written back
        self.pacing = Pacing(self.options.prefetch)
        self.completer = Completer(self.store, self.clock, self.pacing)
        self._unavailable_since: float | None = None
        self._retry_wait = RETRY_FIRST_SECONDS
        # 0 running, 1 stopping gracefully, 2 stopping now. Set from signal
        # handlers: a plain int and the (reentrant) SimpleQueue, never a lock.
        self._stop_level = 0
        self._arrived: list[AttemptOutcome] = []  # taken from the inbox, not yet handled
        self._next_heartbeat = 0.0
        self.summary = BurstSummary()
        self.stop_hint = ""  # how to cut the grace period short, told when stopping

    def request_stop(self, now: bool = False) -> None:
        """Safe from a signal handler: the main loop notices at once.

        `now`: running jobs are handed back instead of given the grace period.
        """
        self._stop_level = 2 if now else max(self._stop_level, 1)
        self.inbox.put(STOP)

    def stopping(self) -> bool:
        return self._stop_level > 0

    def run(self) -> int:
        self.store.check_schema()
        notifier = Notifier(self.store, self.inbox)
        self.registration = register(self.store, self.id, self.clock, lambda: len(self.in_flight))
        try:
            self._loop()
        finally:
            notifier.close()
            self._shutdown()
            self.registration.close()
        return 0

    def _loop(self) -> None:
        while not self._stop_level:
            try:
                if self._step():
                    return
            except StoreUnavailable as err:
                self._store_unavailable(err)
            else:
                self._store_available()

    def _step(self) -> bool:
        """One turn of the loop; True when a burst worker has nothing left to do."""
        finished = self._drain(block_for=0.0)
        self.completer.take(finished)  # kept, whether the claim below fails or not
        claim_first = self.completer.claim_first  # see completer.py
        if not claim_first:
            self._complete([])
        room = self._room_to_claim()
        claimed = self._claim(room) if room else 0
        if claim_first:
            self._complete([])
        self._housekeeping()
        if claimed or finished:
            return False
        if self.options.burst and not self.in_flight and self._nothing_due_soon():
            return True
        self._complete(self._drain(block_for=self._idle_wait()))
        return False

    def _store_unavailable(self, err: StoreUnavailable) -> None:
        """Wait before the next try; running jobs go on, their outcomes queue up meanwhile."""
        if self._unavailable_since is None:
            self._unavailable_since = time.monotonic()
            log.warning("store unavailable, trying again until it answers: %s", err)
        self._wait_inbox(self._retry_wait)  # STOP ends the wait; outcomes are kept
        self._retry_wait = min(self._retry_wait * 2, RETRY_MAX_SECONDS)

    def _store_available(self) -> None:
        if self._unavailable_since is not None:
            log.warning(
                "store available again after %.1fs", time.monotonic() - self._unavailable_since
            )
            self._unavailable_since = None
            self._retry_wait = RETRY_FIRST_SECONDS

    def _claim(self, limit: int) -> int:
        now = self.clock.now()
        jobs = self.limiter.claim(
            self.id, limit, now, self.app.config.lease_seconds, self.rotation.next_order()
        )
        for job in jobs:
            self.in_flight[job.id] = job
            problem = unreadable(job)
            if problem is None:
                self.executor.submit(job)
            else:  # one bad row must not stop the queue: it is set dead, the rest run
                log.warning("job %s set dead: %s", job.id, problem)
                self._arrived.append(_dead_unreadable(job, problem, now))
        if jobs and not self._next_heartbeat:
            self._next_heartbeat = time.monotonic() + self.app.config.lease_seconds / 3
        return len(jobs)

    def _drain(self, block_for: float) -> list[AttemptOutcome]:
        """The attempts finished so far, waiting up to `block_for` for the first news."""
        self._wait_inbox(block_for)
        finished, self._arrived = self._arrived, []
        return finished

    def _wait_inbox(self, block_for: float) -> None:
        try:
            item = self.inbox.get(timeout=block_for) if block_for > 0 else self.inbox.get_nowait()
            while True:
                if isinstance(item, AttemptOutcome):
                    self._arrived.append(item)
                item = self.inbox.get_nowait()
        except queue.Empty:
            return

    def _complete(self, outcomes: list[AttemptOutcome], *, now: bool = False) -> None:
        """Hand these outcomes to the completer; forget the jobs it wrote back."""
        for outcome in self.completer.complete(outcomes, len(self.in_flight), now=now):
            self.limiter.finished(self.in_flight.pop(outcome.job_id, None))
            self.summary.count(outcome)
        self.limiter.wake_if_freed()

    def _housekeeping(self) -> None:
        if self.in_flight and time.monotonic() >= self._next_heartbeat:
            lease_until = self.clock.now() + self.app.config.lease_seconds
            self.store.heartbeat(self.id, list(self.in_flight), lease_until)
            self._next_heartbeat = time.monotonic() + self.app.config.lease_seconds / 3
        self.maintenance.run_due()
        self.registration.beat()
        self.scheduler.run_due()

    def _room_to_claim(self) -> int:
        """How many jobs to claim now: 0 until enough slots are free (see pacing.py)."""
        running = len(self.in_flight) - self.completer.not_holding_claims()
        free = self.options.concurrency + self.pacing.prefetch() - running
        return free if free >= self.pacing.claim_at_least() else 0

    def _idle_wait(self) -> float:
        waits = [self.app.config.poll_seconds, self.maintenance.seconds_until_due()]
        waits.append(self.scheduler.seconds_until_due())
        if self.in_flight:
            waits.append(max(0.0, self._next_heartbeat - time.monotonic()))
        if self.completer.unsaved:  # back within milliseconds: no need to look for due jobs
            waits.append(max(0.0, self.completer.hold_until - time.monotonic()))
        elif self._room_to_claim():  # else finishing jobs wake the loop, not due ones
            next_run_at = self.limiter.next_run_at()
            if next_run_at is not None:
                waits.append(max(0.0, next_run_at - self.clock.now()))
        return max(min(waits), 0.0005)

    def _nothing_due_soon(self) -> bool:
        next_run_at = self.store.next_run_at()
        return next_run_at is None or next_run_at > self.clock.now() + self.options.burst_horizon

    def _shutdown(self) -> None:
        """Hand back what has not started; let running jobs finish within the grace period.

        A second request to stop ends the grace period at once: running jobs
        are handed back. With the store unavailable, whatever cannot be
        written back or handed back stays leased to this worker and is
        rescued when the lease runs out.
        """
        unstarted = self.executor.take_back_queued()
        for job_id in unstarted:
            self.in_flight.pop(job_id, None)
        grace = self.options.grace_seconds
        running = len(self.executor.running_ids())
        if self._stop_level and (running or unstarted):
            log.warning("stopping: %s", self._stopping_plan(running, len(unstarted)))
        deadline = time.monotonic() + grace
        while unstarted:  # tried at least once, even with no grace period
            try:
                self.store.release(unstarted, self.clock.now(), self.id)
                unstarted = []
            except StoreUnavailable:
                if time.monotonic() >= deadline or self._stop_level > 1:
                    break
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        while (
            (self.in_flight or self.completer.unsaved)
            and time.monotonic() < deadline
            and self._stop_level < 2
        ):
            try:
                finished = self._drain(block_for=min(0.1, deadline - time.monotonic()))
                self._complete(finished, now=True)
                self._housekeeping()
            except StoreUnavailable:
                self._wait_inbox(min(0.2, max(0.0, deadline - time.monotonic())))
        unsaved = self.completer.unsaved_ids()
        still_running = [job_id for job_id in self.in_flight if job_id not in unsaved]
        if still_running:
            why = "after the grace period" if self._stop_level < 2 else "on a second stop request"
            log.warning("handing back %d job(s) still running %s", len(still_running), why)
            try:
                self.store.release(still_running, self.clock.now(), self.id)
            except StoreUnavailable:
                unstarted += still_running
        if unstarted or unsaved:
            log.warning(
                "store unavailable at shutdown: %d finished attempt(s) not recorded, "
                "%d job(s) not handed back; their leases will run out and they will run again",
                len(unsaved),
                len(unstarted),
            )
        self.in_flight.clear()
        self.executor.stop()

    def _stopping_plan(self, running: int, unstarted: int) -> str:
        parts = []
        if unstarted:
            parts.append(f"handing back {_jobs(unstarted)} not started")
        if running:
            parts.append(
                f"finishing {_jobs(running)} running, grace {self.options.grace_seconds:g} s"
            )
        plan = "; ".join(parts)
        if running and self.stop_hint:
            plan += f"; {self.stop_hint}"
        return plan


def _dead_unreadable(job: Job, problem: str, now: float) -> AttemptOutcome:
    entry = attempt_entry(
        at=now,
        job_id=job.id,
        source_name=job.source_name,
        attempt=job.attempt,
        max_attempts=job.max_attempts,
        status="FAILED",
        duration_ms=0,
        error=problem,
    )
    return AttemptOutcome(
        job_id=job.id,
        attempt=job.attempt,
        state=JobState.DEAD,
        finished_at=now,
        error_class=UNREADABLE_ROW,
        error_message=problem,
        outbox=Outbox(logs=[entry]),
        worker_id=job.worker_id,
    )


def _jobs(count: int) -> str:
    return f"{count} job" if count == 1 else f"{count} jobs"


@dataclass
class BurstSummary:
    """What this worker's attempts came to, for the line `--burst` ends with."""

    succeeded: int = 0
    will_retry: int = 0
    dead: int = 0

    def count(self, outcome: AttemptOutcome) -> None:
        if outcome.state is JobState.DONE:
            self.succeeded += 1
        elif outcome.state is JobState.RETRY:
            self.will_retry += 1
        else:
            self.dead += 1

    def add(self, other: BurstSummary) -> None:
        self.succeeded += other.succeeded
        self.will_retry += other.will_retry
        self.dead += other.dead

    def __str__(self) -> str:
        failed = self.will_retry + self.dead
        ran = self.succeeded + failed
        return (
            f"ran {_jobs(ran)}: {self.succeeded} succeeded, {failed} failed "
            f"({self.will_retry} will retry, {self.dead} dead)"
        )


def run_in_this_process(
    app: App, options: WorkerOptions, *, parent_pid: int | None = None
) -> BurstSummary:
    """Run one worker here until SIGTERM/Ctrl-C (or, in burst mode, until nothing is due).

    `parent_pid`: this process is a supervised child (see signals.py).
    Returns what its attempts came to.
    """
    worker = Worker(app, options)
    supervised = parent_pid is not None
    if not supervised:
        worker.stop_hint = "Ctrl-C again to stop now"
    with (
        stop_on_signals(worker.request_stop, worker.stopping, supervised=supervised),
        collector_for_jobs(),
        switching_for_jobs(app.store.writes_in_process),
    ):
        if parent_pid is not None:
            stop_with_parent(parent_pid, worker.request_stop)
        worker.run()
    return worker.summary
