"""What the overview and /metrics read: counters kept by triggers, workers,
throughput and queue latency, each a handful of rows whatever the queue's size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from liqueue.jobs import Priority

# Upper bounds (ms) of the attempt duration histogram; the migrations' bucket
# CASE uses the same numbers, and -1 stands for +Inf.
BUCKETS_MS: tuple[int, ...] = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000)
ABOVE_LAST = -1


@dataclass(frozen=True)
class AttemptCount:
    """Finished attempts of one source_name and outcome in one duration bucket."""

    source_name: str
    status: str
    le_ms: int  # ABOVE_LAST for slower than every bound
    count: int
    sum_ms: int


def attempt_counts_from_rows(found: Sequence[Sequence[Any]]) -> list[AttemptCount]:
    return [
        AttemptCount(str(source), str(status), int(le), int(n), int(total))
        for source, status, le, n, total in found
    ]


@dataclass(frozen=True)
class WorkerInfo:
    """A worker process as it registered itself (worker/registry.py)."""

    id: str
    host: str
    pid: int
    started_at: float
    heartbeat_at: float
    running: int

    def params(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "host": self.host,
            "pid": self.pid,
            "started_at": self.started_at,
            "heartbeat_at": self.heartbeat_at,
            "running": self.running,
        }

    def to_json(self) -> dict[str, object]:
        return self.params()


def workers_from_rows(found: Sequence[Sequence[Any]]) -> list[WorkerInfo]:
    return [
        WorkerInfo(str(i), str(host), int(pid), float(started), float(beat), int(running))
        for i, host, pid, started, beat, running in found
    ]


@dataclass(frozen=True)
class MinuteCount:
    """Attempts that finished in one minute (its start, epoch seconds) with one outcome."""

    minute: float
    status: str
    count: int


def minutes_from_rows(found: Sequence[Sequence[Any]]) -> list[MinuteCount]:
    return [MinuteCount(float(m), str(status), int(n)) for m, status, n in found if status]


def latency_from_rows(found: Sequence[Sequence[Any]], now: float) -> dict[Priority, float | None]:
    """Seconds the oldest due job of each priority has waited (None: none due)."""
    waits: dict[Priority, float | None] = {p: None for p in Priority}
    for rank, oldest in found:
        if oldest is not None:
            waits[Priority.of_rank(int(rank))] = max(0.0, now - float(oldest))
    return waits
