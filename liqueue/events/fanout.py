"""Validate the events of an outbox and turn each into one job per consumer.

Looking an event type's consumers up on disk (a directory listing, each
file's front matter) took longer than storing the event and its jobs, for
every event; so what was found is trusted for `RECHECK_SECONDS`: a consumer
or schema added, edited or removed is picked up within that long. A type
found to have neither is looked up again every time (it raises), so the
first consumer of a new type counts at once.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import TYPE_CHECKING

from liqueue.errors import Location, TemplateError
from liqueue.events.consumers import (
    CONSUMERS_DIR,
    SCHEMAS_DIR,
    Consumer,
    consumer_paths,
    load_consumer,
    schema_path,
)
from liqueue.events.event import Event, event_own_fields, event_variable, origin_text
from liqueue.jobs import JobSpec
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox

if TYPE_CHECKING:
    from liqueue.config import AppConfig
    from liqueue.liquid.runtime import Runtime


RECHECK_SECONDS = 0.5


@dataclasses.dataclass(frozen=True)
class _Found:
    at: float  # time.monotonic() of the lookup
    consumers: list[Consumer]
    has_schema: bool


class Fanout:
    """Fans the events of an outbox out to the consumers of one application."""

    def __init__(self, root: Path, config: AppConfig, runtime: Runtime) -> None:
        self.root = root
        self.config = config
        self.runtime = runtime
        self._found: dict[str, _Found] = {}  # by event type

    def runs_no_template(self, outbox: Outbox) -> bool:
        """Whether expanding `outbox` renders nothing (no event of it has a schema,
        whose template may block): the fan-out is then only work in memory."""
        return not any(self._lookup(event).has_schema for event in outbox.events)

    def expand(self, outbox: Outbox) -> Outbox:
        """A new outbox: every event validated, its consumer jobs and log lines added.

        An unknown event type raises, so the render (or job) that published it
        queues nothing; an invalid event is stored as such and starts nothing.
        The given outbox and its events are left as they were.
        """
        if not outbox.events:
            return outbox
        expanded = Outbox(jobs=list(outbox.jobs), logs=list(outbox.logs))
        for published in outbox.events:
            consumers = self._discover(published)
            names = [consumer.name for consumer in consumers]
            event = self._validated(published, names)
            if not event.valid:
                expanded.events.append(event)
                expanded.logs.append(
                    _log(
                        event,
                        f"event {event.type} {event.id} is invalid: " + "; ".join(event.errors),
                        "error",
                    )
                )
                continue
            # The jobs need the event's id only, so they are made before the
            # event that lists them.
            jobs = [self._consumer_job(event, consumer, names) for consumer in consumers]
            event = dataclasses.replace(event, job_ids=[*event.job_ids, *(j.id for j in jobs)])
            expanded.events.append(event)
            expanded.jobs.extend(jobs)
            started = ", ".join(c.source_name for c in consumers) or "no consumers"
            expanded.logs.append(_log(event, f"event {event.type} {event.id} published: {started}"))
        return expanded

    def _discover(self, event: Event) -> list[Consumer]:
        return self._lookup(event).consumers

    def _lookup(self, event: Event) -> _Found:
        now = time.monotonic()
        found = self._found.get(event.type)
        if found is not None and now - found.at < RECHECK_SECONDS:
            return found
        paths = consumer_paths(self.root, event.type)
        has_schema = schema_path(self.root, event.type).exists()
        if not paths and not has_schema:
            self._found.pop(event.type, None)
            raise TemplateError(
                f"unknown event type {event.type!r}: no consumers in "
                f"{CONSUMERS_DIR}/{event.type}/ and no schema at {SCHEMAS_DIR}/{event.type}.liquid",
                event.source_location,
            )
        consumers = [
            load_consumer(
                self.root, path, self.runtime.front_matter(path.relative_to(self.root).as_posix())
            )
            for path in paths
        ]
        self._found[event.type] = _Found(now, consumers, has_schema)
        return self._found[event.type]

    def _validated(self, event: Event, consumers: list[str]) -> Event:
        """The event as its schema judged it (unchanged when it has no schema)."""
        if not self._lookup(event).has_schema:
            return event
        schema = schema_path(self.root, event.type)
        # The schema is this file, not whatever `events/<type>` resolves to first
        # (app/views/partials/ is searched before app/lib/).
        result = self.runtime.call_function(
            f"events/{event.type}",
            {"event": event_variable(event, consumers), "object": dict(event.payload)},
            path=schema.relative_to(self.root).as_posix(),
        )
        if not isinstance(result, dict) or "valid" not in result:
            raise TemplateError(
                f"the schema of event {event.type!r} must return a hash with 'valid' and "
                f"'errors', got {result!r}",
                Location(f"{SCHEMAS_DIR}/{event.type}.liquid"),
            )
        errors = result.get("errors") or []
        return dataclasses.replace(
            event,
            valid=bool(result["valid"]),
            errors=[str(e) for e in errors] if isinstance(errors, list) else [str(errors)],
        )

    def _consumer_job(self, event: Event, consumer: Consumer, consumers: list[str]) -> JobSpec:
        return JobSpec(
            source_name=consumer.source_name,
            origin=Location(consumer.path, 1, 1),
            partial=consumer.partial,
            arguments={"event": event_variable(event, consumers)},
            priority=consumer.priority,
            max_attempts=consumer.max_attempts,
            delay_minutes=consumer.delay_minutes,
            context={
                # Published from Python there is no request: the location says so.
                "location": {"event": event.type, "origin": origin_text(event.origin)},
                **event.context,
                "environment": self.config.environment,
                "event": event_own_fields(event),
            },
            event_id=event.id,
        )


def _log(event: Event, message: str, type: str = "event") -> LogEntry:
    return LogEntry(
        at=event.at,
        type=type,
        message=message,
        event_id=event.id,
        location=origin_text(event.origin),
    )
