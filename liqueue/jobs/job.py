"""`Job`: a job as the store keeps it, and its states."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from liqueue.errors import Location
from liqueue.jobs.priority import Priority


class JobState(StrEnum):
    SCHEDULED = "scheduled"  # waiting for run_at (due ones included)
    RUNNING = "running"
    RETRY = "retry"  # failed, waiting for its next attempt
    DONE = "done"
    DEAD = "dead"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.DEAD, JobState.CANCELLED)


@dataclass
class Job:
    id: str
    state: JobState
    source_name: str
    priority: Priority
    max_attempts: int
    attempt: int  # attempts started so far
    run_at: float
    created_at: float
    origin: Location
    body: str | None = None
    partial: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    event_id: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    lease_until: float | None = None
    worker_id: str | None = None
    error_class: str | None = None
    error_message: str | None = None
    error_location: str | None = None

    @property
    def is_last_attempt(self) -> bool:
        return self.attempt >= self.max_attempts
