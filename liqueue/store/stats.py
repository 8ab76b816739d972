"""Per-source statistics: built from the rows both backends' stats queries
return, and reported (success rate, percentiles) the same way to every reader."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from liqueue.jobs import JobState
from liqueue.store.base import SourceStats


def build_stats(
    states: Iterable[Sequence[Any]],
    attempts: Iterable[Sequence[Any]],
    durations: Iterable[Sequence[Any]],
) -> list[SourceStats]:
    """states: (source, state, count); attempts: (source, total, failed, retries);
    durations: (source, duration_ms). Sources with only logs left are listed too."""
    by_source: dict[str, SourceStats] = {}

    def entry(source: str) -> SourceStats:
        if source not in by_source:
            counts = {state.value: 0 for state in JobState}
            by_source[source] = SourceStats(source, counts, 0, 0, 0, [])
        return by_source[source]

    for source, state, count in states:
        entry(source).counts[state] = int(count)
    for source, total, failed, retries in attempts:
        stats = entry(source)
        stats.attempts = int(total)
        stats.failed_attempts = int(failed or 0)
        stats.retries = int(retries or 0)
    for source, duration in durations:
        entry(source).durations_ms.append(int(duration))
    return [by_source[source] for source in sorted(by_source)]


STATES = [state.value for state in JobState]


def percentile(ordered: Sequence[int], pct: int) -> int | None:
    """Nearest-rank percentile of sorted values: always a duration that was really measured."""
    if not ordered:
        return None
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class SourceReport:
    """One source_name's line of the stats report: what `liqueue stats` shows."""

    source_name: str
    counts: dict[str, int]  # every JobState value, in JobState order
    success_pct: float | None  # of finished attempts, to one decimal
    p50_ms: int | None
    p95_ms: int | None
    max_ms: int | None
    retries: int  # attempts beyond each job's first

    @property
    def job_success_pct(self) -> float | None:
        """Done jobs among finished ones (done or dead), in percent to one decimal."""
        done, dead = self.counts.get("done", 0), self.counts.get("dead", 0)
        return None if not done + dead else round(done / (done + dead) * 100, 1)

    @classmethod
    def of(cls, stats: SourceStats) -> SourceReport:
        rate = stats.success_rate
        durations = sorted(stats.durations_ms)
        return cls(
            source_name=stats.source_name,
            counts={state: stats.counts.get(state, 0) for state in STATES},
            success_pct=None if rate is None else round(rate * 100, 1),
            p50_ms=percentile(durations, 50),
            p95_ms=percentile(durations, 95),
            max_ms=durations[-1] if durations else None,
            retries=stats.retries,
        )

    def to_json(self) -> dict[str, object]:
        """Flat, counts first under their state names: the shape of `liqueue stats --json`."""
        return {
            "source_name": self.source_name,
            **self.counts,
            "success_rate": self.success_pct,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "max_ms": self.max_ms,
            "retries": self.retries,
            "job_success_rate": self.job_success_pct,
        }


def stats_report(stats: Iterable[SourceStats]) -> list[SourceReport]:
    """The report of `Store.stats()`, one line per source_name in name order."""
    return [SourceReport.of(s) for s in sorted(stats, key=lambda s: s.source_name)]
