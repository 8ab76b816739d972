"""Several worker processes: start them, pass signals on, report how they ended.

Each child is a fresh interpreter (multiprocessing's spawn) handed a
`ChildSpec` through multiprocessing's pipe, so nothing of it, the database
URL and its password least of all, shows on the child's command line.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from liqueue.app import App
from liqueue.errors import LiqueueError
from liqueue.worker.worker import WorkerOptions, run_in_this_process

LOG_FORMAT = "%(asctime)s %(name)s %(message)s"


@dataclass(frozen=True)
class ChildSpec:
    """What a worker process needs to open the application and run."""

    root: Path
    database_url: str
    options: WorkerOptions


def run_child(spec: ChildSpec) -> None:
    """The body of a child process; its exit code is the worker's."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        with App(spec.root, database_url=spec.database_url) as app:
            code = run_in_this_process(app, spec.options)
    except LiqueueError as err:
        print(f"error: {err}", file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.exit(code)


def supervise(app: App, processes: int, options: WorkerOptions) -> int:
    spec = ChildSpec(app.root, app.database_url, options)
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=run_child, args=(spec,), name=f"liqueue-worker-{n}")
        for n in range(processes)
    ]

    def forward(signum: int, _frame: FrameType | None) -> None:
        for child in children:
            if child.pid is not None and child.exitcode is None:
                os.kill(child.pid, signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for child in children:
            child.start()
        for child in children:
            child.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    codes = [child.exitcode or 0 for child in children]
    return max((code for code in codes if code > 0), default=0)
