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


@dataclass
class Refusals:
    """What the unique index's refusals leave: `unique` log lines, and aliases
    (the refused job's id -> the job holding its key) so that the id the render
    already handed out names the holder."""

    entries: list[LogEntry] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)


def refusals(refused: Sequence[JobSpec], owners: dict[str, str], now: float) -> Refusals:
    """Of jobs the unique index refused; `owners` maps each key to the job holding it.
    A repeated enqueue of the same job (its own id holds the key) leaves nothing."""
    found = Refusals()
    for spec in refused:
        owner = owners.get(spec.unique_key or "")
        if owner is not None and owner != spec.id:
            found.entries.append(duplicate_entry(spec, owner, now, str(spec.origin)))
            found.aliases.append((spec.id, owner))
    return found
