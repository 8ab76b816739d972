"""migrate, schema_version and check_schema on both backends."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from liqueue.errors import StoreError
from liqueue.store import Store
from liqueue.store.sqlite import SQLiteStore


def test_migrated_store_is_current(store: Store) -> None:
    current, latest = store.schema_version()
    assert current == latest >= 1
    store.check_schema()
    assert store.migrate() == latest  # idempotent


def test_unmigrated_database_is_refused_with_the_command_to_run(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "raw.db", migrate=False)
    try:
        assert store.schema_version()[0] == 0
        with pytest.raises(StoreError, match=r"run `liqueue migrate APP`"):
            store.check_schema()
        assert store.migrate() == store.schema_version()[1]
        store.check_schema()
    finally:
        store.close()


def test_sqlite_migrates_on_open(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "fresh.db") as store:
        store.check_schema()


def test_postgres_does_not_migrate_on_open(
    postgres_schema_url: str, open_url: Callable[[str], Store]
) -> None:
    store = open_url(postgres_schema_url)
    assert store.schema_version()[0] == 0
    with pytest.raises(StoreError, match=r"no liqueue schema yet: run `liqueue migrate APP`"):
        store.check_schema()
    assert store.migrate() == store.schema_version()[1]
    store.check_schema()


def _record_future_version(store_url: str, version: int) -> None:
    sql = "INSERT INTO liqueue_schema (version, name, applied_at) VALUES (%s, 'future', 0)"
    if store_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(store_url.removeprefix("sqlite:///")) as db:
            db.execute(sql.replace("%s", "?"), (version,))
    else:
        with psycopg.connect(store_url) as db:
            db.execute(sql, (version,))


def test_newer_schema_is_refused(store_url: str, open_url: Callable[[str], Store]) -> None:
    store = open_url(store_url)
    latest = store.schema_version()[1]
    _record_future_version(store_url, latest + 1)
    assert store.schema_version() == (latest + 1, latest)
    with pytest.raises(StoreError, match="newer than this liqueue"):
        store.check_schema()
    with pytest.raises(StoreError, match="newer than this liqueue"):
        store.migrate()


def test_sqlite_refuses_to_open_a_newer_file(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    SQLiteStore(path).close()
    _record_future_version(f"sqlite:///{path}", 99)
    with pytest.raises(StoreError, match="newer than this liqueue"):
        SQLiteStore(path)


def test_a_version_1_sqlite_file_upgrades_in_place_keeping_its_jobs(tmp_path: Path) -> None:
    """A database made by an older liqueue gets the newer migrations when opened."""
    from liqueue.store.sqlite.connection import MIGRATIONS, SQL, split_statements

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # what liqueue at schema version 1 left behind
        db.execute(SQL["create_schema_table"])
        for statement in split_statements(MIGRATIONS[0].sql):
            db.execute(statement)
        db.execute(SQL["record_migration"], (1, MIGRATIONS[0].name, 0.0))
        db.execute(
            "INSERT INTO jobs (id, state, priority, source_name, body, arguments, context,"
            " origin_path, origin_line, origin_column, max_attempts, attempt, rescues, run_at,"
            " created_at) VALUES ('old-job', 'scheduled', 1, 'kept', 'x', '{}', '{}', 'p', 1,"
            " 1, 1, 0, 0, 0, 0)"
        )
    store = SQLiteStore(path)
    try:
        current, latest = store.schema_version()
        assert current == latest >= 2
        assert store.get_job("old-job").source_name == "kept"
    finally:
        store.close()
    with sqlite3.connect(path) as db:
        indexes = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
    assert "jobs_created" in indexes
