"""liqueue's SQL needs SQLite 3.38 (JSON functions built in): an older library
is refused in one line when a store is opened, never met as a syntax error later."""

from __future__ import annotations

import sqlite3

import pytest

from liqueue.errors import StoreError
from liqueue.store.sqlite.connection import OLDEST_SQLITE, require_sqlite_version


def test_an_older_sqlite_is_refused_with_the_versions_named() -> None:
    with pytest.raises(
        StoreError, match=r"SQLite 3\.37\.2 is too old: liqueue needs SQLite 3\.38\.0"
    ):
        require_sqlite_version((3, 37, 2))


def test_this_machines_sqlite_is_new_enough() -> None:
    assert sqlite3.sqlite_version_info >= OLDEST_SQLITE
    require_sqlite_version()
    require_sqlite_version((3, 38, 0))
