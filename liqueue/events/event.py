"""`Event`: a published event, and the one way to make one.

Vocabulary: imports no room, so the `trigger_event` tag, the store and
fan-out can all name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from liqueue.errors import Location
from liqueue.jobs import new_job_id
from liqueue.logs import format_time

# What `event_variable` adds to the payload: a payload field of the same name
# would be silently replaced (`event.id` would not be the order's id).
RESERVED_FIELDS = ("type", "date", "id")

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

    @property
    def source_location(self) -> Location | None:
        """The line of a template that published it, for errors; None from Python."""
        if self.origin is None or not self.origin.line:
            return None
        return self.origin


def reserved_field_error(name: str) -> str | None:
    if name not in RESERVED_FIELDS:
        return None
    return (
        f"event field '{name}' is reserved: consumers see event.{name} as the event's own "
        f"{name}; give the field another name (e.g. 'order_{name}')"
    )


def new_event(type: str, payload: dict[str, Any], *, at: float, origin: Location) -> Event:
    """A new event with a fresh id; ValueError names a reserved payload field."""
    for name in payload:
        problem = reserved_field_error(name)
        if problem is not None:
            raise ValueError(problem)
    return Event(id=new_job_id(), type=type, payload=payload, at=at, origin=origin)


def event_variable(event: Event) -> dict[str, Any]:
    """What a consumer sees as `event`: the payload plus type, date and id."""
    return {**event.payload, "type": event.type, "date": format_time(event.at), "id": event.id}


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
