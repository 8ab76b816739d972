"""SQLite writes a batch of outcomes with one statement and learns which took effect.

The batch's values are bound as parameters of one multi-row statement, which
names the rows it changed, so a stale outcome (another worker's claim now) is
left out without redoing the batch; any text goes as it is, NUL included.
Two outcomes for one job go one statement each, which learns the same from
what each changed; the job_counts triggers change rows too, which once made
every batch look stale.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from liqueue.jobs import JobState
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store import columns, open_store, rows
from liqueue.store.base import LogQuery
from liqueue.store.sqlite import batches
from liqueue.store.sqlite.schema import SQL
from liqueue.store.sqlite.store import _ONE_OUTCOME, OUTCOMES_PER_STATEMENT, _apply_outcomes

from .factories import T0, attempt_log, enqueue, outcome, spec

ALL = ("high", "default", "low")
WORKER = columns.OUTCOME.index("worker_id")
MESSAGE = columns.OUTCOME.index("error_message")


def _claimed_params(tmp_path: Path, state: JobState = JobState.DONE) -> tuple[Path, list[Any]]:
    path = tmp_path / "liqueue.db"
    store = open_store(f"sqlite:///{path}")
    try:
        store.migrate()
        enqueue(store, spec("first"), spec("second"), spec("third"))
        claimed = store.claim("w1", 3, T0, 10, ALL)
    finally:
        store.close()
    fields: dict[str, Any] = {"worker_id": "w1"}
    if state is not JobState.DONE:
        fields.update(
            error_class="E", error_message="née: ☃ \0 after NUL", error_location="a.liquid:1"
        )
        fields.update(next_run_at=T0 + 61.25 if state is JobState.RETRY else None)
    params = [
        rows.outcome_params(outcome(job.id, 1, state, T0 + 1.000123, **fields), T0 + 1)
        for job in claimed
    ]
    return path, params


def _with(row: tuple[Any, ...], index: int, value: Any) -> tuple[Any, ...]:
    return (*row[:index], value, *row[index + 1 :])


def _stored(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT state, finished_at, run_at, lease_until, error_class, error_message, "
        "error_location FROM jobs ORDER BY id"
    ).fetchall()


@pytest.mark.parametrize("state", [JobState.DONE, JobState.RETRY, JobState.DEAD])
def test_fresh_outcomes_take_effect_in_one_statement_as_one_by_one(
    tmp_path: Path, state: JobState
) -> None:
    path, params = _claimed_params(tmp_path, state)
    with sqlite3.connect(path) as db:
        assert _apply_outcomes(db, params) is None
        batched = _stored(db)
        counts = db.execute(
            "SELECT state, sum(n) FROM job_counts WHERE n > 0 GROUP BY state"
        ).fetchall()
    assert counts == [(state.value, 3)]
    path, params = _claimed_params(tmp_path / "one_by_one", state)
    with sqlite3.connect(path) as db:
        for row in params:  # the statement for two outcomes of one job
            assert db.execute(SQL["complete_jobs"], rows.named_outcome(row)).fetchone()
        one_by_one = _stored(db)
    assert batched == one_by_one
    assert {row[0] for row in batched} == {state.value}
    assert batched[0][1] == (None if state is JobState.RETRY else T0 + 1.000123)
    assert batched[0][5] == (None if state is JobState.DONE else "née: ☃ \0 after NUL")


def test_a_stale_outcome_is_found_and_left_out(tmp_path: Path) -> None:
    path, params = _claimed_params(tmp_path)
    params[1] = _with(params[1], WORKER, "w2")  # another worker's claim now
    with sqlite3.connect(path) as db:
        applied = _apply_outcomes(db, params)
        left = db.execute("SELECT id FROM jobs WHERE state = 'running'").fetchall()
    assert applied == {params[0][6], params[2][6]}
    assert left == [(params[1][6],)]


def test_two_outcomes_for_one_job_take_effect_once(tmp_path: Path) -> None:
    path, params = _claimed_params(tmp_path)
    params.append(_with(params[0], MESSAGE, "again"))
    with sqlite3.connect(path) as db:
        applied = _apply_outcomes(db, params)
        message = db.execute("SELECT error_message FROM jobs WHERE id = ?", (params[0][6],))
        assert message.fetchone() == (None,)  # the first one, as one statement each
    assert applied == {params[0][6], params[1][6], params[2][6]}


@pytest.mark.parametrize(
    "text",
    [
        'née: ☃ {"a": [1]} \\ \t',
        "with NUL \0 inside",
        "the six characters \\u0000",
    ],
)
def test_log_lines_of_a_batch_are_stored_as_written_and_in_order(tmp_path: Path, text: str) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'liqueue.db'}")
    try:
        store.migrate()
        enqueue(store, spec("first"), spec("second"))
        claimed = store.claim("w1", 2, T0, 10, ALL)
        written = [
            LogEntry(at=T0 + 0.5 + n, type="log", message=f"{text} {n}", job_id=job.id)
            for n, job in enumerate(claimed)
        ]
        done = [
            outcome(
                job.id, 1, JobState.DONE, T0 + 1.25, worker_id="w1", outbox=Outbox(logs=[entry])
            )
            for job, entry in zip(claimed, written, strict=True)
        ]
        done[0].outbox.logs.append(attempt_log(claimed[0].id, "first", 1, False, 7, T0 + 1.25))
        store.complete(done, T0 + 1.25)
        stored = sorted(store.read_logs(LogQuery()), key=lambda entry: entry.id or 0)
        counts = [(c.source_name, c.status, c.count) for c in store.attempt_counts() if c.count]
    finally:
        store.close()
    expected = [log for each in done for log in each.outbox.logs]
    assert [dataclasses.replace(entry, id=None) for entry in stored] == expected
    assert counts == [("first", "SUCCESS", 1)]


def test_a_batch_of_outcomes_finds_each_job_by_id_even_with_statistics(tmp_path: Path) -> None:
    """With sqlite_stat1 (ANALYZE, PRAGMA optimize), 128 or more rows of VALUES
    make SQLite build a Bloom filter by reading every job, per statement."""
    path = tmp_path / "liqueue.db"
    store = open_store(f"sqlite:///{path}")
    try:
        store.migrate()
        enqueue(store, *(spec(f"s{i % 7}") for i in range(2000)))
    finally:
        store.close()
    with sqlite3.connect(path) as db:
        db.execute("ANALYZE")
        size = max(
            batches.statement_sizes(db, 10_000, len(columns.OUTCOME), OUTCOMES_PER_STATEMENT)
        )
        sql = batches.repeated(SQL["complete_outcomes"], _ONE_OUTCOME, size)
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, ["x"] * (9 * size))]
    assert size == OUTCOMES_PER_STATEMENT
    assert not [step for step in plan if "BLOOM" in step or step.startswith("SCAN jobs")], plan
    assert any("USING INDEX sqlite_autoindex_jobs_1 (id=?)" in step for step in plan), plan
