"""Database URLs: SQLite paths, and a URL fit to print.

SQLite URLs follow SQLAlchemy's convention: `sqlite:///rel.db` (three
slashes) is relative, here to the application's directory, never to wherever
the command was typed; `sqlite:////abs/path.db` (four) is absolute.
"""

from __future__ import annotations

import re
from pathlib import Path

SQLITE_PREFIX = "sqlite:///"


def sqlite_url_for(path: Path) -> str:
    """The absolute URL of a file: `sqlite:////abs/path.db`."""
    return f"{SQLITE_PREFIX}{path.resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names (relative paths as written), None for other URLs."""
    if not url.startswith(SQLITE_PREFIX):
        return None
    return Path(url.removeprefix(SQLITE_PREFIX))


def resolve_url(url: str, base: Path) -> str:
    """`url` with a relative SQLite path made absolute against `base` (the app's directory)."""
    path = sqlite_path(url)
    if path is None or path.is_absolute():
        return url
    return sqlite_url_for(base / path)


_PASSWORD = re.compile(r"(://[^:/@]+:)[^@]+@")


def redact(url: str) -> str:
    """A database URL fit to print: its password replaced by ***."""
    return _PASSWORD.sub(r"\1***@", url)
