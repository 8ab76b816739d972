"""The SQL of the SQLite backend: its queries, and migrations applied when a file opens."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from liqueue.errors import StoreError
from liqueue.store import shared
from liqueue.store.sqlfiles import Migration, load_migrations, load_queries
from liqueue.store.sqlite.connection import Transactions


def _params_of(columns: Sequence[str]) -> str:
    return ", ".join("?" for _ in columns)


SQL = load_queries("liqueue.store.sqlite", _params_of)
MIGRATIONS: list[Migration] = load_migrations("liqueue.store.sqlite")
LATEST_VERSION = len(MIGRATIONS)


def current_version(db: sqlite3.Connection) -> int:
    return shared.schema_version(db, SQL)


def migrate(transactions: Transactions, url: str) -> int:
    # Read inside the write lock: two processes opening a new file must not
    # both apply migration 1.
    with transactions.write() as db:
        return shared.migrate(db, SQL, MIGRATIONS, url, lambda script: _run_script(db, script))


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for statement in split_statements(script):
        db.execute(statement)


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
