"""The worker suite runs on every backend: `db_url` is a fresh, migrated database,
a SQLite file or a new PostgreSQL database (skipped when no server answers,
failing under CI=true), like the store contract suite of tests/store."""

from __future__ import annotations

from pathlib import Path

import pytest

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/q.db"
    url: str = request.getfixturevalue("pg_url")
    return url
