"""enqueue, claim, complete, heartbeat, release: the path of a job."""

from __future__ import annotations

import pytest

from liqueue.errors import Location
from liqueue.events.event import Event
from liqueue.jobs import JobState
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store import JobQuery, LogQuery, Store

from .factories import T0, attempt_log, enqueue, outcome, spec

ALL = ("high", "default", "low")


def test_enqueued_job_round_trips_every_field(store: Store) -> None:
    job_spec = spec(
        "send email",
        body=None,
        partial="lib/jobs/send",
        arguments={"order": {"id": 7, "name": "zażółć"}, "n": [1, 2.5, None]},
        context={"constants": {"KEY": "v"}},
        priority="high",
        max_attempts=3,
        delay_minutes=2.0,
        origin=Location("app/views/pages/x.liquid", 12, 4),
    )
    store.enqueue(Outbox(jobs=[job_spec]), T0)
    job = store.get_job(job_spec.id)
    assert job.id == job_spec.id
    assert job.state is JobState.SCHEDULED
    assert (job.source_name, job.priority, job.max_attempts, job.attempt) == (
        "send email",
        "high",
        3,
        0,
    )
    assert job.body is None and job.partial == "lib/jobs/send"
    assert job.arguments == job_spec.arguments
    assert job.context == job_spec.context
    assert job.origin == Location("app/views/pages/x.liquid", 12, 4)
    assert job.run_at == T0 + 120 and job.created_at == T0
    assert (job.started_at, job.finished_at, job.lease_until, job.worker_id) == (None,) * 4
    assert job.event_id is None


def test_enqueue_of_empty_outbox_and_repeated_ids_is_harmless(store: Store) -> None:
    store.enqueue(Outbox(), T0)
    job_spec = spec()
    enqueue(store, job_spec)
    enqueue(store, job_spec)  # a retried enqueue must not fail nor duplicate
    assert [job.id for job in store.list_jobs(JobQuery())] == [job_spec.id]


def test_claim_takes_due_jobs_by_priority_order_then_run_at(store: Store) -> None:
    low = enqueue(store, spec("low", priority="low"))[0]
    late = enqueue(store, spec("late"), now=T0 - 10)[0]
    early = enqueue(store, spec("early"), now=T0 - 20)[0]
    high = enqueue(store, spec("high", priority="high"), now=T0 - 5)[0]
    enqueue(store, spec("future", priority="high", delay_minutes=1))

    claimed = store.claim("w1", 10, T0, 30, ALL)
    assert [job.id for job in claimed] == [high, early, late, low]
    for job in claimed:
        assert job.state is JobState.RUNNING
        assert job.attempt == 1
        assert job.started_at == T0
        assert job.lease_until == T0 + 30
        assert job.worker_id == "w1"
    assert store.claim("w1", 10, T0, 30, ALL) == []  # the future job is not due


def test_claim_follows_the_given_priority_order(store: Store) -> None:
    high = enqueue(store, spec(priority="high"))[0]
    low = enqueue(store, spec(priority="low"))[0]
    assert [job.id for job in store.claim("w", 1, T0, 30, ["low", "high"])] == [low]
    assert [job.id for job in store.claim("w", 5, T0, 30, ["default"])] == []
    assert [job.id for job in store.claim("w", 5, T0, 30, ["low", "high"])] == [high]


def test_claim_respects_the_limit_across_priorities(store: Store) -> None:
    enqueue(store, *[spec(priority="high") for _ in range(3)])
    enqueue(store, *[spec(priority="low") for _ in range(3)])
    first = store.claim("w", 4, T0, 30, ALL)
    assert [job.priority for job in first] == ["high"] * 3 + ["low"]
    assert len(store.claim("w", 4, T0, 30, ALL)) == 2
    assert store.claim("w", 0, T0, 30, ALL) == []


def test_job_due_exactly_now_is_claimed(store: Store) -> None:
    job_id = enqueue(store, spec(delay_minutes=1))[0]
    assert store.claim("w", 5, T0 + 59.9, 30, ALL) == []
    assert [job.id for job in store.claim("w", 5, T0 + 60, 30, ALL)] == [job_id]


