"""Worker processes on one database, on every backend: sharing, time limits,
SIGTERM with and without grace, kill -9."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

from liqueue import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery, LogQuery
from liqueue.testing import wait_for
from tests.apps import SLOW_LOOP, sleep, write_app
from tests.processes import Process

StartWorker = Callable[..., Process]

LIMITS = """
limits:
  loop_iterations: 100000000
"""

# The victim is killed as soon as it holds the jobs, and the survivor runs them
# all: a second and a half each is long enough, and keeps the test short.
KILLED_JOB = sleep(1.5)


def states(app: App) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job in app.store.list_jobs(JobQuery(limit=100_000)):
        counts[job.state.value] = counts.get(job.state.value, 0) + 1
    return counts


def test_two_processes_share_one_file_and_run_each_job_once(
    tmp_path: Path, db_url: str, start_worker: StartWorker
) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/many.liquid": """
            {% for i in (1..400) %}{% background source_name: 'bulk', i: i %}{{ i }}{% endbackground %}{% endfor %}
        """,
    })  # fmt: skip
    with App(root, database_url=db_url) as app:
        app.render("many")
        workers = [start_worker(root, db_url, "--concurrency", "2", "--burst") for _ in range(2)]
        codes = [w.wait(timeout=60) for w in workers]
        outputs = [w.output() for w in workers]
        assert codes == [0, 0], outputs
        assert "database is locked" not in "".join(outputs)
        assert states(app) == {"done": 400}
        lines = app.store.read_logs(LogQuery(type="attempt", source_name="bulk"))
        assert len(lines) == 400
        assert {line.attempt for line in lines} == {1}
        assert len({line.job_id for line in lines}) == 400


def test_time_limit_stops_the_job_and_the_worker_goes_on(
    tmp_path: Path, db_url: str, start_worker: StartWorker
) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% background priority: 'high', source_name: 'too_slow' %}}{SLOW_LOOP}{{% endbackground %}}
            {{% background priority: 'low', source_name: 'quick' %}}ok{{% endbackground %}}
        """,
    }, LIMITS + "priorities:\n  high: {time_limit: 0.3}\n")  # fmt: skip
    with App(root, database_url=db_url) as app:
        app.render("index")
        worker = start_worker(root, db_url, "--concurrency", "1", "--burst")
        assert worker.wait(timeout=60) == 0, worker.output()
        slow = app.store.list_jobs(JobQuery(source_name="too_slow"))[0]
        assert slow.state is JobState.DEAD
        assert slow.error_message == "time limit exceeded (0.3s for high priority)"
        line = app.store.read_logs(LogQuery(source_name="too_slow", type="attempt"))[0]
        assert "FAILED" in line.message and "time limit exceeded" in line.message
        assert line.duration_ms is not None and 250 <= line.duration_ms < 3000
        quick = app.store.list_jobs(JobQuery(source_name="quick"))[0]
        assert quick.state is JobState.DONE


def test_sigterm_finishes_running_jobs_and_hands_back_the_rest(
    tmp_path: Path, db_url: str, start_worker: StartWorker
) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% for i in (1..5) %}}{{% background source_name: 'slow', i: i %}}{sleep(3)}{{% endbackground %}}{{% endfor %}}
        """,
    }, with_sleep=True)  # fmt: skip
    with App(root, database_url=db_url) as app:
        app.render("index")
        worker = start_worker(root, db_url, "--concurrency", "1", "--grace", "60")
        wait_for(lambda: states(app).get("running", 0) >= 1, timeout=20)
        assert worker.stop(signal.SIGTERM, timeout=60) == 0, worker.output()
        counts = states(app)
        assert counts.get("done") == 1, counts  # the one running finished
        assert counts.get("scheduled") == 4, counts  # the rest went back unrun
        for job in app.store.list_jobs(JobQuery(state=JobState.SCHEDULED)):
            assert job.attempt == 0 and job.worker_id is None


def test_kill_9_loses_nothing(tmp_path: Path, db_url: str, start_worker: StartWorker) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% for i in (1..3) %}}{{% background source_name: 'slow', i: i %}}{KILLED_JOB}{{% endbackground %}}{{% endfor %}}
        """,
    }, "lease_seconds: 1\n", with_sleep=True)  # fmt: skip
    with App(root, database_url=db_url) as app:
        app.render("index")
        victim = start_worker(root, db_url, "--concurrency", "2")
        wait_for(lambda: states(app).get("running", 0) >= 2, timeout=20)
        victim.stop(signal.SIGKILL)
        started = time.monotonic()
        time.sleep(1.2)  # a burst worker only runs what is due: let the 1 s leases expire
        survivor = start_worker(root, db_url, "--concurrency", "2", "--burst", "--horizon", "5")
        assert survivor.wait(timeout=120) == 0, survivor.output()
        assert states(app) == {"done": 3}
        # The victim held all three (two running, one claimed ahead); each ran to the
        # end exactly once afterwards, on its first counted attempt.
        rescues = app.store.read_logs(LogQuery(type="rescue"))
        assert len(rescues) == 3
        attempts = app.store.read_logs(LogQuery(type="attempt"))
        assert sorted((a.attempt, a.status) for a in attempts) == [(1, "SUCCESS")] * 3
        assert time.monotonic() - started < 60


def test_sigterm_with_grace_zero_hands_back_every_claimed_job(
    tmp_path: Path, db_url: str, start_worker: StartWorker
) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% for i in (1..5) %}}{{% background source_name: 'slow', i: i %}}{SLOW_LOOP}{{% endbackground %}}{{% endfor %}}
        """,
    }, LIMITS)  # fmt: skip
    with App(root, database_url=db_url) as app:
        app.render("index")
        worker = start_worker(root, db_url, "--concurrency", "1", "--grace", "0")
        wait_for(lambda: len(app.store.list_jobs(JobQuery(state=JobState.RUNNING))) == 5)
        assert worker.stop(signal.SIGTERM, timeout=60) == 0
        output = worker.output()
        # Nothing is left leased to a worker that is gone: all five are due again
        # now, not once their leases run out.
        jobs = app.store.list_jobs(JobQuery())
        assert sorted(job.state.value for job in jobs) == ["scheduled"] * 5, output
        assert "store unavailable" not in output
