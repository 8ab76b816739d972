"""`Outbox`: what one render (a page or a job body) asks to persist, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from liqueue.events.event import Event
from liqueue.jobs import JobSpec
from liqueue.logs import LogEntry


@dataclass
class Outbox:
    """Jobs, events and log entries of one render, stored in one transaction."""

    jobs: list[JobSpec] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    logs: list[LogEntry] = field(default_factory=list)

    def extend(self, other: Outbox) -> None:
        self.jobs.extend(other.jobs)
        self.events.extend(other.events)
        self.logs.extend(other.logs)

    def __bool__(self) -> bool:
        return bool(self.jobs or self.events or self.logs)
