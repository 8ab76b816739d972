"""What one render carries besides variables: its outbox, clock and job.

The state is an attribute of the render context (`AppContext.liqueue_state`),
not a variable: no template can read it, yet it follows every context
python-liquid derives for `include`, `render` and `function`, so jobs queued
inside partials and loops all land in the one outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from liqueue.config import Limits
from liqueue.errors import Location
from liqueue.liquid.response import PageResponse
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox

if TYPE_CHECKING:
    from liquid import RenderContext

    from liqueue.clock import Clock
    from liqueue.jobs import Job


@dataclass
class RenderState:
    clock: Clock
    context: dict[str, Any]  # the `context` a queued job's body will see
    job: Job | None = None  # set while a job's body runs
    outbox: Outbox = field(default_factory=Outbox)
    response: PageResponse = field(default_factory=PageResponse)  # what a page asks of HTTP
    limits: Limits = field(default_factory=Limits)

    def log(self, type: str, message: str, location: Location) -> None:
        """Add a log entry, carrying the running job's id, source and attempt."""
        job = self.job
        self.outbox.logs.append(
            LogEntry(
                at=self.clock.now(),
                type=type,
                message=message,
                job_id=job.id if job else None,
                source_name=job.source_name if job else None,
                attempt=job.attempt if job else None,
                max_attempts=job.max_attempts if job else None,
                location=f"{location.path}:{location.line}",
                event_id=job.event_id if job else None,
            )
        )

    def mark(self) -> tuple[int, int]:
        return len(self.outbox.jobs), len(self.outbox.events)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Forget jobs and events queued since `mark` (a failed `try` block).
        Log entries stay: they tell what happened before the failure."""
        del self.outbox.jobs[mark[0] :]
        del self.outbox.events[mark[1] :]


def state_of(context: RenderContext) -> RenderState:
    state = getattr(context, "liqueue_state", None)
    if not isinstance(state, RenderState):
        raise RuntimeError("liqueue tags need a render started by liqueue.liquid.Runtime")
    return state
