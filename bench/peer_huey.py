"""The huey peer: a SqliteHuey instance and the tasks the benchmarks run.

Loaded by `huey_consumer peer_huey.huey` (cwd bench/) and by the scripts
that enqueue. BENCH_HUEY_DB names the file; BENCH_HUEY_FSYNC=0 passes
fsync=False (synchronous=OFF), BENCH_HUEY_FSYNC=normal sets
synchronous=NORMAL (liqueue's own SQLite setting; huey has no option for
it), otherwise huey's defaults are kept. BENCH_HUEY_LOG: the file the
realistic task logs to.
"""

from __future__ import annotations

import os
import sqlite3
import time

from huey import SqliteHuey
from huey.storage import SqliteStorage
from realistic_job import configure_logging, python_twin


class NormalSyncStorage(SqliteStorage):  # type: ignore[misc]
    def _create_connection(self) -> sqlite3.Connection:
        conn = super()._create_connection()
        conn.execute("pragma synchronous=1")
        return conn


_mode = os.environ.get("BENCH_HUEY_FSYNC", "1")
_db = os.environ.get("BENCH_HUEY_DB", "huey-bench.db")
if _mode == "normal":
    huey = SqliteHuey("bench", filename=_db, storage_class=NormalSyncStorage)
else:
    huey = SqliteHuey("bench", filename=_db, fsync=None if _mode == "1" else False)
configure_logging(os.environ.get("BENCH_HUEY_LOG", os.devnull))


@huey.task()
def trivial(n: int) -> float:
    """The same trivial work as liqueue's job body (n + 1); returns when it ran."""
    _x = n + 1
    return time.time()


@huey.task()
def realistic(payload: str) -> float:
    """bench/realistic_job.py's Python twin; returns when it ran."""
    python_twin(payload)
    return time.time()
