"""Writing finished attempts back to the store, several per transaction (see pacing.py).

Outcomes an unavailable store could not take are kept and written with
the next batch, never dropped.

With a store over the network (PostgreSQL, `claim_first`) the worker
claims the places of finished jobs before it writes their outcomes back:
the job threads then run the new jobs during the write's round trip
instead of waiting for it and then for the claim (written first, each
claimed batch ran alone between two round trips that left the job threads
idle). In bench/realistic.py's PostgreSQL runs (5,000 jobs, 3 rounds),
alternated with writing first in the same minutes, one worker process ran
7,163 jobs/s against 5,705. SQLite writes in this process, on the thread
that claims: there it still writes first.
"""

from __future__ import annotations

import time

from liqueue.clock import Clock
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.store import Store
from liqueue.worker.pacing import HOLD_SECONDS, Pacing

# Unsaved outcomes that do not hold up claims, at most (see `not_holding_claims`):
# a batch being written and the next one filling, at the rates where claiming
# first was measured (a few hundred outcomes a batch).
MAX_UNSAVED_AHEAD = 512


class Completer:
    def __init__(self, store: Store, clock: Clock, pacing: Pacing) -> None:
        self.claim_first = not store.writes_in_process
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
        self.take(outcomes)
        if not self.unsaved:
            return []
        waiting_for = min(self._pacing.batch(), running)
        if not now and len(self.unsaved) < waiting_for and time.monotonic() < self.hold_until:
            return []
        self._store.complete(self.unsaved, self._clock.now())
        written, self.unsaved = self.unsaved, []
        return written

    def take(self, outcomes: list[AttemptOutcome]) -> None:
        """Keep these outcomes for the next batch, without writing anything yet."""
        if outcomes:
            if not self.unsaved:
                self.hold_until = time.monotonic() + HOLD_SECONDS
            self.unsaved.extend(outcomes)
            self._pacing.finished(len(outcomes))

    def not_holding_claims(self) -> int:
        """How many unsaved outcomes need not hold up the next claim.

        Their jobs have finished: claiming their places before writing them
        back lets the job threads run the new jobs while the batch is
        written. Bounded, so that with a slow store what is claimed and not
        yet written back stays bounded too (in memory, and in leases: every
        unsaved job is still heartbeated).
        """
        return min(len(self.unsaved), MAX_UNSAVED_AHEAD) if self.claim_first else 0

    def unsaved_ids(self) -> set[str]:
        return {outcome.job_id for outcome in self.unsaved}