def test_unknown_priority_is_an_error(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown priority"):
        store.claim("w", 1, T0, 30, ["urgent"])


def test_complete_done_persists_the_outbox(store: Store) -> None:
    job_id = enqueue(store, spec("parent"))[0]
    store.claim("w", 1, T0, 30, ALL)
    child = spec("child", delay_minutes=1)
    event = Event(id="ev-1", type="order_paid", payload={"id": 1}, at=T0 + 1)
    entry = attempt_log(job_id, "parent", 1, False, 12, at=T0 + 1)
    done = outcome(job_id, outbox=Outbox(jobs=[child], events=[event], logs=[entry]))
    store.complete([done], T0 + 1)

    job = store.get_job(job_id)
    assert job.state is JobState.DONE
    assert job.finished_at == T0 + 1 and job.lease_until is None
    assert store.get_job(child.id).run_at == T0 + 61
    assert store.get_event("ev-1").payload == {"id": 1}
    assert [e.message for e in store.read_logs(LogQuery(job_id=job_id))] == [entry.message]


def test_complete_retry_and_dead(store: Store) -> None:
    retry_id, dead_id = enqueue(store, spec(max_attempts=3), spec(max_attempts=1))
    store.claim("w", 2, T0, 30, ALL)
    store.complete(
        [
            outcome(
                retry_id,
                state=JobState.RETRY,
                next_run_at=T0 + 5,
                error_class="JobFailed",
                error_message="boom",
                error_location="app/x.liquid:3",
            ),
            outcome(dead_id, state=JobState.DEAD, error_class="JobFailed", error_message="bad"),
        ],
        T0 + 1,
    )
    retrying = store.get_job(retry_id)
    assert retrying.state is JobState.RETRY and retrying.run_at == T0 + 5
    assert (retrying.error_class, retrying.error_message, retrying.error_location) == (
        "JobFailed",
        "boom",
        "app/x.liquid:3",
    )
    assert retrying.lease_until is None
    dead = store.get_job(dead_id)
    assert dead.state is JobState.DEAD and dead.finished_at == T0 + 1
    assert dead.error_message == "bad"

    assert store.claim("w", 5, T0 + 4, 30, ALL) == []
    again = store.claim("w", 5, T0 + 5, 30, ALL)
    assert [(job.id, job.attempt) for job in again] == [(retry_id, 2)]


def test_stale_completion_does_not_overwrite_a_newer_attempt(store: Store) -> None:
    job_id = enqueue(store, spec(max_attempts=3))[0]
    store.claim("w1", 1, T0, 30, ALL)
    store.complete([outcome(job_id, 1, JobState.RETRY, next_run_at=T0)], T0)
    store.claim("w2", 1, T0, 30, ALL)  # attempt 2 now running
    store.complete([outcome(job_id, 1, JobState.DONE)], T0 + 1)  # late report of attempt 1
    assert store.get_job(job_id).state is JobState.RUNNING


def test_complete_rejects_a_non_final_state(store: Store) -> None:
    job_id = enqueue(store, spec())[0]
    store.claim("w", 1, T0, 30, ALL)
    with pytest.raises(ValueError, match="done, retry or dead"):
        store.complete([outcome(job_id, state=JobState.RUNNING)], T0)
    assert store.get_job(job_id).state is JobState.RUNNING


def test_complete_is_all_or_nothing(store: Store) -> None:
    job_id = enqueue(store, spec())[0]
    store.claim("w", 1, T0, 30, ALL)
    broken_log = LogEntry(at=T0, type="x", message=None)  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - each driver raises its own IntegrityError
        store.complete([outcome(job_id, outbox=Outbox(logs=[broken_log]))], T0)
    assert store.get_job(job_id).state is JobState.RUNNING


def test_enqueue_is_all_or_nothing(store: Store) -> None:
    good = spec()
    broken_log = LogEntry(at=T0, type="x", message=None)  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017
        store.enqueue(Outbox(jobs=[good], logs=[broken_log]), T0)
    assert store.next_run_at() is None


def test_heartbeat_extends_only_the_workers_own_running_jobs(store: Store) -> None:
    mine, theirs = enqueue(store, spec(), spec())
    store.claim("w1", 1, T0, 30, ALL)
    store.claim("w2", 1, T0, 30, ALL)
    store.heartbeat("w1", [mine, theirs], T0 + 100)
    assert store.get_job(mine).lease_until == T0 + 100
    assert store.get_job(theirs).lease_until == T0 + 30
    store.heartbeat("w1", [], T0 + 200)


def test_release_hands_jobs_back_unrun(store: Store) -> None:
    fresh, failed_before = enqueue(store, spec(), spec(max_attempts=3), now=T0 - 1)
    store.claim("w", 2, T0, 30, ALL)
    store.complete([outcome(failed_before, 1, JobState.RETRY, next_run_at=T0)], T0)
    store.claim("w", 2, T0, 30, ALL)

    store.release([fresh, failed_before], T0 + 1)
    first = store.get_job(fresh)
    assert (first.state, first.attempt, first.lease_until, first.worker_id) == (
        JobState.SCHEDULED,
        0,
        None,
        None,
    )
    second = store.get_job(failed_before)
    assert (second.state, second.attempt) == (JobState.RETRY, 1)
    assert {job.id for job in store.claim("w", 5, T0 + 1, 30, ALL)} == {fresh, failed_before}


def test_next_run_at_is_the_earliest_waiting_job(store: Store) -> None:
    assert store.next_run_at() is None
    enqueue(store, spec(priority="low", delay_minutes=2))
    enqueue(store, spec(priority="high", delay_minutes=3))
    assert store.next_run_at() == T0 + 120
    enqueue(store, spec(delay_minutes=1))
    assert store.next_run_at() == T0 + 60
    store.claim("w", 10, T0 + 1000, 30, ALL)
    assert store.next_run_at() is None
