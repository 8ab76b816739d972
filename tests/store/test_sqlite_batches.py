"""SQLite writes a batch of outcomes with one statement unless one of them is stale.

`_apply_outcomes` learns from the statement's own row count whether every
outcome took effect; the job_counts triggers change rows too, which once
made every batch look stale and be redone one outcome at a time.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from liqueue.jobs import JobState
from liqueue.store import open_store, rows
from liqueue.store.sqlite.store import _apply_outcomes

from .factories import T0, enqueue, outcome, spec

ALL = ("high", "default", "low")


def _claimed_params(tmp_path: Path) -> tuple[Path, list[dict[str, object]]]:
    path = tmp_path / "liqueue.db"
    store = open_store(f"sqlite:///{path}")
    try:
        store.migrate()
        enqueue(store, spec("first"), spec("second"), spec("third"))
        claimed = store.claim("w1", 3, T0, 10, ALL)
    finally:
        store.close()
    params = [
        rows.named_outcome(
            rows.outcome_params(outcome(job.id, 1, JobState.DONE, T0 + 1, worker_id="w1"), T0 + 1)
        )
        for job in claimed
    ]
    return path, params


def test_fresh_outcomes_take_effect_in_one_statement(tmp_path: Path) -> None:
    path, params = _claimed_params(tmp_path)
    with sqlite3.connect(path) as db:
        assert _apply_outcomes(db, params) is None
        states = db.execute("SELECT DISTINCT state FROM jobs").fetchall()
    assert states == [("done",)]


def test_a_stale_outcome_is_found_and_left_out(tmp_path: Path) -> None:
    path, params = _claimed_params(tmp_path)
    params[1] = {**params[1], "worker_id": "w2"}  # another worker's claim now
    with sqlite3.connect(path) as db:
        applied = _apply_outcomes(db, params)
        left = db.execute("SELECT id FROM jobs WHERE state = 'running'").fetchall()
    assert applied == {params[0]["id"], params[2]["id"]}
    assert left == [(params[1]["id"],)]
