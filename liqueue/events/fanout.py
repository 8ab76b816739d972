"""Validate the events of an outbox and turn each into one job per consumer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liqueue.errors import Location, TemplateError
from liqueue.events.consumers import (
    CONSUMERS_DIR,
    SCHEMAS_DIR,
    Consumer,
    consumer_paths,
    load_consumer,
    schema_path,
)
from liqueue.jobs import JobSpec, new_job_id
from liqueue.logs import LogEntry, format_time
from liqueue.store import EventRecord, Outbox

if TYPE_CHECKING:
    from liqueue.app import App


# What `event_variable` adds to the payload: a payload field of the same name
# would be silently replaced (`event.id` would not be the order's id).
RESERVED_FIELDS = ("type", "date", "id")


def reserved_field_error(name: str) -> str | None:
    if name not in RESERVED_FIELDS:
        return None
    return (
        f"event field '{name}' is reserved: consumers see event.{name} as the event's own "
        f"{name}; give the field another name (e.g. 'order_{name}')"
    )


def new_event(type: str, payload: dict[str, Any], *, at: float, origin: str) -> EventRecord:
    for name in payload:
        problem = reserved_field_error(name)
        if problem is not None:
            raise ValueError(problem)
    return EventRecord(id=new_job_id(), type=type, payload=payload, at=at, origin=origin)


def event_variable(event: EventRecord) -> dict[str, Any]:
    """What a consumer sees as `event`: the payload plus type, date and id."""
    return {**event.payload, "type": event.type, "date": format_time(event.at), "id": event.id}


def expand_events(app: App, outbox: Outbox) -> Outbox:
    """Return the outbox with every event validated and its consumer jobs added.

    An unknown event type raises, so the render (or job) that published it
    queues nothing; an invalid event is stored as such and starts nothing.
    """
    if not outbox.events:
        return outbox
    expanded = Outbox(jobs=list(outbox.jobs), logs=list(outbox.logs))
    for event in outbox.events:
        expanded.events.append(event)
        consumers = discover(app, event)
        if not _validate(app, event):
            expanded.logs.append(
                _log(
                    event,
                    f"event {event.type} {event.id} is invalid: " + "; ".join(event.errors),
                    "error",
                )
            )
            continue
        for consumer in consumers:
            job = _consumer_job(app, event, consumer)
            event.job_ids.append(job.id)
            expanded.jobs.append(job)
        started = ", ".join(c.source_name for c in consumers) or "no consumers"
        expanded.logs.append(_log(event, f"event {event.type} {event.id} published: {started}"))
    return expanded


def discover(app: App, event: EventRecord) -> list[Consumer]:
    paths = consumer_paths(app.root, event.type)
    if not paths and not schema_path(app.root, event.type).exists():
        raise TemplateError(
            f"unknown event type {event.type!r}: no consumers in "
            f"{CONSUMERS_DIR}/{event.type}/ and no schema at {SCHEMAS_DIR}/{event.type}.liquid",
            _origin(event),
        )
    return [
        load_consumer(
            app.root, path, app.runtime.front_matter(path.relative_to(app.root).as_posix())
        )
        for path in paths
    ]


def _validate(app: App, event: EventRecord) -> bool:
    schema = schema_path(app.root, event.type)
    if not schema.exists():
        return True
    # The schema is this file, not whatever `events/<type>` resolves to first
    # (app/views/partials/ is searched before app/lib/).
    result = app.runtime.call_function(
        f"events/{event.type}",
        {"event": event_variable(event), "object": dict(event.payload)},
        path=schema.relative_to(app.root).as_posix(),
    )
    if not isinstance(result, dict) or "valid" not in result:
        raise TemplateError(
            f"the schema of event {event.type!r} must return a hash with 'valid' and 'errors', "
            f"got {result!r}",
            Location(f"{SCHEMAS_DIR}/{event.type}.liquid"),
        )
    event.valid = bool(result["valid"])
    errors = result.get("errors") or []
    event.errors = [str(e) for e in errors] if isinstance(errors, list) else [str(errors)]
    return event.valid


def _consumer_job(app: App, event: EventRecord, consumer: Consumer) -> JobSpec:
    return JobSpec(
        source_name=consumer.source_name,
        origin=Location(consumer.path, 1, 1),
        partial=consumer.partial,
        arguments={"event": event_variable(event)},
        priority=consumer.priority,
        max_attempts=consumer.max_attempts,
        delay_minutes=consumer.delay_minutes,
        context={
            "constants": app.config.constants,
            "environment": app.config.environment,
            "location": {"event": event.type, "origin": event.origin},
        },
        event_id=event.id,
    )


def _log(event: EventRecord, message: str, type: str = "event") -> LogEntry:
    return LogEntry(
        at=event.at, type=type, message=message, event_id=event.id, location=event.origin
    )


def _origin(event: EventRecord) -> Location | None:
    if not event.origin or ":" not in event.origin:
        return None
    path, _, line = event.origin.rpartition(":")
    return Location(path, int(line)) if line.isdigit() else None
