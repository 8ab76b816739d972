"""`SQLiteStore.enqueue_now`'s transactions: a connection of their own, which never waits.

`enqueue_now` runs on a web server's event loop, which must neither wait for
another writer's lock nor do a WAL checkpoint's writes and fsync. On the
store's shared connection each such transaction switched SQLite's busy
timeout off and back on (two PRAGMAs: about a fifth of a one-job commit's
CPU time), and SQLite's automatic checkpoint ran inside whichever commit
grew the WAL past 1,000 pages: the loop stood still for it (a few ms, on a
slow host over 20), which was the p99 latency of the pages that queue jobs.

So these transactions go through a connection opened for them, with a busy
timeout of 0 (BEGIN IMMEDIATE answers at once; nothing later in a write
transaction waits for a lock in WAL mode) and no automatic checkpoints;
every CHECKPOINT_EVERY commits, a thread with a connection of its own
checkpoints while the loop goes on (`_checkpoint`). A worker never calls
`enqueue_now`: it opens neither.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from liqueue.store.sqlite.connection import (
    TranslatingLock,
    committed,
    is_busy,
    open_database,
)

log = logging.getLogger("liqueue.store")

# Commits on the loop's connection between two checkpoints. A one-job commit
# writes about 9 pages to the WAL (SQLite's own checkpoint comes at 1,000),
# mostly the same few: a checkpoint copies each page once, and its cost is
# mostly its fsyncs (about 4 ms of CPU time every 200 commits on a slow host).
CHECKPOINT_EVERY = 200
# How long a checkpoint waits for the write lock (and, holding it, for readers).
CHECKPOINT_WAIT_MS = 10


class LoopWrites:
    """Write transactions that never wait, on a connection opened at the first."""

    def __init__(self, path: Path, busy_timeout: float) -> None:
        self.path = path
        self._busy_timeout = busy_timeout
        self._db: sqlite3.Connection | None = None
        self._closed = False
        # Whatever runs holding it has its SQLite failures translated (connection.py).
        self._lock = TranslatingLock(path)
        self._commits = 0
        self._checkpoints = _Checkpointer(path, busy_timeout)

    @contextmanager
    def write_now(self) -> Iterator[sqlite3.Connection | None]:
        """A write transaction (committed if the body returns, rolled back if it
        raises), or None with nothing begun while another thread is in one here
        or another connection holds the file's write lock."""
        if not self._lock.acquire_now():
            yield None
            return
        try:
            with self._lock:  # re-entered: SQLite failures are translated on the way out
                db = self._connection()
                if not _begin(db):
                    yield None
                    return
                with committed(db):
                    yield db
                self._commits += 1
                if self._commits % CHECKPOINT_EVERY == 0:
                    self._checkpoints.request()
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._db is not None:
                self._db.close()
                self._db = None
        self._checkpoints.close()

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            if self._closed:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            # Opened with the store's busy timeout: a fresh file's switch to WAL
            # may wait for another process opening it too (connection.py).
            db = open_database(self.path, self._busy_timeout)
            db.execute("PRAGMA busy_timeout = 0")
            db.execute("PRAGMA wal_autocheckpoint = 0")
            self._db = db
        return self._db


def _begin(db: sqlite3.Connection) -> bool:
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if not is_busy(error):
            raise
        return False
    return True


class _Checkpointer:
    """A thread checkpointing the WAL each time it is asked (asks coalesce)."""

    def __init__(self, path: Path, busy_timeout: float) -> None:
        self._path = path
        self._busy_timeout = busy_timeout
        self._wanted = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()
        self.done = 0  # checkpoints taken (tests read it)

    def request(self) -> None:
        if self._thread is None:
            with self._starting:
                if self._thread is None and not self._stop:
                    self._thread = threading.Thread(
                        target=self._run, name="liqueue-sqlite-checkpoint", daemon=True
                    )
                    self._thread.start()
        self._wanted.set()

    def close(self) -> None:
        with self._starting:
            self._stop = True
            thread = self._thread
        self._wanted.set()
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        db: sqlite3.Connection | None = None
        try:
            while True:
                self._wanted.wait()
                self._wanted.clear()
                if self._stop:
                    return
                try:
                    if db is None:
                        db = open_database(self._path, self._busy_timeout)
                        db.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
                    _checkpoint(db)
                    self.done += 1
                except Exception as err:  # the next request tries again; the WAL grows meanwhile
                    log.warning("WAL checkpoint of %s failed: %s", self._path, err)
        finally:
            if db is not None:
                with contextlib.suppress(sqlite3.Error):
                    db.close()


def _checkpoint(db: sqlite3.Connection) -> None:
    """Every frame of the WAL copied into the database (unless the write lock
    stayed taken), so that the next write starts the WAL over from its start.

    The WAL starts over only when a writer begins with every frame copied,
    which a writer that began during a PASSIVE copy never does (tests/store
    saw the WAL grow by every commit); a FULL checkpoint copies holding the
    write lock, which it waits for at most CHECKPOINT_WAIT_MS (the loop's
    commits go on meanwhile), and while it holds it a loop's commit finding
    it taken goes to the group commit's writer thread. Its time is mostly
    its fsync of the WAL, that is of the bytes the commits wrote since the
    last one (50 ms for 500 one-job commits on a slow host): so a PASSIVE
    checkpoint, which waits for nobody and blocks nobody, syncs and copies
    first, and FULL syncs and copies only what was committed meanwhile
    (5 ms for 20 such commits).
    """
    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    db.execute("PRAGMA wal_checkpoint(FULL)").fetchall()
