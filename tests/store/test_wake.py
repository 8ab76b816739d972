"""Which writes wake listeners, and which do not."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

from liqueue.jobs import JobState
from liqueue.outbox import Outbox
from liqueue.store import Store
from liqueue.store.sqlite import SQLiteStore
from liqueue.store.sqlite.wake import wake_dir_for

from .conftest import POSTGRES_URL, with_search_path
from .factories import T0, enqueue, outcome, spec

ALL = ("high", "default", "low")


def test_writes_that_make_jobs_due_wake_listeners(store: Store) -> None:
    listener = store.wake_listener()
    try:
        first, second = enqueue(store, spec(), spec(max_attempts=2))
        assert listener.wait(2) is True
        store.claim("w", 2, T0, 10, ALL)
        store.heartbeat("w", [first], T0 + 5)
        assert listener.wait(0.05) is False  # claims and heartbeats make nothing due

        store.complete([outcome(second, state=JobState.RETRY, next_run_at=T0)], T0)
        assert listener.wait(2) is True
        store.complete([outcome(first)], T0)
        assert listener.wait(0.05) is False  # a plain success makes nothing due

        store.claim("w", 1, T0, 10, ALL)
        store.release([second], T0)
        assert listener.wait(2) is True

        store.claim("w", 1, T0, 10, ALL)
        assert store.rescue_expired(T0 + 60) == [second]
        assert listener.wait(2) is True

        store.claim("w", 1, T0 + 60, 10, ALL)
        store.complete([outcome(second, 2, JobState.DEAD)], T0 + 60)
        assert listener.wait(0.05) is False  # a dead end makes nothing due
        store.retry_all_dead(T0 + 61)
        assert listener.wait(2) is True
    finally:
        listener.close()


def test_every_listener_is_woken(store: Store) -> None:
    listeners = [store.wake_listener() for _ in range(3)]
    try:
        store.enqueue(Outbox(jobs=[spec()]), T0)
        assert [listener.wait(2) for listener in listeners] == [True, True, True]
    finally:
        for listener in listeners:
            listener.close()


def test_sqlite_forgets_sockets_of_dead_processes(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "q.db") as store:
        directory = wake_dir_for(tmp_path / "q.db")
        directory.mkdir()
        orphan = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        orphan.bind(str(directory / "999999-1.sock"))
        orphan.close()  # as a killed process leaves it: bound path, nobody reading
        listener = store.wake_listener()
        try:
            store.enqueue(Outbox(jobs=[spec()]), T0)
            assert listener.wait(2) is True
            assert sorted(path.name for path in directory.iterdir()) == [listener.path.name]
        finally:
            listener.close()
        assert list(directory.iterdir()) == []


def test_sqlite_wake_directory_stays_short_for_deep_paths(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 120) / "q.db"
    assert len(str(wake_dir_for(deep))) < 80
    assert wake_dir_for(deep) == wake_dir_for(deep.parent / "." / "q.db")
    with SQLiteStore(deep) as store:
        listener = store.wake_listener()
        try:
            store.enqueue(Outbox(jobs=[spec()]), T0)
            assert listener.wait(2) is True
        finally:
            listener.close()


def test_apps_in_two_schemas_of_one_database_do_not_wake_each_other(
    postgres_schema_url: str, open_url: Callable[[str], Store]
) -> None:
    open_url(postgres_schema_url).migrate()
    store_url = postgres_schema_url
    other = f"liqueue_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{other}"')
    try:
        ours, theirs = open_url(store_url), open_url(with_search_path(POSTGRES_URL, other))
        theirs.migrate()
        listener = ours.wake_listener()
        try:
            enqueue(theirs, spec())
            # NOTIFY reaches every listener of the database; the channel is the schema's.
            assert listener.wait(0.3) is False
            enqueue(ours, spec())
            assert listener.wait(2) is True
        finally:
            listener.close()
            theirs.close()
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{other}" CASCADE')
