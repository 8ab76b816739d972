"""Opening a SQLite file for liqueue: pragmas, and transactions on its one connection."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from liqueue.errors import StoreError, StoreUnavailable


def open_database(path: Path, busy_timeout: float) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, sqlite3 must not
    # open deferred transactions behind our back (their upgrade to a write lock
    # fails at once with "database is locked", whatever the busy timeout).
    db = sqlite3.connect(
        path,
        timeout=busy_timeout,
        isolation_level=None,
        check_same_thread=False,
        cached_statements=256,
    )
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    _set_wal(db, busy_timeout)
    # NORMAL in WAL mode never corrupts; a power cut may lose the last commits.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = OFF")
    return db


def _set_wal(db: sqlite3.Connection, busy_timeout: float) -> None:
    # Switching a fresh file to WAL needs an exclusive lock, for which SQLite
    # does not always call the busy handler; several processes opening a new
    # file together retry here instead.
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
            continue
        if str(mode).lower() != "wal":
            raise StoreError(f"cannot switch the SQLite database to WAL mode (got {mode!r})")
        return


class Transactions:
    """Serialises one connection between threads and wraps writes in BEGIN IMMEDIATE."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.lock = threading.RLock()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, waiting in the busy handler;
        # a deferred transaction could only fail when it later tries to write.
        with self.lock:
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                _raise_if_locked(err)
                raise
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            try:
                self.db.execute("COMMIT")
            except sqlite3.OperationalError as err:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                _raise_if_locked(err)
                raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        # One snapshot for queries that read several tables.
        with self.lock:
            self.db.execute("BEGIN")
            try:
                yield self.db
            finally:
                if self.db.in_transaction:
                    self.db.execute("COMMIT")


def _raise_if_locked(err: sqlite3.OperationalError) -> None:
    """A lock held past the busy timeout is a passing condition: a worker backs
    off and tries again (StoreUnavailable) instead of dying with its jobs."""
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        raise StoreUnavailable(
            f"SQLite database stayed locked past the busy timeout: {err}"
        ) from err
