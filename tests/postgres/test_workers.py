"""Real worker processes on the real PostgreSQL server: many workers, one database."""

from __future__ import annotations

import signal
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import psycopg

from liqueue import App
from liqueue.store import LogQuery
from liqueue.testing import wait_for
from tests.apps import sleep, write_app
from tests.processes import Process, liqueue_cli

from . import server
from .db import all_done, listeners, state_counts

StartWorker = Callable[..., Process]

# `count` background jobs from one render, each lasting `pause` seconds (a set time,
# not loop turns, which each speed-up of rendering would shorten).
MANY = f"""
{{% for i in (1..count) %}}{{% background source_name: 'bulk', i: i, pause: pause %}}{{% if pause > 0 %}}{sleep("pause")}{{% endif %}}{{{{ i }}}}{{% endbackground %}}{{% endfor %}}
"""
ONE = "{% background source_name: 'one' %}ok{% endbackground %}"


def test_worker_refuses_an_unmigrated_database_then_starts_after_migrate(
    tmp_path: Path, fresh_database: str, start_worker: StartWorker
) -> None:
    root = write_app(tmp_path / "app", {"views/pages/one.liquid": ONE})
    refused = start_worker(root, fresh_database, "--burst")
    assert refused.wait(timeout=30) == 1
    output = refused.output()
    assert f"run `liqueue migrate {root} --db {fresh_database}`" in output, output
    assert "no liqueue schema" in output, output
    assert "Traceback" not in output, output

    migrated = liqueue_cli("migrate", str(root), "--db", fresh_database)
    assert migrated.returncode == 0, migrated.stderr
    assert "schema migrated from version 0" in migrated.stdout

    with App(root, database_url=fresh_database) as app:
        app.render("one")
    worker = start_worker(root, fresh_database, "--burst")
    assert worker.wait(timeout=30) == 0, worker.output()
    assert state_counts(fresh_database) == {"done": 1}


def test_four_workers_run_twenty_thousand_jobs_exactly_once(
    tmp_path: Path, pg_url: str, start_worker: StartWorker
) -> None:
    jobs = 20_000
    # One render queues them all: above the default limits.jobs_per_render.
    config = "limits: {jobs_per_render: 20000}\n"
    root = write_app(tmp_path / "app", {"views/pages/many.liquid": MANY}, config, with_sleep=True)
    with App(root, database_url=pg_url) as app:
        started = time.monotonic()
        app.render("many", {"count": jobs, "pause": 0})
        assert time.monotonic() - started < 15, "enqueueing 20,000 jobs from one render"
        workers = [start_worker(root, pg_url, "--concurrency", "4", "--burst") for _ in range(4)]
        for worker in workers:
            assert worker.wait(timeout=120) == 0, worker.output()
        assert state_counts(pg_url) == {"done": jobs}

        lines = app.store.read_logs(LogQuery(type="attempt", source_name="bulk"))
        per_job = Counter(line.job_id for line in lines)
        assert len(per_job) == jobs
        assert set(per_job.values()) == {1}, "some job ran more than once"
        assert {(line.attempt, line.status) for line in lines} == {(1, "SUCCESS")}
        assert app.store.read_logs(LogQuery(type="rescue")) == []

    with psycopg.connect(pg_url) as conn:
        by_worker = conn.execute(
            "SELECT worker_id, count(*) FROM jobs GROUP BY worker_id"
        ).fetchall()
    pids = {int(worker_id.split(":")[1]) for worker_id, _ in by_worker}
    assert pids == {worker.pid for worker in workers}, "every worker took a share"


def held_by(url: str, pid: int) -> set[str]:
    with psycopg.connect(url) as conn:
        found = conn.execute(
            "SELECT id FROM jobs WHERE state = 'running' AND worker_id LIKE %s",
            (f"%:{pid}:%",),
        ).fetchall()
    return {row[0] for row in found}


def freeze_holding_jobs(worker: Process, url: str) -> set[str]:
    """SIGSTOP the worker at a moment it holds running jobs; return their ids.

    Frozen, it can neither finish nor claim, so what it holds stays put; its
    leases, renewed at most a third of lease_seconds ago, outlive this look.
    """
    for _ in range(100):
        worker.send(signal.SIGSTOP)
        time.sleep(0.05)  # statements it had already sent finish on the server
        held = held_by(url, worker.pid)
        if held:
            return held
        worker.send(signal.SIGCONT)
        time.sleep(0.02)
    raise AssertionError("the worker never held a job when frozen")


def test_kill_9_loses_nothing_and_reruns_only_what_the_victim_held(
    tmp_path: Path, pg_url: str, start_worker: StartWorker
) -> None:
    jobs = 1000
    root = write_app(
        tmp_path / "app", {"views/pages/many.liquid": MANY}, "lease_seconds: 1\n", with_sleep=True
    )
    with App(root, database_url=pg_url) as app:
        app.render("many", {"count": jobs, "pause": 0.03})
        victim = start_worker(root, pg_url, "--concurrency", "4")
        survivors = [start_worker(root, pg_url, "--concurrency", "2") for _ in range(2)]
        wait_for(lambda: state_counts(pg_url).get("done", 0) >= 100, timeout=30)
        held = freeze_holding_jobs(victim, pg_url)
        victim.stop(signal.SIGKILL)

        wait_for(lambda: all_done(pg_url, jobs), timeout=60)
        for survivor in survivors:
            assert survivor.stop() == 0, survivor.output()

        rescues = app.store.read_logs(LogQuery(type="rescue"))
        assert Counter(entry.job_id for entry in rescues) == Counter(held)
        lines = app.store.read_logs(LogQuery(type="attempt", source_name="bulk"))
        assert Counter(line.job_id for line in lines).most_common(1)[0][1] == 1
        assert len(lines) == jobs
        assert {(line.attempt, line.status) for line in lines} == {(1, "SUCCESS")}
    with psycopg.connect(pg_url) as conn:
        rescued = conn.execute("SELECT id FROM jobs WHERE rescues > 0").fetchall()
    assert {row[0] for row in rescued} == held
    assert "rescued" in "".join(s.output() for s in survivors)


