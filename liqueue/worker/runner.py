"""Run one attempt of one job and decide what happens next."""

from __future__ import annotations

import time
import traceback
from typing import TYPE_CHECKING

from liqueue.errors import ExternalCallFailed, TemplateError, TimeLimitExceeded
from liqueue.jobs import Backoff, Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.liquid.runtime import JobRenderFailed
from liqueue.logs import LogEntry, attempt_entry
from liqueue.outbox import Outbox

if TYPE_CHECKING:
    from liqueue.clock import Clock
    from liqueue.events.fanout import Fanout
    from liqueue.liquid.runtime import Runtime


class AttemptRunner:
    def __init__(
        self,
        runtime: Runtime,
        clock: Clock,
        backoff: Backoff,
        fanout: Fanout,
    ) -> None:
        self.runtime = runtime
        self.clock = clock
        self.backoff = backoff
        # Turns the events a body published into consumer jobs; a failure
        # there (an unknown event type) fails the attempt like any other.
        self.fanout = fanout

    def run(self, job: Job) -> AttemptOutcome:
        """Run one attempt; a time limit hit on the way is raised for the executor."""
        started = time.perf_counter()
        try:
            rendered = self.runtime.attempt_job(job).outbox
        except JobRenderFailed as failed:
            # A failed attempt keeps the log entries it wrote: they are how authors debug.
            return self._failed(job, started, failed.error, failed.outbox.logs)
        except TimeLimitExceeded:
            raise
        except Exception as err:
            return self._failed(job, started, err, [])
        try:
            outbox = self.fanout.expand(rendered)
        except TimeLimitExceeded:
            raise
        except Exception as err:
            return self._failed(job, started, err, rendered.logs)
        return self._outcome(job, started, JobState.DONE, outbox)

    def timed_out(self, job: Job, started: float, limit: float) -> AttemptOutcome:
        """The outcome of an attempt stopped at its priority's time limit `limit`."""
        error = TimeLimitExceeded(f"time limit exceeded ({limit:g}s for {job.priority} priority)")
        return self._failed(job, started, error, [], location=str(job.origin))

    def _failed(
        self,
        job: Job,
        started: float,
        err: Exception,
        logs: list[LogEntry],
        location: str | None = None,
    ) -> AttemptOutcome:
        # A failed attempt queues nothing it asked for, like a failed page
        # render, but keeps its log entries.
        if location is None:
            location = _error_location(err)
        message = getattr(err, "message", None) or str(err) or type(err).__name__
        state = JobState.DEAD if job.is_last_attempt else JobState.RETRY
        # A service that said when to come back (Retry-After) is not called sooner.
        not_before = err.not_before if isinstance(err, ExternalCallFailed) else None
        return self._outcome(
            job,
            started,
            state,
            Outbox(logs=list(logs)),
            type(err).__name__,
            message,
            location or str(job.origin),
            not_before=not_before,
        )

    def _outcome(
        self,
        job: Job,
        started: float,
        state: JobState,
        outbox: Outbox,
        error_class: str | None = None,
        error_message: str | None = None,
        error_location: str | None = None,
        *,
        not_before: float | None = None,
    ) -> AttemptOutcome:
        now = self.clock.now()
        duration_ms = int((time.perf_counter() - started) * 1000)
        outbox.logs.append(
            attempt_entry(
                at=now,
                job_id=job.id,
                source_name=job.source_name,
                attempt=job.attempt,
                max_attempts=job.max_attempts,
                status="SUCCESS" if state is JobState.DONE else "FAILED",
                duration_ms=duration_ms,
                error=error_message,
                location=error_location,
            )
        )
        next_run_at = None
        if state is JobState.RETRY:
            next_run_at = max(now + self.backoff.delay_before(job.attempt + 1), not_before or 0.0)
        return AttemptOutcome(
            job_id=job.id,
            attempt=job.attempt,
            state=state,
            finished_at=now,
            next_run_at=next_run_at,
            error_class=error_class,
            error_message=error_message,
            error_location=error_location,
            outbox=outbox,
            worker_id=job.worker_id,
        )


def _error_location(err: Exception) -> str | None:
    if isinstance(err, TemplateError):
        return str(err.location) if err.location else None
    return _python_location(err)


def _python_location(err: BaseException) -> str | None:
    frames = traceback.extract_tb(err.__traceback__)
    if not frames:
        return None
    last = frames[-1]
    return f"{last.filename}:{last.lineno}"
