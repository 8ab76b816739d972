"""`Executor.paused`: threads hold off starting jobs while the main thread talks to
the store, but only for a moment: a store call that hangs must not stop jobs."""

from __future__ import annotations

import queue
from pathlib import Path

from liqueue import App
from liqueue.jobs import JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.worker.executor import Executor
from liqueue.worker.wiring import attempt_parts
from tests.apps import write_app


def test_a_job_submitted_during_a_long_pause_still_runs(tmp_path: Path, db_url: str) -> None:
    root = write_app(
        tmp_path / "app",
        {"views/pages/index.liquid": "{% background %}{% log 'ran' %}{% endbackground %}"},
    )
    with App(root, database_url=db_url) as app:
        app.render("index")
        parts = attempt_parts(app)
        results: queue.SimpleQueue[object] = queue.SimpleQueue()
        executor = Executor(1, parts.runner, parts.time_limits, results)
        try:
            [job] = app.store.claim(
                "w", 1, app.clock.now(), app.config.lease_seconds, parts.rotation.next_order()
            )
            with executor.paused():
                executor.submit(job)
                # Still paused: the job runs once the thread stops holding off.
                outcome = results.get(timeout=30)
                assert isinstance(outcome, AttemptOutcome)
                assert (outcome.job_id, outcome.state) == (job.id, JobState.DONE)
                assert executor.take_back_queued() == []
        finally:
            executor.stop()
