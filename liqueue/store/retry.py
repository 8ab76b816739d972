"""Retrying chosen jobs, reported job by job: which ran again and which could not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from liqueue.jobs import JobState
from liqueue.store.base import Store


@dataclass(frozen=True)
class RetriedJob:
    """One job asked to be retried: its full id and its state before and after."""

    id: str
    was: JobState
    now: JobState

    @property
    def retried(self) -> bool:
        """False when the job was in no state a retry applies to (it was left as it was)."""
        return self.now is not self.was


def retry_jobs(store: Store, job_ids: Sequence[str], now: float) -> list[RetriedJob]:
    """Retry jobs by full id or unique prefix; one report per id, in the order given.

    Every id is resolved before anything changes, so an unknown one (NotFound)
    retries nothing.
    """
    before = [store.get_job(job_id) for job_id in job_ids]
    store.retry_jobs([job.id for job in before], now)
    return [RetriedJob(job.id, job.state, store.get_job(job.id).state) for job in before]
