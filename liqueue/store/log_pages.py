"""The log in time order, a page at a time, the same way on every backend.

`liqueue logs APP | grep FAILED` must see every entry of a log that may hold
millions: pages are read by keyset (the (at, id) of the last entry shown), so
memory stays at one page and every page walks the `logs_time` index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from liqueue.logs import LogEntry
from liqueue.store import rows
from liqueue.store.base import LogQuery

DEFAULT_PAGE_SIZE = 1000

# Runs one SQL file (by name) with its parameters and returns every row.
Fetch = Callable[[str, Mapping[str, Any]], list[Any]]

_BEFORE_ALL = float("-inf")  # a key before every time, so the first page needs no other SQL


def iter_logs(
    fetch: Fetch, query: LogQuery, page_size: int = DEFAULT_PAGE_SIZE
) -> Iterator[LogEntry]:
    """Entries matching `query` ordered by (at, id); `query.last` keeps the newest N."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    filters = {
        "source_name": query.source_name,
        "status": query.status,
        "type": query.type,
        "job_id": query.job_id,
        "since": query.since,
        "after_id": query.after_id,
        "min_duration_ms": query.min_duration_ms,
    }
    key: tuple[float, int] = (_BEFORE_ALL, 0)
    if query.since is not None:
        key = (query.since, -1)  # (at, id) > (since, -1) is at >= since: the index starts there
    remaining: int | None = None
    if query.last is not None:
        if query.last < 1:
            return
        start = fetch("newest_logs_start", {**filters, "offset": query.last - 1})
        if start:  # else fewer than `last` match: all of them
            key = (float(start[0][0]), int(start[0][1]) - 1)
        remaining = query.last
    while True:
        size = page_size if remaining is None else min(page_size, remaining)
        page = fetch("iter_logs", {**filters, "key_at": key[0], "key_id": key[1], "limit": size})
        for row in page:
            yield rows.log_from_row(row)
        if remaining is not None:
            remaining -= len(page)
            if remaining <= 0:
                return
        if len(page) < size:
            return
        last = page[-1]
        key = (float(last[1]), int(last[0]))
