"""Workers: claiming, concurrency, leases, time limits, graceful shutdown, rescue."""

from __future__ import annotations

import signal
from types import FrameType

from liqueue.app import App
from liqueue.worker.producer import Worker, WorkerOptions
from liqueue.worker.supervisor import supervise

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
    worker = Worker(app, options)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        worker.request_stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return worker.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
