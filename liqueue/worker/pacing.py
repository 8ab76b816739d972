"""How far ahead a worker claims and how many outcomes it writes back at once.

Both follow the rate at which this worker's jobs have been finishing. With
slow jobs nothing changes: `prefetch` jobs are claimed ahead and every
outcome is written back as soon as it arrives. With a backlog of quick jobs
each transaction carries more: claims take up to ~50 ms of work ahead (so a
worker never sits on much that an idle one could run) and completions are
gathered for up to about 15 ms. Each transaction costs the database about
the same whatever its size, so this is what lets one worker keep up with
thousands of jobs a second.
"""

from __future__ import annotations

import time

from liqueue.clock import Clock

WINDOW_SECONDS = 0.05  # the finish rate is re-estimated this often
AHEAD_SECONDS = 0.05  # claim ahead at most this much work
# Write back once this much work has finished... A write costs the store
# about the same whatever it holds (SQLite's commit writes the pages of the
# table and indexes it touched; PostgreSQL's is a round trip): in runs of
# bench/throughput.py alternated with 5 ms, 15 ms (a few hundred no-op
# jobs) ran 4-10 % more no-op jobs a second on both backends, and
# bench/realistic.py as many realistic ones on PostgreSQL (on SQLite only
# scratch drains compared them: as many).
BATCH_SECONDS = 0.015
HOLD_SECONDS = 0.02  # ...or once the oldest unwritten outcome is this old
MAX_AHEAD = 256
MAX_BATCH = 1024


class MonotonicClock:
    """Seconds that only move forward (time.monotonic): for intervals, never for dates."""

    def now(self) -> float:
        return time.monotonic()


MONOTONIC = MonotonicClock()


class Pacing:
    def __init__(self, base_prefetch: int, clock: Clock = MONOTONIC) -> None:
        self.base_prefetch = base_prefetch
        self.rate = 0.0  # jobs finished per second, smoothed
        self._clock = clock
        self._window_start = clock.now()
        self._window_count = 0

    def finished(self, count: int) -> None:
        self._window_count += count
        self._roll()

    def _roll(self) -> None:
        """Close the window once it is old enough, halving the rate per quiet window.

        Also run before the rate is used: a worker that finished nothing for a
        while (its queue ran dry, or its jobs turned slow) must not size its
        next claim by a burst of quick jobs long past.
        """
        now = self._clock.now()
        elapsed = now - self._window_start
        if elapsed >= WINDOW_SECONDS:
            sample = self._window_count / elapsed
            rate = self.rate * 0.5 ** (elapsed / WINDOW_SECONDS - 1)
            self.rate = sample if sample > rate else (rate + sample) / 2
            self._window_start = now
            self._window_count = 0

    def prefetch(self) -> int:
        self._roll()
        return max(self.base_prefetch, min(MAX_AHEAD, int(self.rate * AHEAD_SECONDS)))

    def claim_at_least(self) -> int:
        """Claim only once this many slots are free: fewer, larger claims when busy."""
        prefetch = self.prefetch()
        return 1 if prefetch <= self.base_prefetch else prefetch // 2

    def batch(self) -> int:
        self._roll()
        return max(1, min(MAX_BATCH, int(self.rate * BATCH_SECONDS)))
