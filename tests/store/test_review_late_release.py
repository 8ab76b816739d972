"""A worker handing back jobs at shutdown must not take back another worker's claim."""

from __future__ import annotations

from liqueue.jobs import JobState
from liqueue.store import Store

from .factories import T0, enqueue, spec

ALL = ("high", "default", "low")


def test_release_after_rescue_leaves_the_new_claim_alone(store: Store) -> None:
    job_id = enqueue(store, spec("slow"))[0]
    store.claim("w1", 1, T0, 10, ALL)
    assert store.rescue_expired(T0 + 11) == [job_id]  # w1 stopped renewing its lease
    store.claim("w2", 1, T0 + 11, 10, ALL)

    store.release([job_id], T0 + 12, worker_id="w1")  # w1 shuts down, handing back

    job = store.get_job(job_id)
    assert (job.state, job.worker_id, job.attempt) == (JobState.RUNNING, "w2", 1)
    store.release([job_id], T0 + 12, worker_id="w2")
    job = store.get_job(job_id)
    assert (job.state, job.worker_id, job.attempt) == (JobState.SCHEDULED, None, 0)
