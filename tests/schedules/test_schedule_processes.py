"""A schedule ticking every second, queued by several real worker processes at once:
each tick becomes exactly one job, on SQLite and on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from liqueue.store import open_store
from tests.apps import write_app
from tests.processes import Process as WorkerProcess

from .jobs_seen import scheduled_ticks

RUN_SECONDS = 8

CONFIG = """
schedules:
  every_second:
    partial: tick
    cron: "* * * * * *"
    arguments: {n: 1}
"""


def _schedule_app(root: Path) -> Path:
    return write_app(root, {"views/partials/tick.liquid": "{% log 'tick', type: 'tick' %}"}, CONFIG)


def _run_workers(
    app: Path, db: str, count: int, start: Callable[..., WorkerProcess]
) -> list[WorkerProcess]:
    workers = [start(app, db) for _ in range(count)]
    time.sleep(RUN_SECONDS)
    for worker in workers:
        assert worker.stop() == 0, worker.output()
    return workers


def _assert_one_job_per_tick(db: str) -> None:
    ticks = scheduled_ticks(db, "every_second")
    assert len(ticks) == len(set(ticks)), "a tick was queued twice"
    seconds = [datetime.fromisoformat(t).timestamp() for t in ticks]
    # Every second from the first tick to the last, none skipped.
    assert seconds == [seconds[0] + n for n in range(len(seconds))]
    assert len(seconds) >= RUN_SECONDS - 4
    store = open_store(db)
    try:
        runs = store.last_ticks()
    finally:
        store.close()
    assert runs["every_second"].tick_at == seconds[-1]


def test_three_sqlite_workers_queue_each_tick_once(
    tmp_path: Path, start_worker: Callable[..., WorkerProcess]
) -> None:
    app = _schedule_app(tmp_path / "app")
    db = f"sqlite:///{tmp_path / 'jobs.db'}"
    open_store(db).close()  # migrated before the workers race to open it
    _run_workers(app, db, 3, start_worker)
    _assert_one_job_per_tick(db)


def test_four_postgres_workers_queue_each_tick_once(
    tmp_path: Path, pg_url: str, start_worker: Callable[..., WorkerProcess]
) -> None:
    app = _schedule_app(tmp_path / "app")
    _run_workers(app, pg_url, 4, start_worker)
    _assert_one_job_per_tick(pg_url)
