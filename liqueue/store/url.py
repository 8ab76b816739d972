"""Choose a backend from a database URL."""

from __future__ import annotations

from pathlib import Path

from liqueue.errors import ConfigError
from liqueue.store.base import Store


def sqlite_url_for(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def open_store(url: str) -> Store:
    if url.startswith("sqlite:///"):
        from liqueue.store.sqlite import SQLiteStore

        return SQLiteStore(Path(url.removeprefix("sqlite:///")))
    if url.startswith(("postgresql://", "postgres://")):
        from liqueue.store.postgres import PostgresStore

        return PostgresStore(url)
    raise ConfigError(
        f"unsupported database URL {url!r}: use sqlite:///path/to/file.db or postgresql://..."
    )
