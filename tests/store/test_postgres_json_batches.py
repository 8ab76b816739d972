"""New jobs, completions and log lines travel as one jsonb parameter
(store/postgres/batches.py): what a page queued and a worker wrote back reads
back exactly, floats and any text included."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from liqueue.errors import Location, StoreError
from liqueue.events.event import Event
from liqueue.jobs import JobState, new_job_id
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store.base import JobQuery, LogQuery
from liqueue.store.postgres import PostgresStore

from .factories import T0, attempt_log, enqueue, outcome, spec

TEXTS = [
    'née: ☃ "quoted" \\ back\\slash',
    "the six characters \\u0000",
    "tab\there\nline",
    "𝄞 {}[]:,",
]


@pytest.mark.parametrize("state", [JobState.DONE, JobState.DEAD, JobState.RETRY])
def test_outcomes_and_lines_read_back_exactly(pg_store: PostgresStore, state: JobState) -> None:
    ids = enqueue(pg_store, *[spec("exact") for _ in TEXTS])
    claimed = pg_store.claim("w", len(ids), T0, 30, ["default"])
    finished = T0 + 1.0000000001234567
    done = []
    for job, text in zip(sorted(claimed, key=lambda job: job.id), TEXTS, strict=True):
        lines = [attempt_log(job.id, "exact", 1, state is not JobState.DONE, 7, at=finished)]
        lines.append(LogEntry(at=finished, type="note", message=text, job_id=job.id))
        fields: dict[str, Any] = {"error_class": "E", "error_message": text}
        fields["error_location"] = f"{text}:1"
        if state is JobState.RETRY:
            fields["next_run_at"] = T0 + 99.000000000123
        done.append(outcome(job.id, state=state, at=finished, worker_id="w",
                            outbox=Outbox(logs=lines), **fields))  # fmt: skip
    pg_store.complete(done, T0 + 2)
    for item in done:
        job = pg_store.get_job(item.job_id)
        assert job.state is state
        assert (job.error_message, job.error_location) == (item.error_message, item.error_location)
        if state is JobState.RETRY:
            assert (job.finished_at, job.run_at) == (None, T0 + 99.000000000123)
        else:
            assert job.finished_at == finished
        notes = pg_store.read_logs(LogQuery(job_id=item.job_id, type="note"))
        assert [(n.message, n.at) for n in notes] == [(item.error_message, finished)]


def test_a_stale_outcome_changes_nothing_and_its_lines_are_kept(pg_store: PostgresStore) -> None:
    [job_id] = enqueue(pg_store, spec("stale"))
    pg_store.claim("w", 1, T0, 30, ["default"])
    line = LogEntry(at=T0 + 1, type="note", message="late", job_id=job_id)
    pg_store.complete(
        [outcome(job_id, attempt=2, worker_id="w", outbox=Outbox(logs=[line]))], T0 + 1
    )
    assert pg_store.get_job(job_id).state is JobState.RUNNING
    assert [n.message for n in pg_store.read_logs(LogQuery(job_id=job_id, type="note"))] == ["late"]


def test_text_postgresql_cannot_hold_is_refused_as_before(pg_store: PostgresStore) -> None:
    [job_id] = enqueue(pg_store, spec("nul"))
    pg_store.claim("w", 1, T0, 30, ["default"])
    bad = outcome(job_id, state=JobState.DEAD, worker_id="w", error_message="a\0b")
    with pytest.raises((StoreError, psycopg.Error)):
        pg_store.complete([bad], T0 + 1)
    assert pg_store.get_job(job_id).state is JobState.RUNNING


@pytest.mark.parametrize("alone", [True, False], ids=["jobs-alone", "with-a-log-line"])
def test_queued_jobs_read_back_exactly(pg_store: PostgresStore, alone: bool) -> None:
    """Both ways in: the one-statement insert of jobs alone, and the outbox's transaction."""
    specs = [
        spec(f"src {text}", body=text, arguments={"text": text, "ratio": 0.1 + 0.2, "n": 2**53},
             origin=Location(f"{text}.liquid", 7, 9), delay_minutes=1.0000000001234567,
             context={"location": {"href": text}})
        for text in TEXTS
    ]  # fmt: skip
    logs = [] if alone else [LogEntry(at=T0, type="note", message="with the jobs")]
    pg_store.enqueue(Outbox(jobs=specs, logs=logs), T0)
    for queued in specs:
        job = pg_store.get_job(queued.id)
        assert (job.source_name, job.body, job.arguments) == (
            queued.source_name, queued.body, queued.arguments,
        )  # fmt: skip
        assert (job.origin, job.context) == (queued.origin, queued.context)
        assert (job.run_at, job.created_at) == (queued.run_at(T0), T0)


def test_a_job_postgresql_cannot_hold_is_refused_and_nothing_queued(
    pg_store: PostgresStore,
) -> None:
    good, bad = spec("fine"), spec("nul", body="a\0b")
    with pytest.raises((StoreError, psycopg.Error)):
        pg_store.enqueue(Outbox(jobs=[good, bad]), T0)
    assert pg_store.list_jobs(JobQuery()) == []  # the good job went nowhere either


def test_published_events_read_back_exactly(pg_store: PostgresStore) -> None:
    events = [
        Event(id=new_job_id(), type=f"order.{n}", payload={"text": text, "ratio": 0.1 + 0.2},
              at=T0 + 0.000000000123, valid=n % 2 == 0, errors=[] if n % 2 == 0 else [text],
              origin=Location(f"{text}.liquid", 3), context={"location": {"href": text}})
        for n, text in enumerate(TEXTS)
    ]  # fmt: skip
    pg_store.enqueue(Outbox(events=events), T0)
    for published in events:
        stored = pg_store.get_event(published.id)
        assert (stored.type, stored.payload, stored.at) == (
            published.type, published.payload, published.at,
        )  # fmt: skip
        assert (stored.valid, stored.errors) == (published.valid, published.errors)
        assert (stored.origin, stored.context) == (published.origin, published.context)
