"""Workers: claiming, concurrency, leases, time limits, graceful shutdown, rescue."""

from __future__ import annotations

from liqueue.app import App
from liqueue.worker.supervisor import supervise
from liqueue.worker.worker import Worker, WorkerOptions, run_in_this_process

__all__ = ["Worker", "WorkerOptions", "run"]


def run(
    app: App,
    *,
    processes: int = 1,
    concurrency: int = 4,
    burst: bool = False,
    burst_horizon: float = 0.0,
    grace_seconds: float = 10.0,
) -> int:
    """Run workers until SIGTERM/Ctrl-C (or, with `burst`, until nothing is due).

    Returns the exit code: 0 after a clean stop.
    """
    options = WorkerOptions(
        concurrency=concurrency,
        burst=burst,
        burst_horizon=burst_horizon,
        grace_seconds=grace_seconds,
    )
    if processes > 1:
        return supervise(app, processes, options)
    return run_in_this_process(app, options)
