"""The SQL of the PostgreSQL backend: its queries, and migrations applied on
request (`liqueue migrate`), never on open."""

from __future__ import annotations

from typing import Final

from liqueue.store import columns, shared
from liqueue.store.postgres.connection import Conn
from liqueue.store.postgres.wake import CHANNEL_SQL
from liqueue.store.sqlfiles import Migration, load_migrations, load_queries

# Batches travel as one jsonb array of rows (batches.py); each value is cast to its column's type.
_COLUMN_TYPES: Final = {
    "id": "text", "state": "text", "priority": "smallint", "source_name": "text",
    "body": "text", "partial": "text", "arguments": "jsonb", "context": "jsonb",
    "origin_path": "text", "origin_line": "integer", "origin_column": "integer",
    "max_attempts": "integer", "attempt": "integer", "run_at": "float8",
    "created_at": "float8", "finished_at": "float8", "next_run_at": "float8",
    "error_class": "text", "error_message": "text", "error_location": "text",
    "worker_id": "text", "event_id": "text",
    "at": "float8", "type": "text", "message": "text", "job_id": "text",
    "status": "text", "duration_ms": "integer", "location": "text",
    "payload": "jsonb", "valid": "boolean", "errors": "jsonb", "origin": "text",
}  # fmt: skip


def _select_from_json(listed: str) -> str:
    """The columns of `columns.LISTS[listed]` from `r`, one row as a JSON array in that order."""
    return ", ".join(
        f"(r->>{place})::{_COLUMN_TYPES[column]} AS {column}"
        for place, column in enumerate(columns.LISTS[listed])
    )


# New jobs and events, completions and log lines travel as one jsonb array of rows
# (batches.py), not as one array parameter per column: psycopg built each such
# array in Python, element by element; json.dumps is C. Each row is an array,
# read by position (no key per value).
_FRAGMENTS: Final = {
    "wake_channel": CHANNEL_SQL,
    "outcome_from_json": _select_from_json("outcome"),
    "log_insert_from_json": _select_from_json("log_insert"),
    "job_insert_from_json": _select_from_json("job_insert"),
    "event_from_json": _select_from_json("event"),
}
SQL = load_queries("liqueue.store.postgres", None, _FRAGMENTS)
MIGRATIONS: list[Migration] = load_migrations("liqueue.store.postgres")
LATEST_VERSION = len(MIGRATIONS)


def current_version(conn: Conn) -> int:
    return shared.schema_version(conn, SQL)


def migrate(conn: Conn, url: str) -> int:
    """Apply pending migrations in the connection's transaction; the caller commits."""
    conn.execute(SQL["lock_migrations"])
    # No parameters: psycopg sends the file as one simple query, many statements.
    return shared.migrate(conn, SQL, MIGRATIONS, url, conn.execute)
