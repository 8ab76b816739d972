"""PostgresStore.complete_and_claim: a batch's outcomes written back and the next
jobs claimed in one pipeline (one round trip, one transaction), or, for outcomes
that queue jobs or retries, as `complete` then `claim`."""

from __future__ import annotations

from typing import Any

import pytest

from liqueue.errors import StoreError
from liqueue.jobs import JobSpec, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.outbox import Outbox
from liqueue.store.base import LogQuery
from liqueue.store.postgres import PostgresStore
from liqueue.store.postgres.schema import SQL

from .factories import T0, attempt_log, enqueue, outcome, spec

PRIORITIES = ["high", "default", "low"]


def _done(job_id: str, *, queues: list[JobSpec] | None = None, **fields: Any) -> AttemptOutcome:
    line = attempt_log(job_id, "batch", 1, False, 3, at=T0 + 1)
    outbox = Outbox(jobs=queues or [], logs=[line])
    return outcome(job_id, worker_id="w", outbox=outbox, **fields)


def test_writes_the_outcomes_and_claims_the_next_jobs(pg_store: PostgresStore) -> None:
    first = enqueue(pg_store, *[spec("batch") for _ in range(3)])
    later = enqueue(pg_store, *[spec("batch", priority="high") for _ in range(2)], now=T0 + 1)
    later += enqueue(pg_store, spec("batch", priority="low"), now=T0 + 1)
    claimed = pg_store.claim("w", 3, T0 + 0.5, 30, PRIORITIES)
    assert {job.id for job in claimed} == set(first)

    outcomes = [_done(job.id) for job in claimed]
    jobs = pg_store.complete_and_claim(outcomes, T0 + 2, "w", 10, 30, PRIORITIES)

    # Claimed as `claim` would: priorities in the order given, leased to this worker.
    assert [job.id for job in jobs] == later
    assert [job.priority.value for job in jobs] == ["high", "high", "low"]
    assert all(job.state is JobState.RUNNING and job.worker_id == "w" for job in jobs)
    assert all(job.lease_until == T0 + 32 and job.attempt == 1 for job in jobs)
    for job_id in first:
        assert pg_store.get_job(job_id).state is JobState.DONE
        [line] = pg_store.read_logs(LogQuery(job_id=job_id, type="attempt"))
        assert line.status == "SUCCESS"
    for job_id in later:
        assert pg_store.get_job(job_id).state is JobState.RUNNING


def test_a_failed_claim_undoes_the_completion_with_it(
    pg_store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = enqueue(pg_store, spec("batch"), spec("batch"))
    [job] = pg_store.claim("w", 1, T0, 30, PRIORITIES)
    monkeypatch.setitem(SQL, "claim_jobs", "SELECT 1 / 0")
    with pytest.raises(StoreError, match="division by zero"):
        pg_store.complete_and_claim([_done(job.id)], T0 + 2, "w", 5, 30, PRIORITIES)
    # One transaction: the outcome was not written, so the worker may write it again.
    assert pg_store.get_job(job.id).state is JobState.RUNNING
    assert pg_store.read_logs(LogQuery(job_id=job.id)) == []
    monkeypatch.undo()
    jobs = pg_store.complete_and_claim([_done(job.id)], T0 + 3, "w", 5, 30, PRIORITIES)
    assert [claimed.id for claimed in jobs] == [i for i in ids if i != job.id]
    assert pg_store.get_job(job.id).state is JobState.DONE
    assert len(pg_store.read_logs(LogQuery(job_id=job.id))) == 1


def test_outcomes_that_queue_jobs_or_retries_still_complete_then_claim(
    pg_store: PostgresStore,
) -> None:
    enqueue(pg_store, spec("batch"), spec("batch"))
    waiting = enqueue(pg_store, spec("batch"), now=T0 + 1)
    claimed = pg_store.claim("w", 2, T0 + 0.5, 30, PRIORITIES)
    child = spec("child")
    outcomes = [
        _done(claimed[0].id, queues=[child]),
        _done(claimed[1].id, state=JobState.RETRY, next_run_at=T0 + 60),
    ]
    jobs = pg_store.complete_and_claim(outcomes, T0 + 2, "w", 5, 30, PRIORITIES)
    # The child was queued by the completion before the claim looked: both are taken.
    assert sorted(job.id for job in jobs) == sorted([*waiting, child.id])
    assert pg_store.get_job(claimed[0].id).state is JobState.DONE
    assert pg_store.get_job(claimed[1].id).state is JobState.RETRY


def test_no_room_or_no_outcomes(pg_store: PostgresStore) -> None:
    ids = enqueue(pg_store, spec("batch"), spec("batch"))
    [job] = pg_store.claim("w", 1, T0, 30, PRIORITIES)
    assert pg_store.complete_and_claim([_done(job.id)], T0 + 2, "w", 0, 30, PRIORITIES) == []
    assert pg_store.get_job(job.id).state is JobState.DONE
    jobs = pg_store.complete_and_claim([], T0 + 3, "w", 5, 30, PRIORITIES)
    assert [claimed.id for claimed in jobs] == [i for i in ids if i != job.id]
