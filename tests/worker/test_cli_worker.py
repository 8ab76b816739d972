"""`liqueue worker` as users run it: several processes, signals, pruning, on every backend."""

from __future__ import annotations

import signal
from pathlib import Path

from liqueue import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery, LogQuery
from liqueue.testing import wait_for
from tests.apps import sleep, write_app
from tests.processes import Processes, children


def test_processes_flag_runs_every_job_once_across_processes(
    tmp_path: Path, db_url: str, processes: Processes
) -> None:
    # Each job lasts 20 ms, some 5 s in all for one process: far longer than the
    # second process takes to start. Trivial jobs could all be done by the first
    # process before the second one claimed any (seen in CI).
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"{{% for i in (1..1000) %}}{{% background source_name: 'bulk', i: i %}}{sleep(0.02)}{{% log i %}}{{% endbackground %}}{{% endfor %}}",
    }, with_sleep=True)  # fmt: skip
    with App(root, database_url=db_url) as app:
        app.render("index")
        process = processes.cli("worker", str(root), "--db", db_url, "--processes", "2", "--burst")
        assert process.wait(timeout=120) == 0, process.output()
        attempts = app.store.read_logs(LogQuery(type="attempt"))
        assert len(attempts) == 1000 and len({a.job_id for a in attempts}) == 1000
        # two processes really took part: each claims under its own worker id
        workers = {job.worker_id for job in app.store.list_jobs(JobQuery(limit=2000))}
        assert len(workers) == 2, workers


def test_sigterm_to_the_supervisor_stops_every_process_cleanly(
    tmp_path: Path, db_url: str, processes: Processes
) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"{{% for i in (1..6) %}}{{% background source_name: 'slow', i: i %}}{sleep(3)}{{% endbackground %}}{{% endfor %}}",
    }, with_sleep=True)  # fmt: skip
    with App(root, database_url=db_url) as app:
        app.render("index")
        process = processes.cli(
            "worker", str(root), "--db", db_url, "--processes", "2", "--concurrency", "1",
            "--grace", "60s",
        )  # fmt: skip

        def holders() -> int:
            # Each process with concurrency 1 runs the first job it claims at once
            # (the rest it claimed ahead wait behind it): two holders, two running.
            running = app.store.list_jobs(JobQuery(state=JobState.RUNNING))
            return len({job.worker_id for job in running})

        wait_for(lambda: holders() >= 2, timeout=30)
        assert process.stop(signal.SIGTERM, timeout=90) == 0, process.output()
        jobs = app.store.list_jobs(JobQuery())
        assert not [job for job in jobs if job.state is JobState.RUNNING]
        done = [job for job in jobs if job.state is JobState.DONE]
        waiting = [job for job in jobs if job.state is JobState.SCHEDULED]
        assert len(done) >= 2 and len(done) + len(waiting) == 6


def test_worker_processes_are_not_told_the_database_url_on_their_command_line(
    tmp_path: Path, processes: Processes
) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"{{% for i in (1..2) %}}{{% background source_name: 'slow', i: i %}}{sleep(3)}{{% endbackground %}}{{% endfor %}}",
    }, with_sleep=True)  # fmt: skip
    db = f"sqlite:///{tmp_path}/secret-name.db"
    with App(root, database_url=db) as app:
        app.render("index")
        process = processes.cli(
            "worker", str(root), "--db", db, "--processes", "2", "--concurrency", "1",
        )  # fmt: skip
        try:
            # Both children hold a job, so both opened the database they were given.
            wait_for(lambda: len(app.store.list_jobs(JobQuery(state=JobState.RUNNING))) == 2)
            command_lines = [
                Path(f"/proc/{child}/cmdline").read_bytes().decode()
                for child in children(process.pid)
            ]
            assert len([line for line in command_lines if "spawn_main" in line]) == 2
            assert not [line for line in command_lines if "secret-name" in line], command_lines
        finally:
            code = process.stop(signal.SIGTERM, timeout=90)
        assert code == 0, process.output()


def test_a_worker_prunes_finished_jobs_after_keep_done(
    tmp_path: Path, db_url: str, processes: Processes
) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": "{% background source_name: 'old' %}x{% endbackground %}",
    }, "keep_done: 1ms\n")  # fmt: skip
    with App(root, database_url=db_url) as app:
        app.render("index")
        first = processes.cli("worker", str(root), "--db", db_url, "--burst")
        assert first.wait(timeout=60) == 0
        assert [job.state for job in app.store.list_jobs(JobQuery())] == [JobState.DONE]
        second = processes.cli("worker", str(root), "--db", db_url, "--burst")
        assert second.wait(timeout=60) == 0
        assert app.store.list_jobs(JobQuery()) == []
