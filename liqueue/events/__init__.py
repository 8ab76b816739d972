"""Events: consumers discovery, validation and fan-out into JobSpecs."""

from liqueue.events.fanout import event_variable, expand_events, new_event

__all__ = ["event_variable", "expand_events", "new_event"]
