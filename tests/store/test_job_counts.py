"""job_counts stays equal to the jobs themselves on every insert path, both backends.

SQLite counts the jobs of one insert in the store (no per-row trigger since
migration 0011): a job skipped because its id is stored already, or refused by
a unique key, must not be counted; one queued by a schedule tick or by a
finished job must be.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from pathlib import Path

from liqueue.errors import Location
from liqueue.jobs import JobState
from liqueue.outbox import Outbox
from liqueue.policies import ScheduledTick
from liqueue.store import Store, open_store
from liqueue.store.browse import JobFilter
from liqueue.store.sqlite.schema import SQL, split_statements

from .factories import T0, enqueue, outcome, spec

ALL = ("high", "default", "low")
Key = tuple[str, str, str]


def _counts(store: Store) -> dict[Key, int]:
    return {(c.state.value, c.priority.value, c.source_name): c.count for c in store.job_counts()}


def _jobs(store: Store) -> dict[Key, int]:
    jobs = store.find_jobs(JobFilter(), 1000, None)
    return dict(Counter((j.state.value, j.priority.value, j.source_name) for j in jobs))


def test_an_outbox_enqueued_again_counts_only_its_new_jobs(store: Store) -> None:
    first = [spec("mail"), spec("mail"), spec("charge", priority="high")]
    enqueue(store, *first)
    enqueue(store, *first)  # every id stored already
    enqueue(store, first[0], spec("mail"), first[2], spec("report", priority="low"))
    expected = {
        ("scheduled", "default", "mail"): 3,
        ("scheduled", "high", "charge"): 1,
        ("scheduled", "low", "report"): 1,
    }
    assert _counts(store) == _jobs(store) == expected


def test_a_one_job_outbox_enqueued_again_is_counted_once(store: Store) -> None:
    """One job goes in by a statement of its own (no savepoint): its count too."""
    job = spec("mail")
    enqueue(store, job)
    enqueue(store, job)  # its id is stored already
    if store.writes_in_process:  # SQLite: the event loop's connection, the same rule
        assert store.enqueue_now(Outbox(jobs=[job]), T0) is True
        assert store.enqueue_now(Outbox(jobs=[spec("mail")]), T0) is True
    expected = {("scheduled", "default", "mail"): 2 if store.writes_in_process else 1}
    assert _counts(store) == _jobs(store) == expected


def test_jobs_a_unique_key_refuses_are_not_counted(store: Store) -> None:
    unique = spec("digest", unique_key="digest:5", unique_for=600.0)
    enqueue(store, unique, replace(unique, id="second-digest"), spec("mail"))
    enqueue(store, replace(unique, id="third-digest"), spec("digest", unique_key="digest:6"))
    expected = {("scheduled", "default", "digest"): 2, ("scheduled", "default", "mail"): 1}
    assert _counts(store) == _jobs(store) == expected


def test_jobs_of_ticks_and_of_finished_jobs_are_counted(store: Store) -> None:
    job = spec("nightly", origin=Location("app/config.yml", 3, 1))
    assert store.queue_ticks([ScheduledTick("nightly", T0, job)], T0) == [job.id]
    again = ScheduledTick("nightly", T0, replace(job, id="again"))
    assert store.queue_ticks([again], T0) == []  # that tick was queued already
    [parent] = enqueue(store, spec("parent"))
    store.claim("w1", 10, T0 + 1, 30, ALL)
    children = Outbox(jobs=[spec("child"), spec("child", priority="high")])
    store.complete([outcome(parent, worker_id="w1", outbox=children)], T0 + 2)
    assert _counts(store) == _jobs(store)
    assert _counts(store) == {
        ("scheduled", "default", "child"): 1,
        ("scheduled", "high", "child"): 1,
        ("done", "default", "parent"): 1,
        # The claim took both due jobs.
        ("running", "default", "nightly"): 1,
    }
    assert store.count_jobs(JobFilter(state=JobState.SCHEDULED)) == 2


def test_rows_written_with_plain_sql_are_counted_by_the_recount(tmp_path: Path) -> None:
    """What a bulk fill (bench/large_store.py) runs after inserting rows itself."""
    path = tmp_path / "queue.db"
    store = open_store(f"sqlite:///{path}")
    try:
        enqueue(store, spec("mail"))
        with sqlite3.connect(path) as db:
            db.execute(
                "INSERT INTO jobs (id, state, priority, source_name, body, origin_path,"
                " max_attempts, run_at, created_at) VALUES"
                " ('a', 'done', 1, 'bulk', 'x', 'p', 1, 0, 0),"
                " ('b', 'done', 1, 'bulk', 'x', 'p', 1, 0, 0)"
            )
        assert ("done", "default", "bulk") not in _counts(store)
        with sqlite3.connect(path) as db:
            for statement in split_statements(SQL["recount_job_counts"]):
                db.execute(statement)
        expected = {("scheduled", "default", "mail"): 1, ("done", "default", "bulk"): 2}
        assert _counts(store) == _jobs(store) == expected
    finally:
        store.close()
