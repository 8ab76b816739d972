"""Fixtures giving each test a fresh, migrated store on every backend.

`store_url` is the URL of a fresh database (SQLite file in tmp_path, or a
fresh PostgreSQL schema selected through the URL's search_path); `store` is a
store opened on it; `open_url` opens more stores on the same database, closed
at teardown. PostgreSQL comes from LIQUEUE_TEST_POSTGRES_URL; when it cannot be
reached its tests are skipped, or fail when CI=true.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import quote

import psycopg
import pytest

from liqueue.store import Store, open_store
from liqueue.store.postgres import PostgresStore

POSTGRES_URL = os.environ.get("LIQUEUE_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgres"]

_postgres_problem: list[str] = []  # filled once: why the server cannot be used


def _postgres_unavailable() -> str | None:
    if not _postgres_problem:
        try:
            with psycopg.connect(POSTGRES_URL, connect_timeout=3):
                _postgres_problem.append("")
        except psycopg.Error as error:
            _postgres_problem.append(f"PostgreSQL at {POSTGRES_URL} unreachable: {error}")
    return _postgres_problem[0] or None


def require_postgres() -> None:
    problem = _postgres_unavailable()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run)")
    pytest.skip(problem)


def with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """URL of a fresh, empty schema on the test server, dropped afterwards."""
    require_postgres()
    schema = f"liqueue_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def unmigrated_url(backend: str, request: pytest.FixtureRequest, tmp_path: object) -> str:
    """URL of a fresh database on `backend` with no liqueue schema."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/queue.db"
    url: str = request.getfixturevalue("postgres_schema_url")
    return url


@pytest.fixture
def open_url() -> Iterator[Callable[[str], Store]]:
    """Open stores by URL; every store opened is closed at teardown."""
    opened: list[Store] = []

    def open_(url: str) -> Store:
        store = open_store(url)
        opened.append(store)
        return store

    yield open_
    for store in reversed(opened):
        store.close()


@pytest.fixture
def store_url(unmigrated_url: str, open_url: Callable[[str], Store]) -> str:
    """URL of a fresh, migrated database on `backend`."""
    open_url(unmigrated_url).migrate()
    return unmigrated_url


@pytest.fixture
def store(store_url: str, open_url: Callable[[str], Store]) -> Store:
    """A fresh, migrated store, once per backend."""
    return open_url(store_url)


@pytest.fixture
def pg_store(postgres_schema_url: str, open_url: Callable[[str], Store]) -> PostgresStore:
    """A migrated PostgreSQL store in a fresh schema."""
    store = open_url(postgres_schema_url)
    assert isinstance(store, PostgresStore)
    store.migrate()
    return store
