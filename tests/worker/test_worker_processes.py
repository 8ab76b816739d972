"""Worker processes on one SQLite file: sharing, time limits, SIGTERM, kill -9."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from liqueue import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery, LogQuery
from liqueue.testing import wait_for

from .apps import SLOW_LOOP, write_app
from .processes import start_worker, stop

LIMITS = """
limits:
  loop_iterations: 100000000
"""


def states(app: App) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job in app.store.list_jobs(JobQuery(limit=100_000)):
        counts[job.state.value] = counts.get(job.state.value, 0) + 1
    return counts


def test_two_processes_share_one_file_and_run_each_job_once(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/many.liquid": """
            {% for i in (1..400) %}{% background source_name: 'bulk', i: i %}{{ i }}{% endbackground %}{% endfor %}
        """,
    })  # fmt: skip
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("many")
        workers = [start_worker(root, db, "--concurrency", "2", "--burst") for _ in range(2)]
        outputs = [w.communicate(timeout=60)[0] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
        assert "database is locked" not in "".join(outputs)
        assert states(app) == {"done": 400}
        lines = app.store.read_logs(LogQuery(type="attempt", source_name="bulk"))
        assert len(lines) == 400
        assert {line.attempt for line in lines} == {1}
        assert len({line.job_id for line in lines}) == 400


def test_time_limit_stops_the_job_and_the_worker_goes_on(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% background priority: 'high', source_name: 'too_slow' %}}{SLOW_LOOP}{{% endbackground %}}
            {{% background priority: 'low', source_name: 'quick' %}}ok{{% endbackground %}}
        """,
    }, LIMITS + "priorities:\n  high: {time_limit: 0.3}\n")  # fmt: skip
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("index")
        worker = start_worker(root, db, "--concurrency", "1", "--burst")
        output = worker.communicate(timeout=60)[0]
        assert worker.returncode == 0, output
        slow = app.store.list_jobs(JobQuery(source_name="too_slow"))[0]
        assert slow.state is JobState.DEAD
        assert slow.error_message == "time limit exceeded (0.3s for high priority)"
        line = app.store.read_logs(LogQuery(source_name="too_slow", type="attempt"))[0]
        assert "FAILED" in line.message and "time limit exceeded" in line.message
        assert line.duration_ms is not None and 250 <= line.duration_ms < 3000
        quick = app.store.list_jobs(JobQuery(source_name="quick"))[0]
        assert quick.state is JobState.DONE


def test_sigterm_finishes_running_jobs_and_hands_back_the_rest(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% for i in (1..5) %}}{{% background source_name: 'slow', i: i %}}{SLOW_LOOP}{{% endbackground %}}{{% endfor %}}
        """,
    }, LIMITS)  # fmt: skip
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("index")
        worker = start_worker(root, db, "--concurrency", "1", "--grace", "60")
        wait_for(lambda: states(app).get("running", 0) >= 1, timeout=20)
        assert stop(worker, signal.SIGTERM, timeout=60) == 0
        counts = states(app)
        assert counts.get("done") == 1, counts  # the one running finished
        assert counts.get("scheduled") == 4, counts  # the rest went back unrun
        for job in app.store.list_jobs(JobQuery(state=JobState.SCHEDULED)):
            assert job.attempt == 0 and job.worker_id is None


def test_kill_9_loses_nothing(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% for i in (1..3) %}}{{% background source_name: 'slow', i: i %}}{SLOW_LOOP}{{% endbackground %}}{{% endfor %}}
        """,
    }, LIMITS + "lease_seconds: 1\n")  # fmt: skip
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("index")
        victim = start_worker(root, db, "--concurrency", "2")
        wait_for(lambda: states(app).get("running", 0) >= 2, timeout=20)
        stop(victim, signal.SIGKILL)
        started = time.monotonic()
        time.sleep(1.2)  # a burst worker only runs what is due: let the 1 s leases expire
        survivor = start_worker(root, db, "--concurrency", "2", "--burst", "--horizon", "5")
        output = survivor.communicate(timeout=120)[0]
        assert survivor.returncode == 0, output
        assert states(app) == {"done": 3}
        # The victim held all three (two running, one claimed ahead); each ran to the
        # end exactly once afterwards, on its first counted attempt.
        rescues = app.store.read_logs(LogQuery(type="rescue"))
        assert len(rescues) == 3
        attempts = app.store.read_logs(LogQuery(type="attempt"))
        assert sorted((a.attempt, a.status) for a in attempts) == [(1, "SUCCESS")] * 3
        assert time.monotonic() - started < 60
