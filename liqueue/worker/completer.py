"""Writing finished attempts back to the store, several per transaction (see pacing.py).

Outcomes an unavailable store could not take are kept and written with
the next batch, never dropped.
"""

from __future__ import annotations

import time

from liqueue.clock import Clock
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.store import Store
from liqueue.worker.pacing import HOLD_SECONDS, Pacing


class Completer:
    def __init__(self, store: Store, clock: Clock, pacing: Pacing) -> None:
        self._store = store
        self._clock = clock
        self._pacing = pacing
        self.unsaved: list[AttemptOutcome] = []  # finished, not yet written back
        self.hold_until = 0.0  # time.monotonic(): write `unsaved` back by then at the latest

    def complete(
        self, outcomes: list[AttemptOutcome], running: int, *, now: bool = False
    ) -> list[AttemptOutcome]:
        """Take these outcomes; write back a batch once it is due. Returns what was written.

        `running` is how many jobs of this worker have not been written back
        yet: a batch never waits for more outcomes than can still come.
        """
        if outcomes:
            if not self.unsaved:
                self.hold_until = time.monotonic() + HOLD_SECONDS
            self.unsaved.extend(outcomes)
            self._pacing.finished(len(outcomes))
        if not self.unsaved:
            return []
        waiting_for = min(self._pacing.batch(), running)
        if not now and len(self.unsaved) < waiting_for and time.monotonic() < self.hold_until:
            return []
        self._store.complete(self.unsaved, self._clock.now())
        written, self.unsaved = self.unsaved, []
        return written

    def unsaved_ids(self) -> set[str]:
        return {outcome.job_id for outcome in self.unsaved}
