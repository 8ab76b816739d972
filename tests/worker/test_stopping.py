"""Stopping `liqueue worker` as a terminal does: Ctrl-C to the whole process group.

Each worker runs in a session of its own, so `os.killpg` reaches it and its
children exactly as a terminal's Ctrl-C reaches a foreground job. The grace
period is long (10 min): a worker that exits well before it was stopped at
once, not by the grace period running out.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from liqueue import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from liqueue.testing import wait_for
from tests.apps import sleep, write_app
from tests.processes import children, gone

# Far longer than any test waits: these jobs only end by being handed back.
ENDLESS = "{% for i in (1..90000000) %}{% endfor %}"
CONFIG = "limits:\n  loop_iterations: 100000000\nlease_seconds: 600\n"
BOUND = 60  # seconds: a hang, not a slow machine, goes past this


class Worker:
    def __init__(self, root: Path, db: str, log: Path, *args: str) -> None:
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "liqueue.cli", "worker", str(root), "--db", db, *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text()

    def ctrl_c(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)

    def children(self) -> list[int]:
        return children(self.process.pid)


@pytest.fixture
def started() -> Iterator[list[Worker]]:
    workers: list[Worker] = []
    yield workers
    for worker in workers:
        if worker.process.poll() is None:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait(timeout=BOUND)


def running(app: App) -> int:
    return len(app.store.list_jobs(JobQuery(state=JobState.RUNNING)))


def endless_app(tmp_path: Path, jobs: int) -> Path:
    return write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"{{% for i in (1..{jobs}) %}}{{% background source_name: 'endless', i: i %}}{ENDLESS}{{% endbackground %}}{{% endfor %}}",
    }, CONFIG)  # fmt: skip


@pytest.mark.parametrize("processes", ["1", "2"])
def test_ctrl_c_twice_stops_at_once_handing_running_jobs_back(
    tmp_path: Path, started: list[Worker], processes: str
) -> None:
    root = endless_app(tmp_path, 4)
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("index")
        worker = Worker(
            root, db, tmp_path / "worker.log",
            "--processes", processes, "--concurrency", "2", "--grace", "10m",
        )  # fmt: skip
        started.append(worker)
        wait_for(lambda: running(app) == 4, timeout=BOUND)
        stopped_at = time.monotonic()
        worker.ctrl_c()
        wait_for(lambda: "Ctrl-C again to stop now" in worker.output(), timeout=BOUND)
        assert worker.process.poll() is None  # the first Ctrl-C waits for running jobs
        worker.ctrl_c()
        assert worker.process.wait(timeout=BOUND) == 0, worker.output()
        assert time.monotonic() - stopped_at < 600  # not by the grace period running out
        output = worker.output()
        assert "Traceback" not in output, output
        assert "handing back" in output, output
        jobs = app.store.list_jobs(JobQuery())
        assert [job.state for job in jobs] == [JobState.SCHEDULED] * 4, output
        assert {job.worker_id for job in jobs} == {None}


def test_one_ctrl_c_to_the_group_is_one_request_to_stop(
    tmp_path: Path, started: list[Worker]
) -> None:
    """The children see the terminal's Ctrl-C only through the parent: still graceful."""
    # Each job lasts 3 s: still running when the children hear of the Ctrl-C (jobs
    # timed by loop turns ended first as rendering got faster, leaving nothing to finish).
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"{{% for i in (1..2) %}}{{% background source_name: 'short', i: i %}}{sleep(3)}{{% endbackground %}}{{% endfor %}}",
    }, CONFIG, with_sleep=True)  # fmt: skip
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("index")
        worker = Worker(
            root, db, tmp_path / "worker.log",
            "--processes", "2", "--concurrency", "1", "--grace", "10m",
        )  # fmt: skip
        started.append(worker)
        wait_for(lambda: running(app) == 2, timeout=BOUND)
        worker.ctrl_c()
        assert worker.process.wait(timeout=BOUND * 3) == 0, worker.output()
        output = worker.output()
        assert "finishing 1 job running, grace 600 s" in output, output
        assert "still running" not in output, output  # a second request would hand them back
        states = sorted(job.state.value for job in app.store.list_jobs(JobQuery()))
        # Each job running finished; one claimed ahead behind it may have gone back.
        assert states in (["done", "done"], ["done", "scheduled"]), output


def test_children_stop_when_the_parent_is_killed(tmp_path: Path, started: list[Worker]) -> None:
    root = endless_app(tmp_path, 2)
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("index")
        worker = Worker(
            root, db, tmp_path / "worker.log",
            "--processes", "2", "--concurrency", "1", "--grace", "0s",
        )  # fmt: skip
        started.append(worker)
        wait_for(lambda: running(app) == 2, timeout=BOUND)
        pids = worker.children()
        assert len(pids) >= 2
        worker.process.send_signal(signal.SIGKILL)  # the parent only
        worker.process.wait(timeout=BOUND)
        wait_for(lambda: all(gone(pid) for pid in pids), timeout=BOUND)
        # They stopped as on SIGTERM: what they ran went back at once.
        jobs = app.store.list_jobs(JobQuery())
        assert [job.state for job in jobs] == [JobState.SCHEDULED] * 2, worker.output()


def test_the_worker_says_what_it_runs_on_and_what_a_burst_did(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": """
            {% background source_name: 'fine' %}ok{% endbackground %}
            {% background source_name: 'again', max_attempts: 3 %}{% raise 'boom' %}{% endbackground %}
            {% background source_name: 'broken', max_attempts: 1 %}{% raise 'boom' %}{% endbackground %}
        """,
    })  # fmt: skip
    db = f"sqlite:///{tmp_path}/q.db"
    with App(root, database_url=db) as app:
        app.render("index")
    result = subprocess.run(
        [sys.executable, "-m", "liqueue.cli", "worker", str(root), "--db", db, "--burst",
         "--processes", "2", "--concurrency", "3"],
        capture_output=True, text=True, timeout=BOUND * 2, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"starting: app {root}, database {db}, 2 processes x 3 job(s) at a time" in (
        result.stderr
    )
    assert "burst finished: ran 3 jobs: 1 succeeded, 2 failed (1 will retry, 1 dead)" in (
        result.stderr
    ), result.stderr
