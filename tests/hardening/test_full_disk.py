"""A full disk, simulated with SQLite's `max_page_count` on the store's connection.

SQLite then fails as on a full disk ("database or disk is full", SQLITE_FULL):
a render fails in one line with nothing queued; a worker backs off like for
any unavailable store and goes on when space returns.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from liqueue.app import App
from liqueue.errors import StoreUnavailable
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from liqueue.store.sqlite import SQLiteStore
from liqueue.worker.worker import Worker, WorkerOptions
from tests.hardening.bad_apps import INDEX, all_jobs

LINE = "x" * 3000
PAGE = (
    "{% for i in (1..20) %}{% background source_name: 'full_disk', i: i %}"
    "{% log '" + LINE + "' %}{% endbackground %}{% endfor %}"
)
UNLIMITED = 1_073_741_823


def _app(root: Path) -> App:
    (root / "app/views/pages").mkdir(parents=True)
    (root / INDEX).write_text(PAGE)
    return App(root, database_url=f"sqlite:///{root}/q.db")


def _fill_disk(app: App) -> None:
    """No page more than the file has now: growing it fails as on a full disk."""
    _set_max_pages(app, None)


def _free_space(app: App) -> None:
    _set_max_pages(app, UNLIMITED)


def _set_max_pages(app: App, pages: int | None) -> None:
    store = app.store
    assert isinstance(store, SQLiteStore)
    # The pragma belongs to one connection: the store's own, reached on purpose.
    with store._tx.lock:
        db: sqlite3.Connection = store._tx.db
        if pages is None:
            pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_render_on_a_full_disk_fails_in_one_line_and_queues_nothing(tmp_path: Path) -> None:
    with _app(tmp_path) as app:
        app.store.migrate()
        _fill_disk(app)
        with pytest.raises(StoreUnavailable) as raised:
            app.render("index")
        message = str(raised.value)
        assert "\n" not in message
        assert message.startswith(f"SQLite database {tmp_path / 'q.db'}: the disk is full ")
        assert "database or disk is full" in message
        assert all_jobs(app) == []
        _free_space(app)
        app.render("index")  # the same render succeeds once there is room
        assert len(all_jobs(app)) == 20


def test_a_worker_on_a_full_disk_backs_off_and_goes_on_when_space_returns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="liqueue.worker")
    with _app(tmp_path) as queued:
        queued.render("index")
    with App(tmp_path, database_url=f"sqlite:///{tmp_path}/q.db") as app:
        _fill_disk(app)
        worker = Worker(app, WorkerOptions(concurrency=2, burst=True))
        failures: list[BaseException] = []

        def work() -> None:
            try:
                worker.run()
            except BaseException as err:  # the test reports it below
                failures.append(err)

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while "store unavailable" not in caplog.text and time.monotonic() < deadline:
            assert thread.is_alive(), failures
            time.sleep(0.05)
        assert "disk is full" in caplog.text, caplog.text
        assert thread.is_alive(), failures
        _free_space(app)
        thread.join(timeout=120)
        assert not thread.is_alive()
        assert failures == []
        assert "store available again" in caplog.text
        states = [job.state for job in app.store.list_jobs(JobQuery(limit=100))]
    assert states == [JobState.DONE] * 20
