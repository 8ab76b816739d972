"""Concurrency and rate limits per source_name, held by real worker processes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from liqueue.app import App
from liqueue.errors import Location
from liqueue.jobs import JobSpec
from liqueue.outbox import Outbox
from liqueue.store import open_store
from tests.apps import write_app
from tests.processes import Process as WorkerProcess

from .jobs_seen import job_rows

CONFIG = """
sources:
  one_at_a_time:
    concurrency: 2
  metered:
    rate: 20/s
"""

# About 50-100 ms of Liquid work, so several jobs of a source overlap unless held back.
BUSY = "{% for i in (1..40000) %}{% endfor %}"


def _app(root: Path) -> Path:
    files = {"views/partials/busy.liquid": BUSY, "views/partials/quick.liquid": "ok"}
    return write_app(root, files, CONFIG)


def _queue(app_dir: Path, db: str, source: str, partial: str, count: int) -> None:
    with App(app_dir, database_url=db) as app:
        jobs = [
            JobSpec(source_name=source, origin=Location("test"), partial=partial)
            for _ in range(count)
        ]
        app.enqueue(Outbox(jobs=jobs))


def _run(app_dir: Path, db: str, count: int, start: Callable[..., WorkerProcess]) -> None:
    workers = [start(app_dir, db, "--concurrency", "4", "--burst") for _ in range(count)]
    for worker in workers:
        assert worker.wait(120) == 0, worker.output()


def _most_at_once(intervals: list[tuple[float, float]]) -> int:
    edges = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    running = most = 0
    for _, change in edges:  # an end sorts before a start at the same instant
        running += change
        most = max(most, running)
    return most


def _assert_concurrency(db: str) -> None:
    found = job_rows(db, "started_at, finished_at, state", "source_name = 'one_at_a_time'")
    assert len(found) == 24 and {row[2] for row in found} == {"done"}
    assert _most_at_once([(row[0], row[1]) for row in found]) == 2


def _assert_rate(db: str) -> None:
    starts = sorted(row[0] for row in job_rows(db, "started_at", "source_name = 'metered'"))
    assert len(starts) == 60
    # No second, wherever it begins, holds more than 20 starts.
    for n, first in enumerate(starts):
        assert sum(1 for at in starts[n:] if at < first + 1.0) <= 20
    assert starts[-1] - starts[0] >= 2.0  # 60 starts at 20/s take at least 2 s


def test_sqlite_limits_across_three_processes(
    tmp_path: Path, start_worker: Callable[..., WorkerProcess]
) -> None:
    app_dir = _app(tmp_path / "app")
    db = f"sqlite:///{tmp_path / 'jobs.db'}"
    open_store(db).close()
    _queue(app_dir, db, "one_at_a_time", "busy", 24)
    _queue(app_dir, db, "metered", "quick", 60)
    _queue(app_dir, db, "free", "quick", 30)  # unlimited jobs still flow around them
    _run(app_dir, db, 3, start_worker)
    _assert_concurrency(db)
    _assert_rate(db)
    assert len(job_rows(db, "id", "source_name = 'free' AND state = 'done'")) == 30


def test_postgres_limits_across_four_processes(
    tmp_path: Path, pg_url: str, start_worker: Callable[..., WorkerProcess]
) -> None:
    app_dir = _app(tmp_path / "app")
    _queue(app_dir, pg_url, "one_at_a_time", "busy", 24)
    _queue(app_dir, pg_url, "metered", "quick", 60)
    _queue(app_dir, pg_url, "free", "quick", 30)
    _run(app_dir, pg_url, 4, start_worker)
    _assert_concurrency(pg_url)
    _assert_rate(pg_url)
    assert len(job_rows(pg_url, "id", "source_name = 'free' AND state = 'done'")) == 30
