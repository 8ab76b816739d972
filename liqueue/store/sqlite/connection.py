"""Opening a SQLite file for liqueue: pragmas, write transactions, migrations."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from liqueue.errors import StoreError, StoreUnavailable
from liqueue.store.sqlfiles import Migration, load_migrations, load_queries

SQL = load_queries("liqueue.store.sqlite")
MIGRATIONS: list[Migration] = load_migrations("liqueue.store.sqlite")
LATEST_VERSION = len(MIGRATIONS)


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


def current_version(db: sqlite3.Connection) -> int:
    if not db.execute(SQL["schema_table_exists"]).fetchone()[0]:
        return 0
    return int(db.execute(SQL["schema_version"]).fetchone()[0])


def migrate(transactions: Transactions, url: str) -> int:
    with transactions.write() as db:
        # Read inside the write lock: two processes opening a new file must not
        # both apply migration 1.
        version = current_version(db)
        if version > LATEST_VERSION:
            raise StoreError(
                f"the liqueue schema in {url} is at version {version}, newer than this "
                f"liqueue (it knows up to version {LATEST_VERSION}): upgrade liqueue"
            )
        if version == LATEST_VERSION:
            return version
        db.execute(SQL["create_schema_table"])
        for migration in MIGRATIONS[version:]:
            for statement in split_statements(migration.sql):
                db.execute(statement)
            db.execute(SQL["record_migration"], (migration.version, migration.name, time.time()))
        return LATEST_VERSION


def split_statements(script: str) -> Iterator[str]:
    """Statements of a migration, so they run inside our transaction.

    executescript() would COMMIT first and run outside BEGIN IMMEDIATE.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending
            pending = ""
    if pending.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in pending.splitlines()
    ):
        raise StoreError(f"incomplete SQL statement at the end of a migration: {pending!r}")
