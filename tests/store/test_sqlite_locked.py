"""SQLite: a write lock held past the busy timeout is 'unavailable', not a crash."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from liqueue.errors import StoreUnavailable
from liqueue.outbox import Outbox
from liqueue.store import JobQuery
from liqueue.store.postgres import PostgresStore
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


def test_enqueue_now_writes_nothing_and_waits_for_nothing_while_the_lock_is_held(
    tmp_path: Path,
) -> None:
    path = tmp_path / "q.db"
    store = SQLiteStore(path)  # a 30 s busy timeout: a wait would be seen
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    job = spec("not_now")
    assert store.enqueue_now(Outbox(jobs=[job]), 1000.0) is False
    holder.execute("ROLLBACK")
    assert not store.list_jobs(JobQuery(source_name="not_now"))
    assert store.enqueue_now(Outbox(jobs=[job]), 1000.0) is True
    assert store.get_job(job.id).source_name == "not_now"
    holder.close()
    store.close()


def test_enqueue_now_while_another_thread_writes_is_false(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "q.db")
    inside, leave = threading.Event(), threading.Event()

    def writer() -> None:
        with store._tx.write():  # another thread of this process mid-transaction
            inside.set()
            leave.wait()

    thread = threading.Thread(target=writer)
    thread.start()
    inside.wait()
    assert store.enqueue_now(Outbox(jobs=[spec("later")]), 1000.0) is False
    leave.set()
    thread.join()
    assert store.enqueue_now(Outbox(jobs=[spec("later")]), 1000.0) is True
    store.close()


def test_postgres_never_enqueues_now(pg_store: PostgresStore) -> None:
    job = spec("through_a_thread")
    assert pg_store.enqueue_now(Outbox(jobs=[job]), 1000.0) is False
    assert not pg_store.list_jobs(JobQuery(source_name="through_a_thread"))
