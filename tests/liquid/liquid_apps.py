"""Helpers for the Liquid runtime's tests: real application directories."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from liqueue.clock import ManualClock
from liqueue.config import AppConfig
from liqueue.jobs import Job, JobSpec, JobState, Priority
from liqueue.liquid import Runtime
from tests.apps import write_file


@dataclass
class AppDir:
    root: Path
    clock: ManualClock = field(default_factory=ManualClock)

    def write(self, relative: str, text: str) -> Path:
        return write_file(self.root, relative, text)

    def page(self, name: str, text: str) -> None:
        self.write(f"app/views/pages/{name}.liquid", text)

    def partial(self, name: str, text: str) -> None:
        self.write(f"app/views/partials/{name}.liquid", text)

    def runtime(self, config: AppConfig | None = None) -> Runtime:
        return Runtime(self.root, config or AppConfig(), self.clock)


def job_from(spec: JobSpec, attempt: int = 1) -> Job:
    """The job a store would hand a worker for `spec`."""
    return Job(
        id=spec.id,
        state=JobState.RUNNING,
        source_name=spec.source_name,
        priority=Priority(spec.priority),
        max_attempts=spec.max_attempts,
        attempt=attempt,
        run_at=0.0,
        created_at=0.0,
        origin=spec.origin,
        body=spec.body,
        partial=spec.partial,
        arguments=dict(spec.arguments),
        context=dict(spec.context),
    )
