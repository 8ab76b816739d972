"""Database URLs: choose a backend from one, and make one fit to print."""

from __future__ import annotations

import re
from pathlib import Path

from liqueue.errors import ConfigError
from liqueue.store.base import Store


def sqlite_url_for(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


_PASSWORD = re.compile(r"(://[^:/@]+:)[^@]+@")


def redact(url: str) -> str:
    """A database URL fit to print: its password replaced by ***."""
    return _PASSWORD.sub(r"\1***@", url)


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
