"""Child processes that end with the process that started them, and a
SIGTERM that lets a command stop them first.

A worker child or a service left running after its parent died (kill -9,
a crashed server, a test harness's teardown) would hold its port and keep
claiming jobs for nobody. On Linux the kernel can signal a child when its
parent dies (PR_SET_PDEATHSIG); callers elsewhere also watch the parent pid.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

_PR_SET_PDEATHSIG = 1


def end_with_parent(sig: int = signal.SIGTERM) -> None:
    """Ask the kernel to send `sig` to this process when its parent dies (Linux only).

    Usable as `subprocess.Popen(preexec_fn=end_with_parent)`. The signal comes
    when the parent *thread* ends, so start such children from a thread that
    lives as long as they should.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


@contextlib.contextmanager
def sigterm_raises(exception: type[BaseException]) -> Iterator[None]:
    """Within the block, SIGTERM raises `exception` in the main thread, once.

    Python's default SIGTERM ends the process on the spot: a command's
    `finally` blocks, which stop its worker and services and let running
    jobs finish, never run. Raised once; a second SIGTERM meanwhile is
    ignored, as those stops are bounded by their grace periods anyway.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread; it handles them
        return

    def raise_it(_signum: int, _frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise exception

    previous = signal.signal(signal.SIGTERM, raise_it)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
