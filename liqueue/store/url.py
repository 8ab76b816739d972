"""Database URLs: the SQLite URL of a path, and a URL fit to print."""

from __future__ import annotations

import re
from pathlib import Path


def sqlite_url_for(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


_PASSWORD = re.compile(r"(://[^:/@]+:)[^@]+@")


def redact(url: str) -> str:
    """A database URL fit to print: its password replaced by ***."""
    return _PASSWORD.sub(r"\1***@", url)
