"""A job whose NOTIFY never arrives (a pooler drops LISTEN, a row written by hand) still runs."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

from liqueue import App
from liqueue.testing import wait_for
from tests.apps import write_app
from tests.processes import Process

from .db import all_done

ONE = "{% background source_name: 'one' %}ok{% endbackground %}"


def copy_job_without_notify(url: str) -> None:
    """Queue a copy of the first job with plain SQL: no pg_notify, so no wake-up."""
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TEMP TABLE copied AS SELECT * FROM jobs LIMIT 1")
        conn.execute(
            "UPDATE copied SET id = %s, state = 'scheduled', attempt = 0, worker_id = NULL,"
            " lease_until = NULL, started_at = NULL, finished_at = NULL,"
            " run_at = extract(epoch FROM clock_timestamp())",
            (str(uuid.uuid4()),),
        )
        conn.execute("INSERT INTO jobs SELECT * FROM copied")


def test_an_idle_worker_finds_a_job_that_sent_no_wake_up_within_its_poll_interval(
    tmp_path: Path, pg_url: str, start_worker: Callable[..., Process]
) -> None:
    root = write_app(tmp_path / "app", {"views/pages/one.liquid": ONE}, "poll_interval: 1s\n")
    worker = start_worker(root, pg_url)
    with App(root, database_url=pg_url) as app:
        app.render("one")
        wait_for(lambda: all_done(pg_url, 1), timeout=30)
        time.sleep(0.3)  # the worker is idle again, waiting on NOTIFY
        copied_at = time.monotonic()
        copy_job_without_notify(pg_url)
        wait_for(lambda: all_done(pg_url, 2), timeout=10, interval=0.01)
        waited = time.monotonic() - copied_at
    assert worker.stop() == 0, worker.output()
    assert 0.05 < waited < 2.5, waited  # not woken, yet found by the 1 s poll
