"""What the store tells about schedules, unique jobs and limits: shared by both backends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from liqueue.jobs import Job, JobSpec
from liqueue.logs import LogEntry
from liqueue.policies import duplicate_entry


@dataclass(frozen=True)
class ScheduleRun:
    """The newest tick a schedule queued, and how its job ended (None: not yet, or pruned)."""

    schedule_name: str
    tick_at: float
    job_id: str
    state: str | None
    finished_at: float | None
    error_message: str | None


@dataclass
class LimitedClaim:
    jobs: list[Job] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # sources whose limits are full now
    # When a rate window next lets a blocked source start one more (None: when a
    # running job of a concurrency-limited source ends, which wakes the workers).
    retry_at: float | None = None


def runs_from_rows(found: Sequence[Sequence[Any]]) -> dict[str, ScheduleRun]:
    return {row[0]: ScheduleRun(*row) for row in found}


def split_unique(specs: Sequence[JobSpec]) -> tuple[list[JobSpec], list[JobSpec]]:
    """(plain jobs, jobs with a unique key): plain ones take the usual insert."""
    plain = [spec for spec in specs if spec.unique_key is None]
    if len(plain) == len(specs):
        return plain, []
    return plain, [spec for spec in specs if spec.unique_key is not None]


def refusal_entries(
    refused: Sequence[JobSpec], holders: dict[str, str], now: float
) -> list[LogEntry]:
    """`unique` log lines of jobs the unique index refused (not of repeated enqueues)."""
    entries: list[LogEntry] = []
    for spec in refused:
        holder = holders.get(spec.unique_key or "")
        if holder is not None and holder != spec.id:
            entries.append(duplicate_entry(spec, holder, now, str(spec.origin)))
    return entries
