"""The consumer jobs an event started, as far as the store still holds them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from liqueue.errors import NotFound
from liqueue.jobs import Job
from liqueue.store.base import Store


@dataclass(frozen=True)
class ConsumerJob:
    """One of an event's `job_ids`, with its job; `job` is None once it was pruned."""

    id: str
    job: Job | None


def consumer_jobs(store: Store, job_ids: Sequence[str]) -> list[ConsumerJob]:
    """The jobs behind an event's `job_ids`, in that order; pruned ones kept, without a job."""
    found = []
    for job_id in job_ids:
        try:
            found.append(ConsumerJob(job_id, store.get_job(job_id)))
        except NotFound:  # pruned after it finished
            found.append(ConsumerJob(job_id, None))
    return found
