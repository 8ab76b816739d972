"""Per-source statistics from the rows both backends' stats queries return."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
