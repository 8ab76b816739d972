"""The aggregates the store keeps per statement rather than per row (migration
0013): attempt lines counted per insert, jobs leaving 'running' per statement.

Each runs inside the caller's write, so a batch's counts commit with its rows
or not at all.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from liqueue.store import columns, rows
from liqueue.store.sqlite.schema import SQL

# How JSON text writes NUL (also matched by a backslash before "u0000" in the
# text itself, which then only takes the slower way).
NUL = "\\u0000"


def insert_logs(db: sqlite3.Connection, params: list[tuple[Any, ...]]) -> None:
    """Insert log lines (`rows.log_params`) and count their attempt lines.

    One statement over the lines as JSON, unless some text holds NUL (which
    JSON text would not hand back unchanged): then one statement per line.
    The counts read the new lines back by id (logs.id only grows: AUTOINCREMENT),
    so they see the values as stored, whichever way the lines went in.
    """
    if not params:
        return
    after = db.execute(SQL["last_log_id"]).fetchone()[0]
    entries = rows.dumps(params)
    if NUL in entries:
        db.executemany(SQL["insert_logs"], params)
    else:
        db.execute(SQL["insert_log_batch"], {"entries": entries})
    if any(row[_TYPE] == "attempt" for row in params):
        db.execute(SQL["count_attempts"], {"after": after})
        db.execute(SQL["count_attempt_minutes"], {"after": after})


def count_left_running(db: sqlite3.Connection, moved: Iterable[Sequence[Any]]) -> None:
    """Move jobs a statement took out of 'running' in job_counts: `moved` holds
    each job's (new state, priority, source_name), as its RETURNING gave them."""
    counted = Counter((state, priority, source_name) for state, priority, source_name in moved)
    if counted:
        db.executemany(
            SQL["count_left_running"],
            [
                {"state": state, "priority": priority, "source_name": source_name, "n": n}
                for (state, priority, source_name), n in counted.items()
            ],
        )


# Where a line's type is in its insert parameters.
_TYPE = columns.LOG_INSERT.index("type")
