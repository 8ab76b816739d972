"""What the overview and /metrics read: counters kept by triggers, workers,
throughput and queue latency, each a handful of rows whatever the queue's size."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from liqueue.jobs import Priority
from liqueue.store.stats import STATES, SourceReport

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


# Upper bounds (ms) of the per-minute histogram (attempt_minutes, migration 0007,
# whose bucket CASE spells the same numbers): finer than BUCKETS_MS, so p50/p95
# read from it land within a bucket's width of the true value. 0 holds attempts
# without a duration, ABOVE_LAST the slower than every bound.
MINUTE_BUCKETS_MS: tuple[int, ...] = (
    1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000,
    3000, 5000, 7000, 10000, 15000, 20000, 30000, 60000, 120000, 300000,
)  # fmt: skip
UNTIMED = 0


def minute_bucket(duration_ms: int | None) -> int:
    """The attempt_minutes bucket of a duration, as the migration's CASE computes it."""
    if duration_ms is None:
        return UNTIMED
    return next((b for b in MINUTE_BUCKETS_MS if duration_ms <= b), ABOVE_LAST)


def chart_from_rows(found: Sequence[Sequence[Any]]) -> list[MinuteCount]:
    """(minute, succeeded, others) rows of attempt_minutes_chart as MinuteCounts;
    every outcome but SUCCESS is counted as FAILED (the chart's two series)."""
    counts: list[MinuteCount] = []
    for minute, succeeded, others in found:
        if others:
            counts.append(MinuteCount(float(minute), "FAILED", int(others)))
        if succeeded:
            counts.append(MinuteCount(float(minute), "SUCCESS", int(succeeded)))
    return counts


@dataclass
class _Histogram:
    attempts: int = 0
    failed: int = 0
    retries: int = 0
    max_ms: int | None = None
    buckets: dict[int, int] = field(default_factory=dict)  # le_ms -> timed attempts


def window_report(
    job_counts: Sequence[Sequence[Any]], buckets: Sequence[Sequence[Any]]
) -> list[SourceReport]:
    """The stats report over a window, from current job counts (state, priority,
    source, n) and attempt_minutes_window rows (source, le_ms, n, failed, retries,
    sum_ms, max_ms): percentiles interpolated within histogram buckets."""
    counts: dict[str, dict[str, int]] = {}
    for state, _, source, n in job_counts:
        if int(n):
            by_state = counts.setdefault(str(source), {s: 0 for s in STATES})
            by_state[str(state)] = by_state.get(str(state), 0) + int(n)
    histograms: dict[str, _Histogram] = {}
    for source, le_ms, n, failed, retries, _, max_ms in buckets:
        h = histograms.setdefault(str(source), _Histogram())
        h.attempts += int(n)
        h.failed += int(failed)
        h.retries += int(retries)
        if int(le_ms) != UNTIMED:
            h.buckets[int(le_ms)] = h.buckets.get(int(le_ms), 0) + int(n)
            h.max_ms = int(max_ms) if h.max_ms is None else max(h.max_ms, int(max_ms))
    report = []
    for source in sorted(set(counts) | set(histograms)):
        h = histograms.get(source, _Histogram())
        pairs = [(h.buckets[b], b) for b in (*MINUTE_BUCKETS_MS, ABOVE_LAST) if b in h.buckets]
        report.append(
            SourceReport(
                source_name=source,
                counts=counts.get(source, {s: 0 for s in STATES}),
                success_pct=(
                    round((h.attempts - h.failed) / h.attempts * 100, 1) if h.attempts else None
                ),
                p50_ms=bucket_percentile(pairs, 50, h.max_ms),
                p95_ms=bucket_percentile(pairs, 95, h.max_ms),
                max_ms=h.max_ms,
                retries=h.retries,
            )
        )
    return report


def bucket_percentile(
    buckets: Sequence[tuple[int, int]], pct: int, max_ms: int | None
) -> int | None:
    """Nearest-rank percentile of (count, upper bound) buckets in bound order
    (ABOVE_LAST last), interpolated linearly inside the bucket it falls in and
    never above the slowest attempt seen."""
    total = sum(n for n, _ in buckets)
    if not total or max_ms is None:
        return None
    rank = max(1, math.ceil(pct / 100 * total))
    seen = 0
    for n, bound in buckets:
        if seen + n >= rank:
            lower, upper = _bucket_range(bound, max_ms)
            return min(max_ms, round(lower + (upper - lower) * (rank - seen) / n))
        seen += n
    return max_ms


def _bucket_range(bound: int, max_ms: int) -> tuple[int, int]:
    if bound == ABOVE_LAST:
        return MINUTE_BUCKETS_MS[-1], max(max_ms, MINUTE_BUCKETS_MS[-1])
    index = MINUTE_BUCKETS_MS.index(bound)
    return (MINUTE_BUCKETS_MS[index - 1] if index else 0), bound


def latency_from_rows(found: Sequence[Sequence[Any]], now: float) -> dict[Priority, float | None]:
    """Seconds the oldest due job of each priority has waited (None: none due)."""
    waits: dict[Priority, float | None] = {p: None for p in Priority}
    for rank, oldest in found:
        if oldest is not None:
            waits[Priority.of_rank(int(rank))] = max(0.0, now - float(oldest))
    return waits
