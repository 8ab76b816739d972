"""The huey peer: a SqliteHuey instance and the tasks the benchmarks run.

Loaded by `huey_consumer peer_huey.huey` (cwd bench/) and by the scripts
that enqueue. BENCH_HUEY_DB names the file; BENCH_HUEY_FSYNC=0 passes
fsync=False (synchronous=OFF), otherwise huey's defaults are kept.
"""

from __future__ import annotations

import os
import time

from huey import SqliteHuey

_fsync = None if os.environ.get("BENCH_HUEY_FSYNC", "1") == "1" else False
huey = SqliteHuey("bench", filename=os.environ.get("BENCH_HUEY_DB", "huey-bench.db"), fsync=_fsync)


@huey.task()
def trivial(n: int) -> float:
    """The same trivial work as liqueue's job body (n + 1); returns when it ran."""
    _x = n + 1
    return time.time()
