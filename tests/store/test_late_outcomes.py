"""Late outcomes from a worker whose job was rescued and claimed again: its
completion, or its hand-back at shutdown, leaves the new claim alone."""

from __future__ import annotations

from liqueue.events.event import Event
from liqueue.jobs import JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.outbox import Outbox
from liqueue.store import JobQuery, LogQuery, Store

from .factories import T0, attempt_log, enqueue, outcome, spec

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


def test_a_stale_outcome_keeps_its_log_lines_but_queues_nothing(store: Store) -> None:
    stale_id = enqueue(store, spec("slow"))[0]
    fresh_id = enqueue(store, spec("quick"))[0]
    (first,) = store.claim("w1", 1, T0, 10, ALL)
    assert first.id == stale_id
    store.rescue_expired(T0 + 11)
    claimed = store.claim("w2", 2, T0 + 11, 10, ALL)
    assert {job.id for job in claimed} == {stale_id, fresh_id}

    def finished(job_id: str, worker: str, child: str) -> AttemptOutcome:
        made = Outbox(
            jobs=[spec(child)],
            events=[Event(id=f"ev-{child}", type="t", payload={}, at=T0)],
            logs=[attempt_log(job_id, child, 1, False, 5, at=T0 + 12)],
        )
        return outcome(job_id, 1, JobState.DONE, T0 + 12, worker_id=worker, outbox=made)

    # One batch: w1's late outcome for the rescued job, and w2's own for the other.
    store.complete(
        [finished(stale_id, "w1", "child_of_stale"), finished(fresh_id, "w2", "child_of_fresh")],
        T0 + 12,
    )
    names = {job.source_name for job in store.list_jobs(JobQuery())}
    assert "child_of_fresh" in names and "child_of_stale" not in names
    assert [event.id for event in store.list_events()] == ["ev-child_of_fresh"]
    # both attempts did run: both log lines are history
    lines = {entry.source_name for entry in store.read_logs(LogQuery(type="attempt"))}
    assert lines == {"child_of_stale", "child_of_fresh"}
    assert store.get_job(stale_id).state is JobState.RUNNING  # still w2's


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
