"""Fixtures every directory of tests shares: fresh PostgreSQL databases, processes.

PostgreSQL comes from LIQUEUE_TEST_POSTGRES_URL (see tests/store/conftest.py):
unreachable, its tests skip with a visible reason, or fail when CI=true.
Each database is new (NOTIFY channels are per database, so idle workers of one
test are never woken by another) and dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from liqueue.store import open_store
from tests.postgres.server import ensure_running
from tests.processes import Process, Processes
from tests.store.conftest import POSTGRES_URL, require_postgres


def database_url(name: str) -> str:
    """POSTGRES_URL with its database replaced by `name`."""
    parts = urlsplit(POSTGRES_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """URL of a new, empty database (no liqueue schema), dropped afterwards."""
    require_postgres()
    name = f"liqueue_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        ensure_running()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(fresh_database: str) -> str:
    """URL of a new database with the liqueue schema in place."""
    store = open_store(fresh_database)
    try:
        store.migrate()
    finally:
        store.close()
    return fresh_database


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    """Processes the test starts; any still alive are killed at teardown."""
    started = Processes(tmp_path)
    yield started
    started.kill_all()


@pytest.fixture
def start_worker(processes: Processes) -> Callable[..., Process]:
    """Start `python -m liqueue.worker APP --db DB ARGS...` processes."""
    return processes.worker
