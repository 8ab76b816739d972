"""Turn the events of an outbox into consumer jobs (placeholder until issue 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liqueue.store import EventRecord, Outbox

if TYPE_CHECKING:
    from liqueue.app import App


def new_event(type: str, payload: dict[str, Any], *, at: float, origin: str) -> EventRecord:
    from liqueue.jobs import new_job_id

    return EventRecord(id=new_job_id(), type=type, payload=payload, at=at, origin=origin)


def expand_events(app: App, outbox: Outbox) -> Outbox:
    return outbox
