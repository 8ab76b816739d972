"""Reading a test database directly: job states, listening connections."""

from __future__ import annotations

import psycopg


def state_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall()
    return {state: int(count) for state, count in found}


def all_done(url: str, total: int) -> bool:
    return state_counts(url) == {"done": total}


def listeners(url: str) -> int:
    """Connections of this database that LISTEN for wake-ups (their last statement)."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND query ILIKE 'LISTEN %'"
        ).fetchone()
    return int(row[0]) if row else 0
