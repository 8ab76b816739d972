"""SQLite's migration 0014: running jobs listed and counted through an index of
their own (jobs_running), the other states in jobs_state_created, and the
sweep's index written as comparisons. An older file upgrades with its jobs in
the right indexes, and the readers of running jobs read their indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from liqueue.jobs import JobState
from liqueue.store import shared
from liqueue.store.base import JobQuery
from liqueue.store.browse import JobFilter, find_params
from liqueue.store.filters import filtered
from liqueue.store.sqlite import SQLiteStore
from liqueue.store.sqlite.schema import MIGRATIONS, SQL, _run_script

from .factories import T0, enqueue, outcome, spec

ALL = ("high", "default", "low")

# id, state, source_name, lease_until, created_at offset
OLD_JOBS = [
    ("waiting", "scheduled", "mail", None, 1),
    ("again", "retry", "mail", None, 2),
    ("lost", "running", "mail", T0 - 5, 3),  # its lease ran out
    ("busy", "running", "mail", T0 + 60, 4),
    ("other", "running", "report", T0 + 60, 5),
    ("finished", "done", "mail", None, 6),
    ("failed", "dead", "mail", None, 7),
    ("dropped", "cancelled", "mail", None, 8),
    ("edited", "bogus", "mail", None, 9),  # a hand edit no claim would take
]


def _file_at_version_13(path: Path) -> None:
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("BEGIN")
        shared.migrate(db, SQL, MIGRATIONS[:13], f"sqlite:///{path}", lambda s: _run_script(db, s))
        for job_id, state, source_name, lease_until, offset in OLD_JOBS:
            finished = T0 if state in ("done", "dead", "cancelled") else None
            db.execute(
                "INSERT INTO jobs (id, state, priority, source_name, body, origin_path,"
                " max_attempts, attempt, run_at, created_at, finished_at, lease_until, worker_id)"
                " VALUES (?, ?, 1, ?, 'x', 'p', 3, ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    state,
                    source_name,
                    1 if state in ("running", "retry") else 0,
                    T0 - 100,
                    T0 - 100 + offset,
                    finished,
                    lease_until,
                    "w-old" if state == "running" else None,
                ),
            )
        for statement in SQL["recount_job_counts"].split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("COMMIT")


def _indexed(path: Path, index: str, where: str) -> list[str]:
    with sqlite3.connect(path) as db:
        found = db.execute(f"SELECT id FROM jobs INDEXED BY {index} WHERE {where}").fetchall()
    return sorted(row[0] for row in found)


def test_a_version_13_file_upgrades_with_each_job_in_its_indexes(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _file_at_version_13(path)
    with SQLiteStore(path) as store:
        assert store.schema_version() == (14, 14)
        with sqlite3.connect(path) as db:
            indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert {"jobs_running", "jobs_lease", "jobs_state_created", "jobs_unreadable"} <= indexes
        assert "jobs_running_source" not in indexes

        assert _indexed(path, "jobs_running", "state = 'running'") == ["busy", "lost", "other"]
        in_states = "state = 'scheduled' OR state = 'retry' OR state = 'done'"
        in_states += " OR state = 'dead' OR state = 'cancelled'"
        assert _indexed(path, "jobs_state_created", in_states) == sorted(
            ["waiting", "again", "finished", "failed", "dropped"]
        )

        running = store.list_jobs(JobQuery(state=JobState.RUNNING))
        assert [job.id for job in running] == ["other", "busy", "lost"]  # newest first
        assert store.limit_usage("mail", T0) == (2, 0)

        assert store.rescue_expired(T0) == ["lost"]
        assert store.get_job("lost").state is JobState.SCHEDULED  # its first attempt undone
        edited = store.get_job("edited")
        assert edited.state is JobState.DEAD
        assert edited.error_message == "unreadable job row: unknown state 'bogus'"
        assert _indexed(path, "jobs_running", "state = 'running'") == ["busy", "other"]
        assert [job.id for job in store.list_jobs(JobQuery(state=JobState.SCHEDULED))] == [
            "lost",
            "waiting",
        ]
        assert store.count_jobs(JobFilter(state=JobState.RUNNING)) == 2


def _plan(path: Path, sql: str, params: dict[str, Any]) -> str:
    with sqlite3.connect(path) as db:
        db.execute("ANALYZE")
        return str(db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())


def test_readers_of_running_jobs_read_their_index(tmp_path: Path) -> None:
    """Not every job of a source or every job newest first: the running ones."""
    path = tmp_path / "queue.db"
    with SQLiteStore(path) as store:
        many = [spec("common") for _ in range(2000)]
        enqueue(store, *many)
        claimed = store.claim("w", 300, T0 + 1, 30, ALL)
        store.complete([outcome(job.id) for job in claimed[:290]], T0 + 2)
    now = {"now": T0 + 3, "max_rescues": 3}
    for name in ("rescue_jobs", "kill_lost_jobs"):
        assert "jobs_lease (lease_until<?)" in _plan(path, SQL[name], now), name
    plan = _plan(path, SQL["running_of_source"], {"source_name": "common"})
    assert "jobs_running" in plan, plan
    wanted = JobFilter(state=JobState.RUNNING)
    for name, params in (
        ("find_jobs", find_params(wanted, 50, None)),
        ("count_matching_jobs", wanted.params()),
        ("list_jobs", {"state": "running", "source_name": None, "event_id": None, "limit": 50}),
    ):
        plan = _plan(path, filtered(SQL[name], params), params)
        # Either index of running jobs only; a count may take the smaller one.
        assert "INDEX jobs_running" in plan or "INDEX jobs_lease" in plan, (name, plan)


def test_a_claim_and_its_completion_leave_jobs_state_created_alone_while_it_runs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "queue.db"
    with SQLiteStore(path) as store:
        first, second = enqueue(store, spec("a"), spec("b"))
        claimed = store.claim("w", 2, T0 + 1, 30, ALL)
        in_index = "state = 'scheduled' OR state = 'retry' OR state = 'done'"
        assert _indexed(path, "jobs_state_created", in_index) == []
        assert _indexed(path, "jobs_running", "state = 'running'") == sorted([first, second])
        store.complete([outcome(job.id) for job in claimed], T0 + 2)
        assert _indexed(path, "jobs_state_created", in_index) == sorted([first, second])
        assert _indexed(path, "jobs_running", "state = 'running'") == []
