"""Reading what workers did straight from the database, for assertions."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import psycopg


def job_rows(db_url: str, columns: str, where: str = "TRUE") -> list[tuple[Any, ...]]:
    sql = f"SELECT {columns} FROM jobs WHERE {where}"
    if db_url.startswith("sqlite:///"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
            return [tuple(row) for row in db.execute(sql).fetchall()]
    with psycopg.connect(db_url) as conn:
        return [tuple(row) for row in conn.execute(sql).fetchall()]


def scheduled_ticks(db_url: str, schedule: str) -> list[str]:
    """The tick of every job the schedule queued (from each job's context), sorted."""
    ticks = []
    for (context,) in job_rows(db_url, "context"):
        data = json.loads(context) if isinstance(context, str) else context
        location = data.get("location") or {}
        if location.get("schedule") == schedule:
            ticks.append(location["tick_at"])
    return sorted(ticks)
