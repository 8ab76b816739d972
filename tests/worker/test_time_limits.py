"""The executor's watchdog stops over-time jobs by itself (worker/executor.py).

Only the watchdog enforces limits: a worker's main thread may be
busy in a store call for longer than a job's limit.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from liqueue import App
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.worker.executor import Executor
from liqueue.worker.wiring import attempt_parts
from tests.apps import write_app

# Seconds of work on any host: only a time limit ends these jobs in time.
ENDLESS = "{% for i in (1..90000000) %}{% endfor %}"
CONFIG = """
limits:
  loop_iterations: 100000000
priorities:
  high: {time_limit: 0.2}
  default: {time_limit: 1.5}
"""
BOUND = 20.0  # seconds: a limit not enforced, not a slow machine, goes past this


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": f"""
            {{% background priority: 'default', source_name: 'long' %}}{ENDLESS}{{% endbackground %}}
            {{% background priority: 'high', source_name: 'short' %}}{ENDLESS}{{% endbackground %}}
        """,
    }, CONFIG)  # fmt: skip
    with App(root, database_url=f"sqlite:///{tmp_path}/q.db") as opened:
        opened.render("index")
        yield opened


def _executor(app: App, concurrency: int) -> tuple[Executor, queue.SimpleQueue[object]]:
    parts = attempt_parts(app)
    results: queue.SimpleQueue[object] = queue.SimpleQueue()
    return Executor(concurrency, parts.runner, parts.time_limits, results), results


def _next_outcome(results: queue.SimpleQueue[object]) -> AttemptOutcome:
    outcome = results.get(timeout=BOUND)
    assert isinstance(outcome, AttemptOutcome)
    return outcome


def test_a_job_is_stopped_at_its_limit_with_no_one_asking(app: App) -> None:
    [job] = app.store.claim("w", 1, app.clock.now(), 600, ["high"])
    executor, results = _executor(app, 1)
    started = time.monotonic()
    executor.submit(job)
    outcome = _next_outcome(results)
    assert outcome.error_message == "time limit exceeded (0.2s for high priority)"
    assert time.monotonic() - started < 0.2 + 1.0
    executor.stop()


def test_a_shorter_limit_started_later_is_stopped_first(app: App) -> None:
    jobs = app.store.claim("w", 2, app.clock.now(), 600, ["default", "high"])
    assert [job.source_name for job in jobs] == ["long", "short"]
    executor, results = _executor(app, 2)
    started = time.monotonic()
    for job in jobs:  # the watchdog sleeps until the long job's deadline, then learns of 0.2 s
        executor.submit(job)
    first, second = _next_outcome(results), _next_outcome(results)
    assert [first.job_id, second.job_id] == [jobs[1].id, jobs[0].id]
    assert second.error_message == "time limit exceeded (1.5s for default priority)"
    assert time.monotonic() - started < 1.5 + 1.0
    executor.stop()


def test_stop_ends_the_watchdog(app: App) -> None:
    before = set(threading.enumerate())
    executor, _ = _executor(app, 1)
    [watchdog] = [t for t in set(threading.enumerate()) - before if t.name == "liqueue-time-limits"]
    executor.stop()
    watchdog.join(timeout=BOUND)
    assert not watchdog.is_alive(), "the watchdog outlived its executor"
