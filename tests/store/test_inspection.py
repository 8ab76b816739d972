"""get_job, list_jobs, retry, cancel and delete."""

from __future__ import annotations

import pytest

from liqueue.errors import NotFound, StoreError
from liqueue.jobs import JobSpec, JobState
from liqueue.store import JobQuery, Store

from .factories import T0, enqueue, outcome, spec

ALL = ("high", "default", "low")


def _with_id(job_id: str) -> JobSpec:
    return spec(id=job_id)


def test_get_job_by_full_id_or_unique_prefix(store: Store) -> None:
    first, second, third = enqueue(
        store,
        _with_id("0000aaaa-0000-7000-8000-000000000001"),
        _with_id("0000aaaa-0000-7000-8000-000000000002"),
        _with_id("0000bbbb-0000-7000-8000-000000000003"),
    )
    assert store.get_job(first).id == first
    assert store.get_job("0000b").id == third
    assert store.get_job("0000BBBB").id == third  # ids are lower-case hex
    with pytest.raises(StoreError, match="ambiguous") as raised:
        store.get_job("0000aaaa")
    assert first in str(raised.value) and second in str(raised.value)
    with pytest.raises(NotFound):
        store.get_job("ffff")
    with pytest.raises(NotFound):
        store.get_job("")


def test_prefix_lookup_does_not_treat_like_wildcards_specially(store: Store) -> None:
    enqueue(store, _with_id("0000aaaa-0000-7000-8000-000000000001"))
    with pytest.raises(NotFound):
        store.get_job("%")
    with pytest.raises(NotFound):
        store.get_job("_")


def test_list_jobs_filters_newest_first(store: Store) -> None:
    a = enqueue(store, spec("a"), now=T0)[0]
    b = enqueue(store, spec("b", event_id="ev"), now=T0 + 1)[0]
    c = enqueue(store, spec("a"), now=T0 + 2)[0]
    store.claim("w", 1, T0 + 5, 30, ALL)  # takes a, the oldest

    assert [job.id for job in store.list_jobs(JobQuery())] == [c, b, a]
    assert [job.id for job in store.list_jobs(JobQuery(source_name="a"))] == [c, a]
    assert [job.id for job in store.list_jobs(JobQuery(state=JobState.RUNNING))] == [a]
    assert [job.id for job in store.list_jobs(JobQuery(event_id="ev"))] == [b]
    assert [job.id for job in store.list_jobs(JobQuery(limit=1))] == [c]
    assert store.list_jobs(JobQuery(state=JobState.DEAD, source_name="a")) == []


def _dead(store: Store, job_id: str) -> None:
    store.claim("w", 1, T0, 30, ALL)
    store.complete(
        [outcome(job_id, state=JobState.DEAD, error_class="E", error_message="m")], T0 + 1
    )


def test_retry_jobs_gives_fresh_attempts_now(store: Store) -> None:
    dead = enqueue(store, spec())[0]
    _dead(store, dead)
    retrying = enqueue(store, spec(max_attempts=3))[0]
    store.claim("w", 1, T0, 30, ALL)
    store.complete([outcome(retrying, state=JobState.RETRY, next_run_at=T0 + 900)], T0)
    cancelled, running, done = enqueue(store, spec(), spec(), spec())
    store.cancel_job(cancelled, T0)
    store.claim("w", 2, T0, 30, ALL)
    store.complete([outcome(done)], T0)

    count = store.retry_jobs([dead, retrying, cancelled, running, done, "nope"], T0 + 10)
    assert count == 3
    for job_id in (dead, retrying, cancelled):
        job = store.get_job(job_id)
        assert (job.state, job.attempt, job.run_at) == (JobState.SCHEDULED, 0, T0 + 10)
        assert (job.error_class, job.error_message, job.finished_at) == (None,) * 3
    assert store.get_job(running).state is JobState.RUNNING
    assert store.get_job(done).state is JobState.DONE
    assert store.retry_jobs([], T0) == 0


def test_retry_all_dead(store: Store) -> None:
    first, second = enqueue(store, spec(), spec())
    _dead(store, first)
    _dead(store, second)
    other = enqueue(store, spec(delay_minutes=5))[0]
    assert store.retry_all_dead(T0 + 2) == 2
    assert {job.id for job in store.claim("w", 5, T0 + 2, 30, ALL)} == {first, second}
    assert store.get_job(other).state is JobState.SCHEDULED
    assert store.retry_all_dead(T0 + 3) == 0


def test_cancel_only_jobs_not_yet_running(store: Store) -> None:
    waiting, running = enqueue(store, spec(delay_minutes=5), spec())
    store.claim("w", 1, T0, 30, ALL)
    store.cancel_job(waiting, T0 + 1)
    job = store.get_job(waiting)
    assert job.state is JobState.CANCELLED and job.finished_at == T0 + 1
    with pytest.raises(StoreError, match="is running"):
        store.cancel_job(running, T0)
    with pytest.raises(StoreError, match="is cancelled"):
        store.cancel_job(waiting, T0)
    with pytest.raises(NotFound):
        store.cancel_job("ffffffff", T0)
    assert store.claim("w", 5, T0 + 3600, 30, ALL) == []


def test_delete_job_removes_it_unless_running(store: Store) -> None:
    waiting, running = enqueue(store, spec(), spec(priority="high"))
    store.claim("w", 1, T0, 30, ["high"])
    store.delete_job(waiting)
    with pytest.raises(NotFound):
        store.get_job(waiting)
    with pytest.raises(StoreError, match="is running"):
        store.delete_job(running)
    with pytest.raises(NotFound):
        store.delete_job(waiting)
