"""Fixtures of the schedule tests: real `liqueue serve` processes, as the web tests
start them, and a migrated database on each backend."""

from pathlib import Path

import pytest

from liqueue.store import open_store
from tests.web.conftest import serve  # noqa: F401


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a migrated database (so child processes never race to migrate it)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jobs.db'}"
        open_store(url).close()
        return url
    return str(request.getfixturevalue("pg_url"))
