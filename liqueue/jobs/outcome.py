"""`AttemptOutcome`: the end of one attempt, as the worker writes it back.

Not re-exported from `liqueue.jobs`: it holds an `Outbox`, which holds
`JobSpec`s, so the package importing it would import itself in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from liqueue.jobs.job import JobState
from liqueue.outbox import Outbox


@dataclass
class AttemptOutcome:
    """The end of one attempt, written back with `Store.complete`.

    `state` is DONE, RETRY (with `next_run_at`) or DEAD. `outbox` holds what
    the job body asked for (jobs may create jobs) plus its log entries,
    including the attempt line; it is persisted in the same transaction.
    `worker_id` is the worker that claimed the attempt: a rescue undoes the
    attempt, so a job claimed again runs the same attempt number, and only
    the worker holding it now may complete it (None: any worker).
    """

    job_id: str
    attempt: int
    state: JobState
    finished_at: float
    next_run_at: float | None = None
    error_class: str | None = None
    error_message: str | None = None
    error_location: str | None = None
    outbox: Outbox = field(default_factory=Outbox)
    worker_id: str | None = None
