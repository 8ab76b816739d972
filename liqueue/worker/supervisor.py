"""Several worker processes: start them, pass signals on, report how they ended."""

from __future__ import annotations

import signal
import subprocess
import sys
from types import FrameType

from liqueue.app import App
from liqueue.worker.producer import WorkerOptions


def child_command(app: App, options: WorkerOptions) -> list[str]:
    command = [
        sys.executable, "-m", "liqueue.worker", str(app.root),
        "--db", app.database_url,
        "--concurrency", str(options.concurrency),
        "--grace", str(options.grace_seconds),
    ]  # fmt: skip
    if options.burst:
        command += ["--burst", "--horizon", str(options.burst_horizon)]
    return command


def supervise(app: App, processes: int, options: WorkerOptions) -> int:
    children = [subprocess.Popen(child_command(app, options)) for _ in range(processes)]

    def forward(signum: int, _frame: FrameType | None) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        codes = [child.wait() for child in children]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return max((code for code in codes if code > 0), default=0)
