"""rescue_expired and prune."""

from __future__ import annotations

from liqueue.jobs import JobState
from liqueue.outbox import Outbox
from liqueue.store import JobQuery, LogQuery, Store

from .factories import T0, attempt_log, enqueue, outcome, spec

ALL = ("high", "default", "low")


def test_expired_lease_is_rescued_with_attempt_undone(store: Store) -> None:
    lost, alive = enqueue(store, spec("lost"), spec("alive"))
    store.claim("w1", 1, T0, 10, ALL)
    store.claim("w2", 1, T0, 60, ALL)

    assert store.rescue_expired(T0 + 10) == []  # lease_until is not yet in the past
    assert store.rescue_expired(T0 + 11) == [lost]
    job = store.get_job(lost)
    assert (job.state, job.attempt, job.lease_until) == (JobState.SCHEDULED, 0, None)
    assert store.get_job(alive).state is JobState.RUNNING

    (line,) = store.read_logs(LogQuery(type="rescue"))
    assert line.job_id == lost and line.source_name == "lost" and line.attempt == 1
    assert "w1" in line.message and "rescued" in line.message
    assert [job.id for job in store.claim("w3", 5, T0 + 11, 10, ALL)] == [lost]


def test_rescued_job_that_had_failed_before_goes_back_to_retry(store: Store) -> None:
    job_id = enqueue(store, spec(max_attempts=3))[0]
    store.claim("w", 1, T0, 10, ALL)
    store.complete([outcome(job_id, 1, JobState.RETRY, next_run_at=T0)], T0)
    store.claim("w", 1, T0, 10, ALL)
    store.rescue_expired(T0 + 20)
    job = store.get_job(job_id)
    assert (job.state, job.attempt) == (JobState.RETRY, 1)


def test_job_losing_more_than_max_rescues_workers_is_dead(store: Store) -> None:
    job_id = enqueue(store, spec("killer"))[0]
    now = T0
    for _ in range(2):
        assert store.claim("w", 1, now, 10, ALL)
        now += 11
        assert store.rescue_expired(now, max_rescues=2) == [job_id]
    store.claim("w", 1, now, 10, ALL)
    now += 11
    assert store.rescue_expired(now, max_rescues=2) == []
    job = store.get_job(job_id)
    assert job.state is JobState.DEAD
    assert job.error_message == "worker lost 3 times"
    assert job.finished_at == now
    lines = store.read_logs(LogQuery(type="rescue", job_id=job_id))
    assert len(lines) == 3 and "dead" in lines[-1].message
    assert store.claim("w", 1, now, 10, ALL) == []


def test_prune_deletes_old_finished_jobs_and_their_logs(store: Store) -> None:
    old_done, new_done, old_dead, waiting = enqueue(
        store, spec(), spec(), spec(), spec(delay_minutes=1)
    )
    store.claim("w", 3, T0, 30, ALL)
    store.complete(
        [
            outcome(
                old_done,
                at=T0 + 1,
                outbox=Outbox(logs=[attempt_log(old_done, "job", 1, False, 5)]),
            ),
            outcome(new_done, at=T0 + 100),
            outcome(old_dead, at=T0 + 1, state=JobState.DEAD),
        ],
        T0 + 100,
    )
    store.add_logs([attempt_log(waiting, "job", 1, False, 1)])

    assert store.prune(done_before=T0 + 50, dead_before=T0) == 1
    assert store.read_logs(LogQuery(job_id=old_done)) == []
    assert store.get_job(old_dead).state is JobState.DEAD
    assert store.prune(done_before=T0 + 50, dead_before=T0 + 50) == 1
    remaining = {job.id for job in store.list_jobs(JobQuery())}
    assert remaining == {new_done, waiting}
    assert len(store.read_logs(LogQuery(job_id=waiting))) == 1
