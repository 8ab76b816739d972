"""Pacing after a worker goes quiet: a burst long past must not size today's claims."""

from __future__ import annotations

from liqueue.clock import ManualClock
from liqueue.worker.pacing import WINDOW_SECONDS, Pacing


def _busy(pacing: Pacing, clock: ManualClock, seconds: float) -> None:
    """Finish quick jobs at a few thousand a second, on the clock the pacing reads."""
    end = clock.now() + seconds
    while clock.now() < end:
        pacing.finished(10)
        clock.advance(0.002)


def test_an_idle_worker_claims_ahead_no_more_than_its_prefetch() -> None:
    clock = ManualClock(0.0)
    pacing = Pacing(4, clock)
    _busy(pacing, clock, 0.3)
    assert pacing.prefetch() > 4 and pacing.batch() > 1  # a backlog of quick jobs

    # Then nothing finishes for a while (the queue ran dry, or the next jobs
    # are slow): claiming ~50 ms of *quick* work ahead would now mean sitting
    # on many slow jobs other workers could run.
    clock.advance(60 * WINDOW_SECONDS)
    assert pacing.prefetch() == 4
    assert pacing.claim_at_least() == 1
    assert pacing.batch() == 1


def test_a_steady_backlog_keeps_its_pace() -> None:
    clock = ManualClock(0.0)
    pacing = Pacing(4, clock)
    _busy(pacing, clock, 0.3)
    ahead = pacing.prefetch()
    _busy(pacing, clock, 0.2)
    assert pacing.prefetch() >= ahead // 2
