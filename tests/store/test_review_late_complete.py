"""A late completion from a worker whose job was rescued and claimed again."""

from __future__ import annotations

from liqueue.jobs import JobState
from liqueue.store import LogQuery, Store

from .factories import T0, enqueue, outcome, spec

ALL = ("high", "default", "low")


def test_late_complete_after_rescue_does_not_overwrite_the_new_claim(store: Store) -> None:
    job_id = enqueue(store, spec("slow", max_attempts=3))[0]
    (first,) = store.claim("w1", 1, T0, 10, ALL)
    assert store.rescue_expired(T0 + 11) == [job_id]  # w1 looked dead
    (second,) = store.claim("w2", 1, T0 + 11, 10, ALL)
    # The rescue undid the attempt, so w2 runs attempt 1 again: the same number.
    assert second.attempt == first.attempt == 1

    # w1 was only slow: its outcome arrives while w2 is still running the job.
    late = outcome(job_id, first.attempt, JobState.DONE, T0 + 12, worker_id=first.worker_id)
    store.complete([late], T0 + 12)

    job = store.get_job(job_id)
    assert (job.state, job.worker_id, job.attempt) == (JobState.RUNNING, "w2", 1)

    # w2's own outcome is the one that counts.
    store.complete(
        [outcome(job_id, 1, JobState.RETRY, T0 + 13, next_run_at=T0 + 20, worker_id="w2")],
        T0 + 13,
    )
    job = store.get_job(job_id)
    assert (job.state, job.attempt, job.run_at) == (JobState.RETRY, 1, T0 + 20)
    assert store.read_logs(LogQuery(type="rescue", job_id=job_id))
