"""SQLite `enqueue_now`: its own connection, never waiting, never checkpointing itself."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from liqueue.errors import StoreError
from liqueue.outbox import Outbox
from liqueue.store.sqlite import SQLiteStore, loop_writes

from .factories import T0, spec

EVERY = 100  # commits between checkpoints here (fewer commits to test with)
COMMITS = 10 * EVERY


@pytest.fixture(autouse=True)
def _checkpoint_often(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loop_writes, "CHECKPOINT_EVERY", EVERY)


def _wal_pages(path: Path) -> int:
    """The WAL's size in pages: it is written from its start again after a checkpoint."""
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size // 4096 if wal.exists() else 0


def _commit_many(store: SQLiteStore, path: Path) -> int:
    """COMMITS one-job transactions on the loop's path; the WAL's largest size in pages."""
    largest = 0
    for n in range(1, COMMITS + 1):
        outbox = Outbox(jobs=[spec("page")])
        if not store.enqueue_now(outbox, T0):  # the checkpoint's FULL part holds the lock
            store.enqueue(outbox, T0)  # as the group commit's writer thread would
        largest = max(largest, _wal_pages(path))
        if n % 50 == 0:
            time.sleep(0.005)  # a server's loop waits for requests now and then
    return largest


def test_the_commits_take_no_checkpoint_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the checkpoint thread never asked, the WAL only grows: no commit of
    enqueue_now did SQLite's automatic checkpoint (an event loop's commit would
    have stood still for its writes and fsync)."""
    monkeypatch.setattr(loop_writes._Checkpointer, "request", lambda _: None)
    path = tmp_path / "q.db"
    store = SQLiteStore(path)
    largest = _commit_many(store, path)
    assert _wal_pages(path) == largest > 1000  # SQLite's own checkpoint comes at 1,000
    store.close()


def _wait_for(checkpoints: loop_writes._Checkpointer, done: int) -> None:
    deadline = time.monotonic() + 10
    while checkpoints.done < done:
        assert time.monotonic() < deadline, f"{checkpoints.done} checkpoints of {done}"
        time.sleep(0.01)


def test_a_thread_checkpoints_what_the_loop_commits(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    store = SQLiteStore(path)
    _commit_many(store, path)
    checkpoints = store._loop_writes._checkpoints
    # Asked every CHECKPOINT_EVERY commits (asks made while one runs coalesce).
    _wait_for(checkpoints, 2)
    time.sleep(0.2)
    checkpoints.request()  # once more, with no commit after it
    _wait_for(checkpoints, checkpoints.done + 1)
    assert store.enqueue_now(Outbox(jobs=[spec("page")]), T0) is True
    # Every frame had been copied into the file, so that commit wrote the WAL
    # from its start again: the WAL holds its frames only.
    with sqlite3.connect(path) as db:
        _, frames, _ = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert 0 < frames < 50
    store.close()
    with sqlite3.connect(path) as db:  # everything committed is in the file
        assert db.execute("SELECT count(*) FROM jobs").fetchone()[0] == COMMITS + 1


def test_the_wal_starts_over_while_the_loop_keeps_committing(tmp_path: Path) -> None:
    """A checkpoint that copied everything but let a commit begin meanwhile
    leaves the WAL to grow by every later commit; its FULL part, holding the
    write lock, lets the next commit start it over."""
    path = tmp_path / "q.db"
    store = SQLiteStore(path)
    largest = _commit_many(store, path)
    assert largest < COMMITS * 9 // 2  # a one-job commit writes about 9 pages
    store.close()


def test_a_closed_store_enqueues_nothing_now(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "q.db")
    assert store.enqueue_now(Outbox(jobs=[spec("before")]), T0) is True
    store.close()
    with pytest.raises((StoreError, sqlite3.ProgrammingError)):
        store.enqueue_now(Outbox(jobs=[spec("after")]), T0)


def test_a_read_in_another_thread_does_not_hold_it_off(tmp_path: Path) -> None:
    """A thread inside a read on the store's shared connection (a dashboard
    page) holds no write lock: the loop's transaction goes on."""
    store = SQLiteStore(tmp_path / "q.db")
    inside, leave = threading.Event(), threading.Event()

    def reader() -> None:
        with store._tx.read():
            inside.set()
            leave.wait()

    thread = threading.Thread(target=reader)
    thread.start()
    inside.wait()
    assert store.enqueue_now(Outbox(jobs=[spec("meanwhile")]), T0) is True
    leave.set()
    thread.join()
    store.close()
