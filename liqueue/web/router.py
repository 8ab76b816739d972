"""The route table of a running app, rebuilt when a page or layout changes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from liqueue.liquid.routes import RouteTable, build_routes, pages_stamp

log = logging.getLogger("liqueue.web")


class PageRouter:
    def __init__(self, root: Path, read_front_matter: Callable[[str], dict[str, Any]]) -> None:
        self.root = root
        self._read = read_front_matter
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._table = RouteTable([], [])

    def table(self) -> RouteTable:
        """The current table; a stat of each page file tells whether to rebuild it."""
        stamp = pages_stamp(self.root)
        if stamp == self._stamp:
            return self._table
        with self._lock:
            if stamp != self._stamp:
                table = build_routes(self.root, self._read)
                for problem in table.problems:
                    log.warning("%s", problem)
                self._table, self._stamp = table, stamp
            return self._table
