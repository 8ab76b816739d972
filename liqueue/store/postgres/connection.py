"""Connections to PostgreSQL for liqueue: a pool, and transactions that survive
a server restart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from liqueue.errors import StoreUnavailable

Conn = psycopg.Connection[TupleRow]
T = TypeVar("T")


class Transactions:
    """Runs work in one pooled transaction, once more if the connection died under it.

    Every write of the store is idempotent enough for that (inserts ignore
    known ids, completions are guarded by state and attempt), and at worst a
    claim whose commit was lost is rescued when its lease runs out.
    """

    def __init__(self, url: str, *, min_size: int, max_size: int) -> None:
        self.url = url
        self._pool: ConnectionPool = ConnectionPool(
            url, min_size=min_size, max_size=max_size, open=True, timeout=15.0, name="liqueue"
        )

    def run(self, work: Callable[[Conn], T]) -> T:
        """Raises StoreUnavailable when the server cannot be reached (or kept
        dropping the connection, or chose this transaction as a deadlock
        victim): callers such as the worker wait and try again.
        """
        for attempt in (1, 2):
            conn: Conn | None = None
            try:
                with self._pool.connection() as conn:
                    return work(conn)
            except psycopg.OperationalError as err:
                if attempt == 2 or conn is None or not conn.broken:
                    raise StoreUnavailable(f"PostgreSQL at {redacted(self.url)}: {err}") from err
                self._pool.check()  # the others are likely dead too (server restart)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._pool.close()


def autocommit(conn: Conn, sql: str, params: Sequence[Any]) -> None:
    """Run one statement as its own transaction on a pooled connection."""
    conn.autocommit = True
    try:
        conn.execute(sql, params)
    finally:
        conn.autocommit = False


def redacted(url: str) -> str:
    """The URL without its password, for error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
