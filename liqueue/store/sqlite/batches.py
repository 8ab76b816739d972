"""Statements over a batch of rows as one multi-row VALUES list, bound as parameters.

Binding and stepping one statement per few hundred rows costs about two
thirds of executemany's statement per row, and lets go of the GIL once per
statement rather than once per row. Bound parameters carry any text as it is
(NUL included), and cost less than reading each value out of JSON text with
`->>` (a log line: 5.5 -> 3.1 us). Sizes are powers of two, so a few
statements (each prepared once, then cached) write any batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import chain
from typing import Any

MOST_ROWS = 512


def one_row(width: int, prefix: str = "") -> str:
    """`(?, ?, ...)` for a row of `width` parameters, after `prefix` (literals)."""
    return "(" + prefix + ", ".join("?" for _ in range(width)) + ")"


@cache
def repeated(sql: str, row: str, rows: int) -> str:
    """`sql`, whose one `row` of VALUES is written `rows` times."""
    if sql.count(row) != 1:
        raise ValueError(f"expected one {row} in {sql!r}")
    return sql.replace(row, ", ".join([row] * rows))


def statement_sizes(
    db: sqlite3.Connection, count: int, width: int, most_rows: int = MOST_ROWS
) -> Iterator[int]:
    """Rows per statement for `count` rows of `width` parameters each."""
    # Older SQLite builds bind at most 999 parameters to a statement.
    limit = db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width
    most = most_rows
    while most > limit:
        most //= 2
    while count:
        while most > count:
            most //= 2
        yield most
        count -= most


def chunks(
    db: sqlite3.Connection,
    sql: str,
    row: str,
    params: Sequence[Sequence[Any]],
    width: int,
    most_rows: int = MOST_ROWS,
) -> Iterator[tuple[str, list[Any]]]:
    """(statement, its parameters) for each statement writing `params`, in order."""
    start = 0
    for size in statement_sizes(db, len(params), width, most_rows):
        yield repeated(sql, row, size), list(chain.from_iterable(params[start : start + size]))
        start += size
