"""SQLite writes a batch of jobs with a few multi-row statements (batches.py):
every job lands once, with its own values, whatever the batch size and however
few parameters the SQLite build binds to one statement."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from liqueue.store import open_store
from liqueue.store.browse import JobFilter
from liqueue.store.sqlite.batches import statement_sizes
from liqueue.store.sqlite.store import SQLiteStore

from .factories import enqueue, spec


@pytest.mark.parametrize("count", [1, 7, 512, 1025])
def test_statement_sizes_cover_the_batch_in_powers_of_two(count: int) -> None:
    db = sqlite3.connect(":memory:")
    sizes = list(statement_sizes(db, count, 14))
    assert sum(sizes) == count
    assert all(size & (size - 1) == 0 and size <= 512 for size in sizes)
    assert len(sizes) <= 11  # 1025 = 512 + 512 + 1
    db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)  # builds before SQLite 3.32
    assert max(statement_sizes(db, count, 14)) <= 999 // 14


@pytest.mark.parametrize("variables", [None, 999])
def test_every_job_of_a_large_batch_is_stored_once_with_its_values(
    tmp_path: Path, variables: int | None
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'queue.db'}")
    assert isinstance(store, SQLiteStore)
    try:
        if variables is not None:
            store._tx.db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, variables)
        specs = [
            spec(f"mail_{n % 3}", arguments={"n": n}, priority=("high", "low")[n % 2])
            for n in range(1025)
        ]
        enqueue(store, *specs[:100])
        enqueue(store, *specs)  # the first 100 are stored already: redone row by row
        jobs = store.find_jobs(JobFilter(), 2000, None)
        assert sorted(job.arguments["n"] for job in jobs) == list(range(1025))
        by_id = {job.id: job for job in jobs}
        for item in specs:
            job = by_id[item.id]
            assert (job.source_name, job.priority.value, job.arguments) == (
                item.source_name,
                item.priority,
                item.arguments,
            )
        assert sum(count.count for count in store.job_counts()) == 1025
    finally:
        store.close()
