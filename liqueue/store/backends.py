"""Choose a backend from a database URL.

Apart from `url.py` because the backends import that module, and this one
imports the backends.
"""

from __future__ import annotations

from pathlib import Path

from liqueue.errors import ConfigError
from liqueue.store.base import Store


def open_store(url: str, *, migrate_command: str | None = None) -> Store:
    """The store for `url`; `migrate_command` is what its schema errors tell users to run."""
    if url.startswith("sqlite:///"):
        from liqueue.store.sqlite import SQLiteStore

        return SQLiteStore(Path(url.removeprefix("sqlite:///")))
    if url.startswith(("postgresql://", "postgres://")):
        from liqueue.store.postgres import PostgresStore

        if migrate_command is None:
            return PostgresStore(url)
        return PostgresStore(url, migrate_command=migrate_command)
    raise ConfigError(
        f"unsupported database URL {url!r}: use sqlite:///path/to/file.db or postgresql://..."
    )
