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

That holds where the store is this process's own work (SQLite). With a
store over the network (PostgreSQL) the main thread waits for the server
at every claim and completion, then for the GIL: a job thread keeps it
for the switch interval, during which the other job threads run out of
claimed jobs. There CPython's 5 ms stays: in bench/realistic.py runs
(`--backends postgres --processes 1`, 3 rounds of 5,000 jobs, alternated
with 10 and 20 ms), one worker drained 8,869 and 10,039 realistic jobs/s
at 5 ms against 7,409 and 8,123 at 20 ms, and as many no-op jobs
(bench/throughput.py).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

SWITCH_SECONDS = 0.02


@contextmanager
def switching_for_jobs(store_in_process: bool) -> Iterator[None]:
    """Within: for a store in this process, the switch interval above (or a
    longer one already set); then set back. For another store, the interval
    as it is."""
    before = sys.getswitchinterval()
    if store_in_process:
        sys.setswitchinterval(max(before, SWITCH_SECONDS))
    try:
        yield
    finally:
        sys.setswitchinterval(before)
