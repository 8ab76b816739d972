"""Fixtures for PostgreSQL tests with real worker processes on the real server.

Each test gets a fresh database (NOTIFY channels are per database, so idle
workers of one test are never woken by another). The server comes from
LIQUEUE_TEST_POSTGRES_URL, as in tests/store: unreachable, the tests skip
with a visible reason, or fail when CI=true.
"""

from __future__ import annotations

import signal
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.store.conftest import POSTGRES_URL, require_postgres

from .server import ensure_running
from .workers import WorkerProcess


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
    from liqueue.store import open_store

    store = open_store(fresh_database)
    try:
        store.migrate()
    finally:
        store.close()
    return fresh_database


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start `python -m liqueue.worker` processes; any still alive are killed at teardown."""
    started: list[WorkerProcess] = []

    def start(app: Path, db: str, *args: str) -> WorkerProcess:
        log = tmp_path / f"worker-{len(started)}.log"
        worker = WorkerProcess(app, db, log, *args)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.alive():
            worker.stop(signal.SIGKILL)
