"""Wake-ups for PostgreSQL: LISTEN on a dedicated connection, NOTIFY at commit."""

from __future__ import annotations

import contextlib
import time

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

# One channel per schema: NOTIFY reaches every listener of a database, and
# two apps may share one database in schemas of their own (`search_path`).
# Hashed, since a channel name is an identifier of at most 63 bytes.
CHANNEL_SQL = "'liqueue_jobs_' || left(md5(coalesce(current_schema(), '')), 12)"


class NotifyWakeListener:
    """Holds its own connection (not a pooled one) for as long as it listens."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._conn: psycopg.Connection[TupleRow] | None = self._connect()

    def _connect(self) -> psycopg.Connection[TupleRow]:
        conn = psycopg.connect(self._conninfo, autocommit=True)
        row = conn.execute(f"SELECT {CHANNEL_SQL}").fetchone()
        assert row is not None
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(row[0])))
        return conn

    def wait(self, timeout: float) -> bool:
        try:
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()
                return True  # notifications may have been missed while disconnected
            woken = any(True for _ in self._conn.notifies(timeout=timeout, stop_after=1))
            if woken:
                # Several commits may have notified; one wake-up serves them all.
                for _ in self._conn.notifies(timeout=0):
                    pass
            return woken
        except psycopg.OperationalError:
            self._drop()
            with contextlib.suppress(psycopg.OperationalError):
                self._conn = self._connect()
            if self._conn is None:
                # The server is away: do not spin; the worker polls (and retries) after this.
                time.sleep(min(timeout, 1.0))
            return True

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        self._drop()

    def __enter__(self) -> NotifyWakeListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
