"""The garbage collector of a worker process, set for claims of many jobs at once.

A claim decodes the arguments of up to a few hundred jobs in one go, about a
hundred container objects each. With CPython's default threshold (700 new
objects) generation 0 is then collected every few jobs, each time walking
the objects of the jobs still in flight again, and the odd full collection
also walks everything the application loaded at start. Reference counting
frees a finished job's objects anyway: the collector is only there for
cycles, which jobs rarely make. So while a worker runs, what was loaded
before it started is out of the collector's sight (`gc.freeze`) and
generation 0 waits for `GEN0_THRESHOLD` new objects, which bounds what
cycles can hold in between to a few megabytes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

GEN0_THRESHOLD = 10_000


@contextmanager
def collector_for_jobs() -> Iterator[None]:
    """Within: the collector set as above; on leaving, set back as it was."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(before[0], GEN0_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
