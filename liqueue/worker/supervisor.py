"""Several worker processes: start them, pass signals on once, report how they ended.

Each child is a fresh interpreter (multiprocessing's spawn) handed a
`ChildSpec` through multiprocessing's pipe, so nothing of it, the database
URL and its password least of all, shows on the child's command line.

The parent's signal handlers only count and write a byte to a pipe; the
main loop, waiting on that pipe and the children, does the rest: the first
SIGINT/SIGTERM asks every child to stop gracefully (SIGTERM), the second to
stop at once (SIGUSR1). Children are started with SIGINT ignored, so a
terminal's Ctrl-C, which reaches the whole process group, reaches them only
through the parent, once.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from multiprocessing.queues import SimpleQueue
from pathlib import Path
from types import FrameType

from liqueue.app import App
from liqueue.errors import LiqueueError
from liqueue.worker.signals import STOP_NOW_SIGNAL
from liqueue.worker.worker import BurstSummary, WorkerOptions, run_in_this_process

LOG_FORMAT = "%(asctime)s %(name)s %(message)s"

log = logging.getLogger("liqueue.worker")


@dataclass(frozen=True)
class ChildSpec:
    """What a worker process needs to open the application and run."""

    root: Path
    database_url: str
    options: WorkerOptions
    parent_pid: int


def run_child(spec: ChildSpec, summaries: SimpleQueue[BurstSummary]) -> None:
    """The body of a child process; its exit code is the worker's."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    code = 0
    try:
        with App(spec.root, database_url=spec.database_url) as app:
            summaries.put(run_in_this_process(app, spec.options, parent_pid=spec.parent_pid))
    except LiqueueError as err:
        print(f"error: {err}", file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.exit(code)


def supervise(app: App, processes: int, options: WorkerOptions) -> tuple[int, BurstSummary]:
    """Run `processes` children until they end; their worst exit code and summed summary."""
    spec = ChildSpec(app.root, app.database_url, options, os.getpid())
    context = multiprocessing.get_context("spawn")
    summaries: SimpleQueue[BurstSummary] = context.SimpleQueue()
    children = [
        context.Process(target=run_child, args=(spec, summaries), name=f"liqueue-worker-{n}")
        for n in range(processes)
    ]
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    received = [0]

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        received[0] += 1
        with contextlib.suppress(BlockingIOError):
            os.write(wake_write, b"!")

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the children
    try:
        for child in children:
            child.start()
        signal.signal(signal.SIGINT, on_signal)
        _wait_passing_signals_on(children, wake_read, received, options.grace_seconds)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        os.close(wake_read)
        os.close(wake_write)
    total = BurstSummary()
    while not summaries.empty():
        total.add(summaries.get())
    codes = [child.exitcode or 0 for child in children]
    return max((code for code in codes if code > 0), default=0), total


def _wait_passing_signals_on(
    children: Sequence[BaseProcess], wake: int, received: list[int], grace: float
) -> None:
    passed_on = 0
    while alive := [child for child in children if child.exitcode is None]:
        wait([*(child.sentinel for child in alive), wake])
        with contextlib.suppress(BlockingIOError):
            os.set_blocking(wake, False)
            os.read(wake, 512)
        while passed_on < min(received[0], 2):
            passed_on += 1
            if passed_on == 1:
                log.warning(
                    "stopping %d worker process(es): running jobs finish, grace %g s; "
                    "Ctrl-C again to stop now",
                    len(alive),
                    grace,
                )
            else:
                log.warning("stopping now: running jobs are handed back")
            for child in alive:
                if child.pid is not None and child.exitcode is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(child.pid, signal.SIGTERM if passed_on == 1 else STOP_NOW_SIGNAL)
