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

from liqueue.store import columns
from liqueue.store.sqlite import batches
from liqueue.store.sqlite.schema import SQL


def insert_logs(db: sqlite3.Connection, params: list[tuple[Any, ...]]) -> None:
    """Insert log lines (`rows.log_params`), in order, and count their attempt lines.

    A few statements over the lines (batches.py). The counts read the new lines
    back by id (logs.id only grows: AUTOINCREMENT), so they see the values as
    stored.
    """
    if not params:
        return
    after = db.execute(SQL["last_log_id"]).fetchone()[0]
    for sql, values in batches.chunks(db, SQL["insert_logs"], _ONE_LINE, params, _WIDTH):
        db.execute(sql, values)
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
_WIDTH = len(columns.LOG_INSERT)
_ONE_LINE = batches.one_row(_WIDTH)
