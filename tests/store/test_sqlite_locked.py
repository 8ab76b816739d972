"""SQLite: a write lock held past the busy timeout is 'unavailable', not a crash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from liqueue.errors import StoreUnavailable
from liqueue.outbox import Outbox
from liqueue.store.sqlite import SQLiteStore

from .factories import spec


def test_a_lock_held_too_long_raises_store_unavailable_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    store = SQLiteStore(path, busy_timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process sits on the write lock
    job = spec("blocked")
    with pytest.raises(StoreUnavailable, match="locked"):
        store.enqueue(Outbox(jobs=[job]), 1000.0)
    holder.execute("ROLLBACK")
    holder.close()
    store.enqueue(Outbox(jobs=[job]), 1000.0)  # the same call succeeds once the lock is free
    assert store.get_job(job.id).source_name == "blocked"
    store.close()
