"""Threads that run job attempts, and the time limits that stop them.

Job bodies are pure-Python Liquid rendering, so an over-time job is stopped
by raising `TimeLimitExceeded` inside its thread (PyThreadState_SetAsyncExc):
the interpreter delivers it at the next bytecode, wherever the template is.
A thread blocked inside a C call gets it when the call returns.

A thread of its own (the watchdog) does that at each deadline. The main
thread did it between its store calls, and those can take long while a job
renders: sqlite3 lets go of the GIL at every statement and every row, and
each time the rendering thread keeps it for a switch interval, so a 0.3 s
limit was enforced after the job's whole second. The watchdog wakes only
for the earliest deadline it has not seen pass, so jobs that start and
finish within their limits do not wake it.
"""

from __future__ import annotations

import ctypes
import math
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from liqueue.errors import TimeLimitExceeded
from liqueue.jobs import Job
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.worker.runner import AttemptRunner


@dataclass
class _Running:
    job: Job
    deadline: float  # time.monotonic()
    thread_id: int
    stopping: bool = False


def _raise_in_thread(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in that thread at its next bytecode; None cancels a pending one."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), None if exc is None else ctypes.py_object(exc)
    )


class Executor:
    """`concurrency` threads fed from one queue of jobs; outcomes go to `results`."""

    def __init__(
        self,
        concurrency: int,
        runner: AttemptRunner,
        time_limits: Mapping[str, float],
        results: queue.SimpleQueue[object],
    ) -> None:
        self._runner = runner
        self._time_limits = time_limits
        self._results = results
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running: dict[int, _Running] = {}
        self._queued: set[str] = set()
        # The watchdog sleeps on it until `_watching_until` (time.monotonic()).
        self._deadline_sooner = threading.Condition(self._lock)
        self._watching_until = math.inf
        self._stopped = False
        self._threads = [
            threading.Thread(target=self._work, name=f"liqueue-job-{n}", daemon=True)
            for n in range(concurrency)
        ]
        for thread in self._threads:
            thread.start()
        threading.Thread(target=self._watch, name="liqueue-time-limits", daemon=True).start()

    def submit(self, job: Job) -> None:
        with self._lock:
            self._queued.add(job.id)
        self._jobs.put(job)

    def take_back_queued(self) -> list[str]:
        """Ids of submitted jobs no thread has started; they will not start."""
        with self._lock:
            ids = list(self._queued)
            self._queued.clear()
        return ids

    def running_ids(self) -> list[str]:
        with self._lock:
            return [running.job.id for running in self._running.values()]

    def stop(self) -> None:
        for _ in self._threads:
            self._jobs.put(None)
        with self._lock:
            self._stopped = True
            self._deadline_sooner.notify()

    def _enforce(self, now: float) -> float:
        """Stop the jobs past their deadline (the lock held); the next deadline."""
        upcoming = math.inf
        for running in self._running.values():
            if running.stopping:
                continue
            if running.deadline <= now:
                running.stopping = True
                _raise_in_thread(running.thread_id, TimeLimitExceeded)
            else:
                upcoming = min(upcoming, running.deadline)
        return upcoming

    def _watch(self) -> None:
        with self._lock:
            while not self._stopped:
                self._watching_until = self._enforce(time.monotonic())
                timeout = self._watching_until - time.monotonic()
                self._deadline_sooner.wait(None if timeout == math.inf else max(timeout, 0.0))

    def _work(self) -> None:
        ident = threading.get_ident()
        while True:
            job = self._jobs.get()
            if job is None:
                return
            with self._lock:
                if job.id not in self._queued:  # taken back during shutdown
                    continue
                self._queued.discard(job.id)
                limit = self._time_limits[job.priority]
                deadline = time.monotonic() + limit
                self._running[ident] = _Running(job, deadline, ident)
                if deadline < self._watching_until:
                    self._watching_until = deadline  # one wake-up for it is enough
                    self._deadline_sooner.notify()
            self._results.put(self._attempt(job, ident, limit))

    def _attempt(self, job: Job, ident: int, limit: float) -> AttemptOutcome:
        started = time.perf_counter()
        try:
            outcome = self._runner.run(job)
            # The limit may be injected after the render ended; it then lands
            # here, before the job leaves `_running`, and still counts.
            with self._lock:
                running = self._running.pop(ident)
                if running.stopping:
                    # Should an injected exception still be pending (delivery
                    # points differ between Python versions), cancel it so it
                    # cannot hit this thread's next job or its loop.
                    _raise_in_thread(ident, None)
            return outcome
        except TimeLimitExceeded:
            with self._lock:
                self._running.pop(ident, None)
            return self._runner.timed_out(job, started, limit)
