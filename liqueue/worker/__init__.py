"""Workers: claiming, concurrency, leases, time limits, graceful shutdown, rescue."""

from __future__ import annotations

import logging

from liqueue.app import App
from liqueue.store.url import redact
from liqueue.worker.supervisor import supervise
from liqueue.worker.worker import Worker, WorkerOptions, run_in_this_process

__all__ = ["Worker", "WorkerOptions", "run"]

log = logging.getLogger("liqueue.worker")


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
    app.store.check_schema()  # a database liqueue cannot use is the only thing said
    log.info(
        "starting: app %s, database %s, %d process%s x %d job(s) at a time%s",
        app.root,
        redact(app.database_url),
        processes,
        "" if processes == 1 else "es",
        concurrency,
        ", until nothing is due (--burst)" if burst else "; Ctrl-C to stop",
    )
    if processes > 1:
        code, summary = supervise(app, processes, options)
    else:
        code, summary = 0, run_in_this_process(app, options)
    if burst:
        log.info("burst finished: %s", summary)
    return code
