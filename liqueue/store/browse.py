"""Finding jobs by filter, page by page, and acting on what a filter matches.

Pages are newest first and continue after a cursor (created_at, id), so a
page deep in a million jobs costs what the first does. The dashboard, the
JSON API and `liqueue jobs list` ask the same question through `JobFilter`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from liqueue.jobs import Job, JobState, Priority
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.store import rows

# No job was created after this (year 2255): the cursor of the first page.
_END_OF_TIME = 9e9
PAGE_LIMIT_MAX = 1000


@dataclass(frozen=True)
class JobCursor:
    """Where a page ended: the next page holds older jobs."""

    created_at: float
    id: str

    def token(self) -> str:
        return f"{self.created_at!r}_{self.id}"

    @classmethod
    def parse(cls, token: str) -> JobCursor:
        at, sep, job_id = token.partition("_")
        try:
            if not sep or not job_id:
                raise ValueError
            return cls(float(at), job_id)
        except ValueError:
            raise ValueError(f"not a page cursor: {token!r}") from None

    @classmethod
    def after(cls, job: Job) -> JobCursor:
        return cls(job.created_at, job.id)


@dataclass(frozen=True)
class JobFilter:
    """Which jobs: every field given must match (None: any)."""

    state: JobState | None = None
    source_name: str | None = None
    priority: Priority | None = None
    event_id: str | None = None
    text: str | None = None  # found anywhere in the arguments' JSON, any case
    since: float | None = None  # created at or after
    until: float | None = None  # created before

    @property
    def counted(self) -> bool:
        """True when the job_counts table answers how many jobs match (no scan)."""
        return self.event_id is None and not self.text and self.since is None and not self.until

    def params(self) -> dict[str, Any]:
        return {
            "state": None if self.state is None else JobState(self.state).value,
            "source_name": self.source_name,
            "priority": None if self.priority is None else self.priority.rank,
            "event_id": self.event_id,
            "text": self.text or None,
            "since": self.since,
            "until": self.until,
        }

    def to_json(self) -> dict[str, object]:
        return {
            "state": None if self.state is None else self.state.value,
            "source_name": self.source_name,
            "priority": None if self.priority is None else self.priority.value,
            "event_id": self.event_id,
            "text": self.text,
            "since": self.since,
            "until": self.until,
        }


@dataclass(frozen=True)
class JobCount:
    """One row of job_counts: how many jobs are in a state, per priority and source."""

    state: JobState
    priority: Priority
    source_name: str
    count: int


def job_counts_from_rows(found: Sequence[Sequence[Any]]) -> list[JobCount]:
    return [
        JobCount(JobState(state), Priority.of_rank(int(rank)), str(source), int(n))
        for state, rank, source, n in found
        if int(n)
    ]


def count_from(counts: Sequence[JobCount], wanted: JobFilter) -> int:
    """How many jobs a `counted` filter matches, from job_counts."""
    return sum(
        c.count
        for c in counts
        if (wanted.state is None or c.state == wanted.state)
        and (wanted.source_name is None or c.source_name == wanted.source_name)
        and (wanted.priority is None or c.priority == wanted.priority)
    )


def find_params(wanted: JobFilter, limit: int, after: JobCursor | None) -> dict[str, Any]:
    """Parameters of find_jobs.sql, whose filter lines are kept only for those given
    (store/filters.py), so a state or a source filter walks its own index."""
    params = wanted.params()
    until = params.pop("until")
    if until is None:
        until = _END_OF_TIME
    start = after if after is not None and after.created_at <= until else JobCursor(until, "")
    params.update(before_at=start.created_at, before_id=start.id, limit=limit)
    return params


def jobs_from_rows(found: Sequence[Sequence[Any]]) -> list[Job]:
    return [rows.job_from_row(row) for row in found]


def each_page(
    find: Callable[[JobFilter, int, JobCursor | None], list[Job]],
    wanted: JobFilter,
    size: int = 500,
) -> Iterator[list[Job]]:
    """Every job a filter matches, a page at a time (for actions on all of them)."""
    after: JobCursor | None = None
    while True:
        page = find(wanted, size, after)
        if page:
            yield page
        if len(page) < size:
            return
        after = JobCursor.after(page[-1])


def with_state(wanted: JobFilter, state: JobState | None) -> JobFilter:
    return replace(wanted, state=state)


def parse_filter(params: Mapping[str, str | None]) -> JobFilter:
    """A filter from query parameters (names as the API documents them)."""
    state = params.get("state") or None
    priority = params.get("priority") or None
    if state is not None and state not in {s.value for s in JobState}:
        raise ValueError(
            f"unknown state {state!r}: use one of {', '.join(s.value for s in JobState)}"
        )
    named = Priority.named(priority) if priority else None
    if priority and named is None:
        raise ValueError(f"unknown priority {priority!r}: use high, default or low")
    return JobFilter(
        state=JobState(state) if state else None,
        source_name=params.get("source_name") or None,
        priority=named,
        event_id=params.get("event_id") or None,
        text=params.get("q") or None,
        since=_time(params, "since"),
        until=_time(params, "until"),
    )


def _time(params: Mapping[str, str | None], name: str) -> float | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name} must be seconds since the Unix epoch, not {value!r}") from None


# -- what a job queued, and what queued it ----------------------------------------


def parent_pairs(
    outcomes: Sequence[AttemptOutcome], applied: Collection[str] | None
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(parent job id, child id) for the jobs and the events each applied outcome's
    body queued (as `shared.outbox_of` persists them). Consumer jobs of those
    events are left out: their parent is their event."""
    jobs: list[tuple[str, str]] = []
    events: list[tuple[str, str]] = []
    for outcome in outcomes:
        if applied is None or outcome.job_id in applied:
            jobs += [(outcome.job_id, s.id) for s in outcome.outbox.jobs if s.event_id is None]
            events += [(outcome.job_id, e.id) for e in outcome.outbox.events]
    return jobs, events


@dataclass(frozen=True)
class QueuedItem:
    """A job (with its state) or an event (with its type) a job's body queued."""

    id: str
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "detail": self.detail}


@dataclass(frozen=True)
class JobFamily:
    """The job that queued a job (None: an application or an event did), and
    the jobs and events its body queued, oldest first, at most FAMILY_LIMIT each."""

    parent_job_id: str | None
    jobs: list[QueuedItem]
    events: list[QueuedItem]


FAMILY_LIMIT = 100


def family_from_rows(found: Sequence[Sequence[Any]]) -> JobFamily:
    """Rows of job_family: (kind, id, detail)."""
    parent = next((str(i) for kind, i, _ in found if kind == "parent"), None)
    jobs = [QueuedItem(str(i), str(d)) for kind, i, d in found if kind == "job"]
    events = [QueuedItem(str(i), str(d)) for kind, i, d in found if kind == "event"]
    return JobFamily(parent, jobs, events)
