"""How a worker process learns that it must stop.

Signal handlers here only call `StopRequest` callbacks that set an int and
put an item on a SimpleQueue (reentrant by design): a handler that took a
lock could deadlock when a second signal arrived while the first handler,
or the main thread, held it.

A worker alone in its process: the first SIGINT/SIGTERM stops it
gracefully, the second stops it at once. A supervised child (see
supervisor.py) ignores SIGINT: on a terminal Ctrl-C reaches the whole
process group, and the parent passes it on exactly once, as SIGTERM
(gracefully) then SIGUSR1 (at once); a second SIGTERM (systemd signals the
whole group, and the parent forwards) must not cut the grace period short.
A child also stops when its parent dies, even by kill -9.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from liqueue.lifeline import end_with_parent

StopRequest = Callable[[bool], None]  # now: stop at once instead of gracefully
Stopping = Callable[[], bool]

STOP_NOW_SIGNAL = signal.SIGUSR1
PARENT_WATCH_SECONDS = 1.0


@contextmanager
def stop_on_signals(
    request_stop: StopRequest, stopping: Stopping, *, supervised: bool
) -> Iterator[None]:
    def alone(_signum: int, _frame: FrameType | None) -> None:
        request_stop(stopping())

    def child(signum: int, _frame: FrameType | None) -> None:
        request_stop(signum == STOP_NOW_SIGNAL)

    if supervised:
        handlers: dict[int, object] = {
            signal.SIGINT: signal.SIG_IGN,
            signal.SIGTERM: child,
            STOP_NOW_SIGNAL: child,
        }
    else:
        handlers = {signal.SIGINT: alone, signal.SIGTERM: alone}
    previous = {sig: signal.signal(sig, handler) for sig, handler in handlers.items()}  # type: ignore[arg-type]
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_with_parent(parent_pid: int, request_stop: StopRequest) -> None:
    """Stop gracefully once the parent is gone.

    On Linux the kernel sends SIGTERM when the parent dies (PR_SET_PDEATHSIG);
    elsewhere, and should the parent have died before that was set, a thread
    notices the new parent pid.
    """
    end_with_parent(signal.SIGTERM)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_WATCH_SECONDS)
        request_stop(False)

    threading.Thread(target=watch, name="liqueue-parent-watch", daemon=True).start()
