"""`JobSpec`: what one `background` tag or event consumer asks for."""

from __future__ import annotations

import json
import os
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

from liqueue.errors import Location
from liqueue.jobs.options import JobOptions

# How the store writes JSON (arguments, contexts, payloads): compact, and
# without building an encoder per call (a 1,000-job page encodes thousands).
stored_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

_last_ms = 0
_sequence = 0
_id_lock = threading.Lock()

# Random 64-bit numbers drawn from os.urandom a few hundred at a time: one
# call per id cost as much as the rest of new_job_id. Popped from the end.
_RANDOM_BATCH = 256
_unpack_random = struct.Struct(f"<{_RANDOM_BATCH}Q").unpack
_random: list[int] = []


def _forget_random_in_child() -> None:
    # A forked child would hand out its parent's next random numbers, and so
    # its ids; and the lock may have been held by a parent thread at the fork.
    global _id_lock
    _random.clear()
    _id_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_random_in_child)


def _random64() -> int:
    """Called with `_id_lock` held."""
    if not _random:
        _random.extend(_unpack_random(os.urandom(8 * _RANDOM_BATCH)))
    return _random.pop()


def new_job_id() -> str:
    """A UUIDv7: sorts by creation time, unique across processes.

    Within one millisecond the 12-bit `rand_a` field counts up (RFC 9562,
    method 1), so ids made by one process sort in the order they were made:
    the jobs of one render, and an event's consumers, keep their order.
    The other 62 bits (`rand_b`) are random.
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
            _sequence = _random64() & 0x3FF  # room left to count
        _last_ms = ms
        sequence = _sequence
        tail = _random64()
    # unix_ts_ms (48 bits), version 7 and rand_a, variant 0b10 and rand_b's
    # 14 high bits (the random number's top bits), then its 48 low bits.
    return "%08x-%04x-%04x-%04x-%012x" % (  # noqa: UP031 (one % is faster than an f-string here)
        ms >> 16,
        ms & 0xFFFF,
        0x7000 | sequence,
        0x8000 | (tail >> 50),
        tail & 0xFFFF_FFFF_FFFF,
    )


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
    # `arguments` as the store writes them (compact JSON), set by from_options
    # when the tag wrote that text already while measuring them; otherwise
    # None and the store encodes `arguments`. Not a field: a copy made by
    # dataclasses.replace (which may change the arguments) goes without it,
    # and asdict, equality and repr never see it.
    arguments_json: ClassVar[str | None] = None

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
        arguments_json: str | None = None,
    ) -> JobSpec:
        """The job a tag asks for: named `default_name` unless its options name it."""
        if (body is None) == (partial is None):
            raise ValueError("a JobSpec needs exactly one of body and partial")
        # The dataclass's __init__ sets each field through object.__setattr__
        # (it is frozen): 1.5 us of each job of a 1,000-job page. Filling the
        # new instance's __dict__ gives the same object (tests/jobs/test_spec.py),
        # key by key in the fields' order so that it shares the class's keys
        # as __init__'s does (update() built a dict half as large again).
        spec = object.__new__(cls)
        fields = spec.__dict__
        fields["source_name"] = options.source_name or default_name
        fields["origin"] = origin
        fields["body"] = body
        fields["partial"] = partial
        fields["arguments"] = arguments
        fields["priority"] = options.priority
        fields["max_attempts"] = options.max_attempts
        fields["delay_minutes"] = options.delay
        fields["context"] = context
        fields["event_id"] = None
        fields["id"] = new_job_id()
        fields["unique_key"] = None
        fields["unique_for"] = 0.0
        if arguments_json is not None:
            fields["arguments_json"] = arguments_json
        return spec

    def __post_init__(self) -> None:
        if (self.body is None) == (self.partial is None):
            raise ValueError("a JobSpec needs exactly one of body and partial")

    def run_at(self, now: float) -> float:
        return now + self.delay_minutes * 60.0
