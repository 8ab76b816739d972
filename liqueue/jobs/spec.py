"""`JobSpec`: what one `background` tag or event consumer asks for."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from liqueue.errors import Location
from liqueue.jobs.options import JobOptions

_last_ms = 0
_sequence = 0
_id_lock = threading.Lock()


def new_job_id() -> str:
    """A UUIDv7: sorts by creation time, unique across processes.

    Within one millisecond the 12-bit `rand_a` field counts up (RFC 9562,
    method 1), so ids made by one process sort in the order they were made:
    the jobs of one render, and an event's consumers, keep their order.
    """
    global _last_ms, _sequence
    with _id_lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _sequence += 1
            if _sequence > 0xFFF:  # 4096 ids in one millisecond: borrow the next one
                ms += 1
                _sequence = 0
        else:
            _sequence = int.from_bytes(os.urandom(2), "big") & 0x3FF  # room left to count
        _last_ms = ms
        sequence = _sequence
    tail = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (sequence << 64) | (0b10 << 62) | tail
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@dataclass(frozen=True)
class JobSpec:
    """A job to enqueue, as a render asked for it.

    Exactly one of `body` (the exact source text of a block) and `partial`
    (a template name) is set. `arguments` are already JSON-safe.
    """

    source_name: str
    origin: Location
    body: str | None = None
    partial: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    priority: str = "default"
    max_attempts: int = 1
    delay_minutes: float = 0.0
    context: dict[str, Any] = field(default_factory=dict)
    event_id: str | None = None
    id: str = field(default_factory=new_job_id)
    # Set for a source with a `unique` policy (liqueue/policies.py): the store
    # refuses a second job holding the same key.
    unique_key: str | None = None
    unique_for: float = 0.0

    @classmethod
    def from_options(
        cls,
        options: JobOptions,
        *,
        default_name: str,
        origin: Location,
        body: str | None = None,
        partial: str | None = None,
        arguments: dict[str, Any],
        context: dict[str, Any],
    ) -> JobSpec:
        """The job a tag asks for: named `default_name` unless its options name it."""
        return cls(
            source_name=options.source_name or default_name,
            origin=origin,
            body=body,
            partial=partial,
            arguments=arguments,
            priority=options.priority,
            max_attempts=options.max_attempts,
            delay_minutes=options.delay,
            context=context,
        )

    def __post_init__(self) -> None:
        if (self.body is None) == (self.partial is None):
            raise ValueError("a JobSpec needs exactly one of body and partial")

    def run_at(self, now: float) -> float:
        return now + self.delay_minutes * 60.0
