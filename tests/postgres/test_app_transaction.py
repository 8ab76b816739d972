"""`App.render(page, connection=conn)`: the page's jobs join the caller's transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import psycopg

from liqueue import App
from liqueue.store import JobQuery, LogQuery
from liqueue.testing import wait_for
from tests.apps import write_app
from tests.processes import Process

from .db import all_done, listeners, state_counts

ORDER = """
{% background source_name: 'confirm', order_id: params.id %}{% log order_id, type: 'confirmed' %}{% endbackground %}
"""


def test_commit_queues_the_pages_jobs_and_rollback_queues_nothing(
    tmp_path: Path, pg_url: str, start_worker: Callable[..., Process]
) -> None:
    root = write_app(tmp_path / "app", {"views/pages/order.liquid": ORDER})
    worker = start_worker(root, pg_url, "--concurrency", "1")
    wait_for(lambda: listeners(pg_url) == 1, timeout=30)  # up, and waiting for wake-ups
    with App(root, database_url=pg_url) as app, psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE orders (id integer PRIMARY KEY)")
        conn.commit()

        conn.execute("INSERT INTO orders VALUES (1)")
        app.render("order", {"id": 1}, connection=conn)
        conn.rollback()

        conn.execute("INSERT INTO orders VALUES (2)")
        app.render("order", {"id": 2}, connection=conn)
        time.sleep(0.3)
        assert state_counts(pg_url) == {}, "a worker saw the job before the commit"
        conn.commit()

        wait_for(lambda: all_done(pg_url, 1), timeout=10)
        assert conn.execute("SELECT id FROM orders").fetchall() == [(2,)]
        (job,) = app.store.list_jobs(JobQuery())
        assert job.arguments == {"order_id": 2}
        confirmed = app.store.read_logs(LogQuery(type="confirmed"))
        assert [entry.message for entry in confirmed] == ["2"]
    assert worker.stop() == 0, worker.output()
