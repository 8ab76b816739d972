"""Shutdown with no grace period still hands back what it claimed."""

from __future__ import annotations

import signal
from pathlib import Path

from liqueue import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from liqueue.testing import wait_for

from .apps import SLOW_LOOP, write_app
from .processes import start_worker, stop

LIMITS = """
limits:
  loop_iterations: 100000000
"""


def test_sigterm_with_grace_zero_hands_back_every_claimed_job(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% for i in (1..5) %}}{{% background source_name: 'slow', i: i %}}{SLOW_LOOP}{{% endbackground %}}{{% endfor %}}
        """,
    }, LIMITS)  # fmt: skip
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("index")
        worker = start_worker(root, db, "--concurrency", "1", "--grace", "0")
        wait_for(lambda: len(app.store.list_jobs(JobQuery(state=JobState.RUNNING))) == 5)
        assert stop(worker, signal.SIGTERM, timeout=60) == 0
        output = worker.stdout.read() if worker.stdout else ""
        # Nothing is left leased to a worker that is gone: all five are due again
        # now, not once their leases run out.
        jobs = app.store.list_jobs(JobQuery())
        assert sorted(job.state.value for job in jobs) == ["scheduled"] * 5, output
        assert "store unavailable" not in output
