"""The limited claim (sources with concurrency or rate limits) honours pauses as the
plain claim does, on both backends: it is the same claim SQL with the limited
sources left out."""

from __future__ import annotations

from liqueue.policies import Rate, SourcePolicy
from liqueue.store import Store
from liqueue.store.pauses import PauseTarget
from tests.store.factories import T0, enqueue, spec

PRIORITIES = ["high", "default", "low"]
LIMITS = {"metered": SourcePolicy(concurrency=5), "slow": SourcePolicy(rate=Rate(1, 60.0))}


def _claim(store: Store, at: float = T0 + 1) -> list[str]:
    result = store.claim_limited("w1", 10, lambda: at, 30, PRIORITIES, LIMITS)
    return sorted(job.source_name for job in result.jobs)


def test_paused_sources_and_priorities_wait_in_the_limited_claim(store: Store) -> None:
    enqueue(store, spec("report"), spec("mail"), spec("urgent", priority="high"))
    enqueue(store, spec("metered"), spec("metered", priority="high"), spec("slow"))
    store.pause(PauseTarget.parse("source_name", "report"), T0, None)
    store.pause(PauseTarget.parse("source_name", "metered"), T0, None)
    store.pause(PauseTarget.parse("priority", "high"), T0, None)
    assert _claim(store) == ["mail", "slow"]
    store.resume(PauseTarget("source_name", "metered"))
    assert _claim(store) == ["metered"]  # the high one waits: its priority is paused
    store.resume(PauseTarget("priority", "high"))
    store.resume(PauseTarget("source_name", "report"))
    assert _claim(store) == ["metered", "report", "urgent"]


def test_a_worker_waiting_on_full_sources_sleeps_past_paused_jobs(store: Store) -> None:
    enqueue(store, spec("slow"), spec("slow"), spec("report"))
    store.pause(PauseTarget.parse("source_name", "report"), T0, None)
    result = store.claim_limited("w1", 10, lambda: T0 + 1, 30, PRIORITIES, LIMITS)
    assert [job.source_name for job in result.jobs] == ["slow"]  # 1 a minute
    result = store.claim_limited("w1", 10, lambda: T0 + 2, 30, PRIORITIES, LIMITS)
    assert result.jobs == [] and result.blocked == ["slow"]
    # Only a blocked source's job and a paused one are due: nothing to wake up for.
    assert store.next_run_at_except(result.blocked) is None
    store.resume(PauseTarget("source_name", "report"))
    assert store.next_run_at_except(result.blocked) == T0
