"""Database URLs."""

from __future__ import annotations

from pathlib import Path


def sqlite_url_for(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"
