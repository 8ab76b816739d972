"""SQL files name their column lists by placeholder; priorities keep their stored ranks."""

from __future__ import annotations

from importlib.resources import files

import pytest

from liqueue.errors import StoreError
from liqueue.jobs import Priority
from liqueue.store import columns
from liqueue.store.postgres.schema import SQL as POSTGRES_SQL
from liqueue.store.postgres.wake import CHANNEL_SQL
from liqueue.store.sqlfiles import _fill
from liqueue.store.sqlite.schema import SQL as SQLITE_SQL


def test_every_placeholder_is_filled() -> None:
    for sql in (SQLITE_SQL, POSTGRES_SQL):
        assert not [name for name, text in sql.items() if "{" in text or "}" in text]
    assert SQLITE_SQL["insert_jobs"].count("?") == len(columns.JOB_INSERT)
    for name, listed in (("insert_logs", columns.LOG_INSERT), ("insert_jobs", columns.JOB_INSERT)):
        selected = POSTGRES_SQL[name].split("(SELECT " if name == "insert_jobs" else "SELECT ")
        fields = selected[1].split(" FROM ")[0]
        named = [
            (part.split("->>")[1].split(")")[0], part.split(" AS ")[1])
            for part in fields.split(", ")
        ]
        assert named == [(str(n), column) for n, column in enumerate(listed)], name


def test_an_unknown_placeholder_is_refused() -> None:
    with pytest.raises(StoreError, match=r"q.sql: unknown placeholder \{jobs_columns\}"):
        _fill("q.sql", "SELECT {jobs_columns} FROM jobs", lambda _listed: "?")


def test_a_backend_without_parameter_lists_refuses_their_placeholder() -> None:
    # PostgreSQL's batches travel as jsonb rows: no query of it takes a parameter list.
    assert _fill("q.sql", "VALUES ({job_insert_params})", lambda _listed: "?, ?") == "VALUES (?, ?)"
    with pytest.raises(StoreError, match=r"q.sql: unknown placeholder \{job_insert_params\}"):
        _fill("q.sql", "VALUES ({job_insert_params})", None)


def test_priorities_stand_in_claim_order_with_the_ranks_the_database_keeps() -> None:
    assert [(priority.value, priority.rank) for priority in Priority] == [
        ("high", 0),
        ("default", 1),
        ("low", 2),
    ]
    assert Priority.of_rank(2) is Priority.LOW
    assert Priority.named("urgent") is None and Priority.named(1) is None


def test_the_wake_channel_is_written_once_and_filled_in_at_load() -> None:
    written = (files("liqueue.store.postgres") / "sql" / "notify_jobs.sql").read_text("utf-8")
    assert "{wake_channel}" in written and "md5" not in written
    assert POSTGRES_SQL["notify_jobs"].strip().endswith(f"SELECT pg_notify({CHANNEL_SQL}, '')")
    assert _fill("q.sql", "SELECT {x}", lambda _listed: "?", {"x": "1 + 1"}) == "SELECT 1 + 1"