def test_workers_survive_a_server_restart(
    tmp_path: Path, pg_url: str, start_worker: StartWorker
) -> None:
    server.require_restartable()
    jobs = 2000
    pages = {"views/pages/many.liquid": MANY, "views/pages/one.liquid": ONE}
    root = write_app(tmp_path / "app", pages, "lease_seconds: 3\n", with_sleep=True)
    with App(root, database_url=pg_url) as app:
        app.render("many", {"count": jobs, "pause": 0.015})
    workers = [start_worker(root, pg_url, "--concurrency", "2") for _ in range(2)]
    try:
        wait_for(lambda: state_counts(pg_url).get("done", 0) >= 100, timeout=30)
        server.restart()
        back_at = time.time()
    finally:
        server.ensure_running()
    for worker in workers:
        assert worker.alive(), worker.output()

    def finished_since(moment: float) -> int:
        with psycopg.connect(pg_url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM jobs WHERE state = 'done' AND finished_at > %s", (moment,)
            ).fetchone()
        return int(row[0]) if row else 0

    wait_for(lambda: finished_since(back_at) > 0, timeout=10)  # reconnected within seconds
    assert not all_done(pg_url, jobs), "the restart came too late to be mid-run"
    wait_for(lambda: all_done(pg_url, jobs), timeout=60)
    # Each worker's NOTIFY listener is back: a job from this process starts at once.
    wait_for(lambda: listeners(pg_url) == len(workers), timeout=10)
    with App(root, database_url=pg_url) as app:
        app.render("one")
    wait_for(lambda: all_done(pg_url, jobs + 1), timeout=2, interval=0.005)
    for worker in workers:
        assert worker.stop() == 0, worker.output()

    with psycopg.connect(pg_url) as conn:
        found = conn.execute(
            "SELECT job_id, count(*) FROM logs WHERE type = 'attempt' AND status = 'SUCCESS' "
            "GROUP BY job_id"
        ).fetchall()
        failed = conn.execute(
            "SELECT count(*) FROM logs WHERE type = 'attempt' AND status <> 'SUCCESS'"
        ).fetchone()
    assert len(found) == jobs + 1  # every job has its successful attempt on record
    assert failed == (0,)


def test_an_idle_worker_picks_up_a_job_from_another_process_within_50ms(
    tmp_path: Path, pg_url: str, start_worker: StartWorker
) -> None:
    root = write_app(tmp_path / "app", {"views/pages/one.liquid": ONE})
    worker = start_worker(root, pg_url, "--concurrency", "2")
    with App(root, database_url=pg_url) as app:
        app.render("one")  # warm-up: the worker is up and listening once this is done
        wait_for(lambda: all_done(pg_url, 1), timeout=30)
        delays = []
        for n in range(2, 12):
            time.sleep(0.2)  # idle: waiting on NOTIFY, its fallback poll is 5 s away
            app.render("one")
            wait_for(lambda n=n: all_done(pg_url, n), timeout=10, interval=0.005)
        with psycopg.connect(pg_url) as conn:
            found = conn.execute(
                "SELECT started_at - created_at FROM jobs ORDER BY created_at OFFSET 1"
            ).fetchall()
        delays = [float(row[0]) for row in found]
    assert worker.stop() == 0, worker.output()
    assert len(delays) == 10
    assert statistics.median(delays) < 0.05, delays
    assert max(delays) < 1.0, delays  # far below the 5 s fallback poll


def terminate_backends(url: str) -> int:
    """What a flapping network or a failover does: every other connection to the database dies."""
    with psycopg.connect(url, autocommit=True) as admin:
        found = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND datname = current_database()"
        ).fetchall()
    return len(found)


def test_workers_ride_out_connections_dropped_again_and_again(
    tmp_path: Path, pg_url: str, start_worker: StartWorker
) -> None:
    jobs = 1200
    root = write_app(
        tmp_path / "app", {"views/pages/many.liquid": MANY}, "lease_seconds: 2\n", with_sleep=True
    )
    with App(root, database_url=pg_url) as app:
        app.render("many", {"count": jobs, "pause": 0.015})
    workers = [start_worker(root, pg_url, "--concurrency", "2") for _ in range(2)]
    wait_for(lambda: state_counts(pg_url).get("done", 0) >= 100, timeout=30)
    killed = 0
    until = time.monotonic() + 2.0
    while time.monotonic() < until:  # a retry on a fresh connection dies too
        killed += terminate_backends(pg_url)
        time.sleep(0.02)
    assert killed >= 10
    for worker in workers:
        assert worker.alive(), worker.output()
    wait_for(lambda: all_done(pg_url, jobs), timeout=60)
    for worker in workers:
        assert worker.stop() == 0, worker.output()
    with psycopg.connect(pg_url) as conn:
        found = conn.execute(
            "SELECT count(DISTINCT job_id) FROM logs WHERE type = 'attempt' AND status = 'SUCCESS'"
        ).fetchone()
    assert found == (jobs,)
