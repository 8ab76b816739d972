"""Put jobs, attempts and log lines in a store directly, as a worker would have."""

from __future__ import annotations

import time
from typing import Any

from liqueue.app import App
from liqueue.errors import Location
from liqueue.jobs import JobSpec, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry, attempt_entry
from liqueue.outbox import Outbox

PRIORITIES = ["high", "default", "low"]
BODY = "\n  {% assign greeting = 'hi' %}\n  {% log greeting %}\n"


def spec(source_name: str, **options: Any) -> JobSpec:
    options.setdefault("body", BODY)
    options.setdefault("origin", Location("app/views/pages/index.liquid", 12, 1))
    return JobSpec(source_name=source_name, **options)


def enqueue(app: App, *specs: JobSpec, now: float | None = None) -> list[str]:
    app.store.enqueue(Outbox(jobs=list(specs)), time.time() if now is None else now)
    return [s.id for s in specs]


def attempt(
    app: App,
    job_id: str,
    *,
    fail: bool,
    duration_ms: int,
    final: JobState | None = None,
    error: str = "boom",
) -> None:
    """Claim `job_id` (it must be the only due job) and finish one attempt of it."""
    now = time.time()
    (job,) = app.store.claim("test-worker", 1, now, 30.0, PRIORITIES)
    assert job.id == job_id, "seed jobs one at a time: another job was due"
    state = final or (JobState.RETRY if fail else JobState.DONE)
    line = attempt_entry(
        at=now,
        job_id=job.id,
        source_name=job.source_name,
        attempt=job.attempt,
        max_attempts=job.max_attempts,
        status="FAILED" if fail else "SUCCESS",
        duration_ms=duration_ms,
        error=error if fail else None,
        location="app/views/pages/index.liquid:13" if fail else None,
    )
    app.store.complete(
        [
            AttemptOutcome(
                job_id=job.id,
                attempt=job.attempt,
                state=state,
                finished_at=now,
                next_run_at=now if state is JobState.RETRY else None,
                error_class="JobFailed" if fail else None,
                error_message=error if fail else None,
                error_location="app/views/pages/index.liquid:13" if fail else None,
                outbox=Outbox(logs=[line]),
            )
        ],
        now,
    )


def log(
    app: App, message: str, *, type: str = "info", at: float | None = None, **fields: Any
) -> None:
    entry = LogEntry(at=time.time() if at is None else at, type=type, message=message, **fields)
    app.store.add_logs([entry])
