"""`JobSpec`: what one `background` tag or event consumer asks for."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from liqueue.errors import Location


def new_job_id() -> str:
    """A UUIDv7-style id: sorts by creation time, unique across processes."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms << 80) | (0x7 << 76) | ((rand >> 64) & 0xFFF) << 64 | (0b10 << 62)
    value |= rand & ((1 << 62) - 1)
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

    def __post_init__(self) -> None:
        if (self.body is None) == (self.partial is None):
            raise ValueError("a JobSpec needs exactly one of body and partial")

    def run_at(self, now: float) -> float:
        return now + self.delay_minutes * 60.0
