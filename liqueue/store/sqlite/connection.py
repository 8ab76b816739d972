"""Opening a SQLite file for liqueue: pragmas, and transactions on its one connection.

Every SQLite failure leaves this module as a one-line StoreError naming the
file and what is wrong (`sqlite_failure`): StoreUnavailable for what passes
on its own (a lock held too long, a full disk), plain StoreError for what
needs the user (a damaged or read-only file, a directory in its place).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from liqueue.errors import StoreError, StoreUnavailable

# Lists of ids travel as JSON (json_each), built into SQLite from 3.38 on;
# RETURNING is 3.35.
OLDEST_SQLITE = (3, 38, 0)


def require_sqlite_version(version: tuple[int, int, int] = sqlite3.sqlite_version_info) -> None:
    """StoreError, in one line, when Python's SQLite library is too old for liqueue."""
    if version < OLDEST_SQLITE:
        have = ".".join(map(str, version))
        need = ".".join(map(str, OLDEST_SQLITE))
        raise StoreError(
            f"SQLite {have} is too old: liqueue needs SQLite {need} or newer "
            "(the library this Python's sqlite3 module is linked with)"
        )


def open_database(path: Path, busy_timeout: float) -> sqlite3.Connection:
    require_sqlite_version()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(
            f"cannot create the directory {path.parent} of the SQLite database {path}: "
            f"{err.strerror or err}"
        ) from None
    if path.is_dir():
        raise StoreError(f"SQLite database {path} is a directory, not a database file")
    try:
        return _connect(path, busy_timeout)
    except sqlite3.Error as err:
        raise sqlite_failure(path, err) from None


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
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


# Waiting for another process's write lock: first try again after this long,
# doubling up to the most. SQLite's own busy handler sleeps 1, 2, 5, 10, 15,
# 20, 25 ms...: two workers taking turns lost ~20% of their time asleep after
# the lock was already free.
_FIRST_RETRY_SECONDS = 0.0001
_MOST_RETRY_SECONDS = 0.002


class Transactions:
    """Serialises one connection between threads and wraps writes in BEGIN IMMEDIATE."""

    def __init__(self, db: sqlite3.Connection, path: Path, busy_timeout: float = 30.0) -> None:
        self.db = db
        self.busy_timeout = busy_timeout
        # Whatever runs holding the lock has its SQLite failures translated.
        self.lock = TranslatingLock(path)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front; a deferred transaction could
        # only fail when it later tries to write.
        with self.lock:
            self._begin_immediate()
            with committed(self.db) as db:
                yield db

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, retried in short steps while another connection writes,
        until the busy timeout (then SQLite's own "database is locked" is raised)."""
        deadline = time.monotonic() + self.busy_timeout
        pause = _FIRST_RETRY_SECONDS
        self.db.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if not is_busy(error) or time.monotonic() >= deadline:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, _MOST_RETRY_SECONDS)
        finally:
            # Other statements keep SQLite's busy handler.
            self.db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")

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


@contextmanager
def committed(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """The transaction begun on `db`: rolled back if the body raises, else
    committed (and rolled back if the commit fails)."""
    try:
        yield db
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    try:
        db.execute("COMMIT")
    except sqlite3.Error:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def is_busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


class TranslatingLock:
    """A re-entrant lock that turns SQLite's exceptions into liqueue's on the way out."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def acquire_now(self) -> bool:
        """Take the lock if no other thread holds it (release it with `release`)."""
        return self._lock.acquire(blocking=False)

    def release(self) -> None:
        self._lock.release()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._lock.release()
        # IntegrityError and ProgrammingError are liqueue's own bugs: kept as they are.
        if isinstance(error, sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError:
            raise sqlite_failure(self.path, error) from error


def sqlite_failure(path: Path, err: sqlite3.Error) -> StoreError:
    """One line saying which file and what is wrong; StoreUnavailable when it passes."""
    text = str(err)
    lowered = text.lower()
    where = f"SQLite database {path}"
    if "locked" in lowered or "busy" in lowered:
        # A worker backs off and tries again instead of dying with its jobs.
        return StoreUnavailable(f"{where} stayed locked past the busy timeout: {text}")
    if "full" in lowered:
        return StoreUnavailable(f"{where}: the disk is full ({text}): free some space")
    if "disk i/o error" in lowered:
        return StoreUnavailable(f"{where}: the disk failed to read or write ({text})")
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return StoreError(
            f"{where} is damaged or not a SQLite database ({text}): "
            "restore it from a backup, or move it aside to start an empty queue"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(
            f"{where} is read-only ({text}): liqueue must be able to write it and its directory"
        )
    if "unable to open" in lowered:
        return StoreError(
            f"{where} cannot be opened ({text}): check that its directory exists and is writable"
        )
    return StoreError(f"{where}: {text}")
