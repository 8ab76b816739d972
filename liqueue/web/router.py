"""The route table of a running app, rebuilt when a page or layout changes.

Looking for changes stats every page and layout file, which under load took
more of the server's time than rendering a small page; so a table younger
than `FRESH_SECONDS` is trusted, except when it misses (a page just added
answers at once) or names a file that is gone (a page just deleted answers
404 at once). Only a front matter edit (slug, method, layout) may take up to
`FRESH_SECONDS` to show. A change seen here is passed on (`changed`), so
the templates of the pages are looked at again at once, never served older
than the table.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from liqueue.liquid.routes import RouteTable, build_routes, pages_stamp

log = logging.getLogger("liqueue.web")

FRESH_SECONDS = 0.5


class PageRouter:
    def __init__(
        self,
        root: Path,
        read_front_matter: Callable[[str], dict[str, Any]],
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self.root = root
        self._read = read_front_matter
        self._changed = changed  # called when a page or layout file changed
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._checked_at = -FRESH_SECONDS
        self._table = RouteTable([], [])

    def table(self, *, recheck: bool = False) -> RouteTable:
        """The current table; with `recheck`, look for changed files whatever its age."""
        now = time.monotonic()
        if not recheck and now - self._checked_at < FRESH_SECONDS:
            return self._table
        stamp = pages_stamp(self.root)
        self._checked_at = now
        if stamp == self._stamp:
            return self._table
        with self._lock:
            if stamp != self._stamp:
                table = build_routes(self.root, self._read)
                for problem in table.problems:
                    log.warning("%s", problem)
                self._table, self._stamp = table, stamp
                self._changed()
            return self._table
