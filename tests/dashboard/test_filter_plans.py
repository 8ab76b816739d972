"""The dashboard's filters walk an index: a state or a source filter must not
read every job (at a million rows that is seconds per page)."""

from __future__ import annotations

import sqlite3
from typing import Any

import psycopg
import pytest

from liqueue.jobs import JobState
from liqueue.store import Store
from liqueue.store.browse import JobFilter, find_params
from liqueue.store.filters import filtered
from liqueue.store.postgres.schema import SQL as POSTGRES_SQL
from liqueue.store.sqlite.schema import SQL as SQLITE_SQL
from tests.store.factories import T0, enqueue, outcome, spec

WANTED = [
    # jobs_state_created, or for a count jobs_state (state, finished_at)
    (JobFilter(state=JobState.DEAD), "jobs_state"),
    (JobFilter(state=JobState.DEAD, text="x"), "jobs_state"),
    (JobFilter(source_name="rare"), "jobs_source_created"),
    (JobFilter(source_name="rare", since=T0), "jobs_source_created"),
]


def _plan(store_url: str, name: str, params: dict[str, Any]) -> str:
    if store_url.startswith("sqlite"):
        sql = filtered(SQLITE_SQL[name], params)
        with sqlite3.connect(store_url.removeprefix("sqlite:///")) as db:
            db.execute("ANALYZE")
            return str(db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
    sql = filtered(POSTGRES_SQL[name], params)
    with psycopg.connect(store_url) as conn:
        conn.execute("ANALYZE jobs")
        return "\n".join(str(row[0]) for row in conn.execute(f"EXPLAIN {sql}", params))


@pytest.fixture
def many_jobs(store: Store, store_url: str) -> str:
    """2,000 common jobs, a few dead ones and a few of a rare source."""
    common = [spec("common") for _ in range(2000)]
    enqueue(store, *common)
    store.claim("w", 5, T0 + 1, 30, ["default"])
    store.complete([outcome(job.id, state=JobState.DEAD) for job in common[:5]], T0 + 2)
    enqueue(store, *[spec("rare") for _ in range(5)])
    return store_url


@pytest.mark.parametrize(("wanted", "index"), WANTED)
def test_a_page_of_jobs_walks_the_filters_index(
    many_jobs: str, wanted: JobFilter, index: str
) -> None:
    assert index in _plan(many_jobs, "find_jobs", find_params(wanted, 50, None))


@pytest.mark.parametrize(("wanted", "index"), WANTED)
def test_counting_matching_jobs_reads_the_filters_index(
    many_jobs: str, wanted: JobFilter, index: str
) -> None:
    assert index in _plan(many_jobs, "count_matching_jobs", wanted.params())
