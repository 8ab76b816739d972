"""Migrations for PostgreSQL: applied on request (`liqueue migrate`), never on open."""

from __future__ import annotations

import time

import psycopg
from psycopg.rows import TupleRow

from liqueue.errors import StoreError
from liqueue.store.sqlfiles import Migration, load_migrations, load_queries

SQL = load_queries("liqueue.store.postgres")
MIGRATIONS: list[Migration] = load_migrations("liqueue.store.postgres")
LATEST_VERSION = len(MIGRATIONS)


def current_version(conn: psycopg.Connection[TupleRow]) -> int:
    exists = conn.execute(SQL["schema_table_exists"]).fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute(SQL["schema_version"]).fetchone()
    return int(row[0]) if row else 0


def migrate(conn: psycopg.Connection[TupleRow], url: str) -> int:
    """Apply pending migrations in the connection's transaction; the caller commits."""
    conn.execute(SQL["lock_migrations"])
    version = current_version(conn)
    if version > LATEST_VERSION:
        raise StoreError(
            f"the liqueue schema in {url} is at version {version}, newer than this "
            f"liqueue (it knows up to version {LATEST_VERSION}): upgrade liqueue"
        )
    if version < LATEST_VERSION:
        conn.execute(SQL["create_schema_table"])
        for migration in MIGRATIONS[version:]:
            # No parameters: psycopg sends the file as one simple query, many statements.
            conn.execute(migration.sql)
            conn.execute(SQL["record_migration"], (migration.version, migration.name, time.time()))
    return LATEST_VERSION
