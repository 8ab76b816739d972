"""The lifeline's sweep for rows edited by hand reads an index of such rows,
not every job: at a million jobs queued for later the scan took 0.1-0.2 s of
every rescue round (migration 0012)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg

from liqueue.jobs import JobState
from liqueue.store import Store
from liqueue.store.postgres.schema import SQL as POSTGRES_SQL
from liqueue.store.sqlite.schema import SQL as SQLITE_SQL

from .factories import T0, attempt_log, enqueue, outcome, spec


def _sweep_plan(store_url: str) -> str:
    params = {"now": T0}
    if store_url.startswith("sqlite"):
        with sqlite3.connect(store_url.removeprefix("sqlite:///")) as db:
            db.execute("ANALYZE")
            sql = SQLITE_SQL["kill_unreadable_jobs"]
            return str(db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
    with psycopg.connect(store_url) as conn:
        conn.execute("ANALYZE jobs")
        # A table this small is cheaper to scan: the test asks whether the
        # planner can use the index at all, i.e. whether the sweep's WHERE
        # implies the index's.
        conn.execute("SET enable_seqscan = off")
        sql = POSTGRES_SQL["kill_unreadable_jobs"]
        return "\n".join(str(row[0]) for row in conn.execute(f"EXPLAIN {sql}", params))


def test_the_sweep_for_unreadable_rows_reads_their_index(store: Store, store_url: str) -> None:
    enqueue(store, *[spec("common") for _ in range(500)])
    claimed = store.claim("w", 5, T0 + 1, 30, ["default"])
    store.complete([outcome(job.id) for job in claimed], T0 + 2)
    plan = _sweep_plan(store_url)
    assert "jobs_unreadable" in plan, plan
    assert "SCAN jobs)" not in plan and "Seq Scan" not in plan, plan


def test_rows_edited_by_hand_are_in_the_index_the_sweep_reads(store: Store, store_url: str) -> None:
    state_id, priority_id, fine_id = enqueue(store, spec("a"), spec("b"), spec("c"))
    edits = [("state = 'bogus'", state_id), ("priority = 7", priority_id)]
    if store_url.startswith("sqlite"):
        with sqlite3.connect(store_url.removeprefix("sqlite:///")) as db:
            for assignment, job_id in edits:
                db.execute(f"UPDATE jobs SET {assignment} WHERE id = ?", (job_id,))
    else:
        with psycopg.connect(store_url, autocommit=True) as conn:
            for assignment, job_id in edits:
                conn.execute(f"UPDATE jobs SET {assignment} WHERE id = %s", (job_id,))

    store.rescue_expired(T0)

    for job_id in (state_id, priority_id):
        job = store.get_job(job_id)
        assert job.state is JobState.DEAD
        assert (job.error_message or "").startswith("unreadable job row: "), job
    assert store.get_job(fine_id).state is JobState.SCHEDULED


def test_prune_reads_the_index_of_finished_jobs_which_holds_nothing_else(
    tmp_path: Path, open_url: Callable[[str], Store]
) -> None:
    """SQLite's jobs_finished (migration 0013) holds only finished jobs, so a
    claim does not touch it; prune still finds its rows through it."""
    path = tmp_path / "queue.db"
    store = open_url(f"sqlite:///{path}")
    enqueue(store, *[spec("common") for _ in range(500)])
    claimed = store.claim("w", 10, T0 + 1, 30, ["default"])
    done, retrying = claimed[:5], claimed[5:8]
    store.complete([outcome(job.id) for job in done], T0 + 2)
    store.complete([outcome(job.id, state=JobState.RETRY) for job in retrying], T0 + 2)
    with sqlite3.connect(path) as db:
        db.execute("ANALYZE")
        params = {"done_before": T0 + 3, "dead_before": T0 + 3}
        plan = str(db.execute(f"EXPLAIN QUERY PLAN {SQLITE_SQL['prune_jobs']}", params).fetchall())
        indexed = db.execute(
            "SELECT id FROM jobs INDEXED BY jobs_finished WHERE finished_at IS NOT NULL"
        ).fetchall()
    assert plan.count("jobs_finished (state=? AND finished_at<?)") == 2
    assert sorted(row[0] for row in indexed) == sorted(job.id for job in done)
    assert store.prune(T0 + 3, T0 + 3) == 5


def test_counting_an_inserts_attempt_lines_reads_only_the_new_lines(
    tmp_path: Path, open_url: Callable[[str], Store]
) -> None:
    """By id, not through logs_type_at: that would read every attempt line
    ever written, at each batch of completions (migration 0013)."""
    path = tmp_path / "queue.db"
    store = open_url(f"sqlite:///{path}")
    store.add_logs([attempt_log(f"j{n}", "mail", 1, False, n) for n in range(300)])
    with sqlite3.connect(path) as db:
        db.execute("ANALYZE")
        for name in ("count_attempts", "count_attempt_minutes"):
            plan = str(
                db.execute(f"EXPLAIN QUERY PLAN {SQLITE_SQL[name]}", {"after": 290}).fetchall()
            )
            assert "USING INTEGER PRIMARY KEY (rowid>?)" in plan, plan
