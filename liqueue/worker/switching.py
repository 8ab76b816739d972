"""How often the threads of a worker process hand each other the GIL.

A worker's main thread claims and completes jobs while its job threads
render them, and all of them take turns at one GIL. CPython makes a thread
that holds it let go after a switch interval (5 ms) whenever another asks:
with several job threads rendering and the main thread coming back from
SQLite, that is a hand-over every few milliseconds, each one waking a
thread and moving its caches, for work that gets done no sooner. A longer
interval lets each thread run its turn out; threads waiting on I/O (an API
call, the store) let go of the GIL anyway, and the main thread still gets
it within SWITCH_SECONDS, far inside any time limit or lease. In alternated
drains of 30,000 no-op jobs, 20 ms ran 15-25 % more jobs per second than
5 ms, and 1 ms fewer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

SWITCH_SECONDS = 0.02


@contextmanager
def switching_for_jobs() -> Iterator[None]:
    """Within: the switch interval above (or a longer one already set); then set back."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(max(before, SWITCH_SECONDS))
    try:
        yield
    finally:
        sys.setswitchinterval(before)
