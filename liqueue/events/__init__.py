"""Events: consumers discovery, validation and fan-out into JobSpecs."""

from liqueue.events.fanout import expand_events, new_event

__all__ = ["expand_events", "new_event"]
