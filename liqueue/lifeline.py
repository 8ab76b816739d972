"""Child processes that end with the process that started them.

A worker child or a service left running after its parent died (kill -9,
a crashed server, a test harness's teardown) would hold its port and keep
claiming jobs for nobody. On Linux the kernel can signal a child when its
parent dies (PR_SET_PDEATHSIG); callers elsewhere also watch the parent pid.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys

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
