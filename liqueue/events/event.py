"""`Event`: a published event, and the one way to make one.

Vocabulary: imports no room, so the `trigger_event` tag, the store and
fan-out can all name it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from liqueue.errors import Location, TemplateError
from liqueue.jobs import new_job_id
from liqueue.logs import format_time

# The payload is the author's: consumers see its fields as `event.<name>`,
# `event.id`, `event.type` and `event.date` included (the platform's tutorial
# publishes `{"id": object.id}` and checks `event.id`). The event's own type
# and date fill `event.type`/`event.date` only when the payload has no such
# field, and are always at `context.event.type`/`.date`/`.uuid`, which no
# payload can reach. What the platform sets after building the event cannot
# come from the payload: it would be replaced without a word.
PLATFORM_FIELDS = ("uuid", "valid", "errors", "consumers")

# Where an event published through `App.trigger_event` (and the CLI) comes from.
PYTHON_ORIGIN = Location("python")


@dataclass(frozen=True)
class Event:
    """A published event. `valid` False means it failed its schema; no consumer ran.

    `origin` is the file and line of the `trigger_event` tag, or PYTHON_ORIGIN.
    """

    id: str
    type: str
    payload: dict[str, Any]
    at: float
    valid: bool = True
    errors: list[str] = field(default_factory=list)
    origin: Location | None = None
    job_ids: list[str] = field(default_factory=list)  # consumer jobs it started
    # The `context` of the render that published it (location, request...),
    # without constants and environment, which consumers read from the config.
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def source_location(self) -> Location | None:
        """The line of a template that published it, for errors; None from Python."""
        if self.origin is None or not self.origin.line:
            return None
        return self.origin


def platform_field_error(name: str) -> str | None:
    """Why a payload field cannot have this name, or None."""
    if name not in PLATFORM_FIELDS:
        return None
    return (
        f"event field '{name}' is set by the platform: consumers see event.{name} as the "
        f"event's own {name}; give the field another name (e.g. 'order_{name}')"
    )


# Parts of a render's context a stored event leaves out: consumers read them
# from the application's config when they are queued.
CONFIG_CONTEXT_KEYS = ("constants", "environment")


def new_event(
    type: str,
    payload: dict[str, Any],
    *,
    at: float,
    origin: Location,
    context: Mapping[str, Any] | None = None,
) -> Event:
    """A new event with a fresh id (its uuid), remembering the `context` of the
    render that published it; TemplateError names a field the platform sets."""
    for name in payload:
        problem = platform_field_error(name)
        if problem is not None:
            raise TemplateError(problem, origin if origin.line else None)
    kept = {k: v for k, v in (context or {}).items() if k not in CONFIG_CONTEXT_KEYS}
    return Event(id=new_job_id(), type=type, payload=payload, at=at, origin=origin, context=kept)


def event_own_fields(event: Event) -> dict[str, Any]:
    """The event's own uuid, type and date, as consumers see them in `context.event`."""
    return {"uuid": event.id, "type": event.type, "date": format_time(event.at)}


def event_variable(event: Event, consumers: list[str]) -> dict[str, Any]:
    """What a schema and a consumer see as `event`: type and date unless the
    payload has them, the payload, then what the platform sets."""
    own = event_own_fields(event)
    return {
        "type": own["type"],
        "date": own["date"],
        **event.payload,
        "uuid": own["uuid"],
        "valid": event.valid,
        "errors": list(event.errors),
        "consumers": consumers,
    }


def origin_text(origin: Location | None) -> str | None:
    """The origin as stored and shown: `path:line`, or `python`."""
    return None if origin is None else str(origin)


def parse_origin(text: str | None) -> Location | None:
    """The inverse of `origin_text`, for reading a stored event back."""
    if text is None:
        return None
    path, colon, line = text.rpartition(":")
    if colon and path and line.isdigit() and int(line) > 0:
        return Location(path, int(line))
    return Location(text)
