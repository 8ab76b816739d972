"""Small builders for the store tests."""

from __future__ import annotations

from typing import Any

from liqueue.errors import Location
from liqueue.jobs import JobSpec, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import attempt_entry
from liqueue.outbox import Outbox

T0 = 1_800_000_000.0


def spec(source_name: str = "job", **options: Any) -> JobSpec:
    options.setdefault("body", "{% log 'hi' %}")
    options.setdefault("origin", Location("app/views/pages/index.liquid", 3, 5))
    return JobSpec(source_name=source_name, **options)


def enqueue(store: Any, *specs: JobSpec, now: float = T0) -> list[str]:
    store.enqueue(Outbox(jobs=list(specs)), now)
    return [item.id for item in specs]


def outcome(
    job_id: str,
    attempt: int = 1,
    state: JobState = JobState.DONE,
    at: float = T0 + 1,
    **fields: Any,
) -> AttemptOutcome:
    return AttemptOutcome(job_id=job_id, attempt=attempt, state=state, finished_at=at, **fields)


def attempt_log(
    job_id: str, source_name: str, attempt: int, failed: bool, ms: int, at: float = T0
) -> Any:
    return attempt_entry(
        at=at,
        job_id=job_id,
        source_name=source_name,
        attempt=attempt,
        max_attempts=3,
        status="FAILED" if failed else "SUCCESS",
        duration_ms=ms,
        error="boom" if failed else None,
    )
