"""What only PostgreSQL does: the caller's transaction, and surviving lost connections."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from liqueue.errors import NotFound, StoreError
from liqueue.jobs import JobState
from liqueue.outbox import Outbox
from liqueue.store import Store
from liqueue.store.postgres import PostgresStore

from .factories import T0, spec

ALL = ("high", "default", "low")


def test_enqueue_in_the_callers_transaction_commits_with_it(pg_store: PostgresStore) -> None:
    job = spec()
    listener = pg_store.wake_listener()
    try:
        with psycopg.connect(pg_store.url) as conn:
            pg_store.enqueue(Outbox(jobs=[job]), T0, connection=conn)
            with pytest.raises(NotFound):
                pg_store.get_job(job.id)  # not visible before the caller commits
            assert listener.wait(0.05) is False  # nor announced
            conn.commit()
        assert pg_store.get_job(job.id).state is JobState.SCHEDULED
        assert listener.wait(2) is True
    finally:
        listener.close()


def test_enqueue_in_the_callers_transaction_rolls_back_with_it(pg_store: PostgresStore) -> None:
    job = spec()
    listener = pg_store.wake_listener()
    try:
        with psycopg.connect(pg_store.url) as conn:
            pg_store.enqueue(Outbox(jobs=[job]), T0, connection=conn)
            conn.rollback()
        with pytest.raises(NotFound):
            pg_store.get_job(job.id)
        assert listener.wait(0.2) is False
    finally:
        listener.close()


def test_enqueue_inside_an_explicit_transaction_block(pg_store: PostgresStore) -> None:
    job = spec()
    with psycopg.connect(pg_store.url, autocommit=True) as conn:
        with pytest.raises(StoreError, match="inside a transaction"):
            pg_store.enqueue(Outbox(jobs=[job]), T0, connection=conn)
        with conn.transaction():
            pg_store.enqueue(Outbox(jobs=[job]), T0, connection=conn)
    assert pg_store.get_job(job.id).id == job.id


def test_sqlite_refuses_a_callers_connection(tmp_path: object) -> None:
    from pathlib import Path

    from liqueue.store.sqlite import SQLiteStore

    with SQLiteStore(Path(str(tmp_path)) / "q.db") as store:
        with pytest.raises(StoreError, match="cannot enqueue inside a caller's connection"):
            store.enqueue(Outbox(jobs=[spec()]), T0, connection=object())
        assert store.next_run_at() is None


def _kill_connections(url: str) -> int:
    """What a server restart does to every open connection of this test's schema."""
    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND datname = current_database() "
            "AND application_name = 'liqueue-test-victim'"
        ).fetchall()
    return len(rows)


def test_store_and_listener_recover_after_their_connections_die(
    postgres_schema_url: str, open_url: Callable[[str], Store]
) -> None:
    url = f"{postgres_schema_url}&application_name=liqueue-test-victim"
    store = open_url(url)
    store.migrate()
    listener = store.wake_listener()
    try:
        store.enqueue(Outbox(jobs=[spec()]), T0)
        assert listener.wait(2) is True
        store.list_events()
        assert _kill_connections(url) >= 2  # the pool's and the listener's

        claimed = store.claim("w", 5, T0, 30, ALL)  # retried once on a fresh connection
        assert len(claimed) == 1
        assert listener.wait(2) is True  # broken: reconnects and says "poll once"
        store.enqueue(Outbox(jobs=[spec()]), T0)
        assert listener.wait(2) is True  # listening again
    finally:
        listener.close()
