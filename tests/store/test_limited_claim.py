"""The limited claim (sources with concurrency or rate limits) honours pauses as the
plain claim does, on both backends: it is the same claim SQL with the limited
sources left out."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, TimeoutError

import psycopg
import pytest

from liqueue.policies import Rate, SourcePolicy
from liqueue.store import Store
from liqueue.store.pauses import PauseTarget
from liqueue.store.postgres import PostgresStore
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


def test_policies_on_idle_sources_lock_nothing_on_postgres(
    pg_store: PostgresStore, postgres_schema_url: str
) -> None:
    """Only sources with due jobs are locked and counted: a claimer holding the lock
    of an idle limited source does not make the others' claims wait; of a due one, it does."""
    enqueue(pg_store, spec("report"), spec("slow", delay_minutes=60))
    _claim(pg_store, at=T0 - 10)  # nothing due: only makes the source_limits rows
    pool = ThreadPoolExecutor(1)
    with psycopg.connect(postgres_schema_url) as holder:
        lock = "SELECT 1 FROM source_limits WHERE source_name = 'slow' FOR UPDATE"
        assert holder.execute(lock).fetchall() == [(1,)]
        assert pool.submit(_claim, pg_store).result(timeout=5) == ["report"]
        enqueue(pg_store, spec("slow"))
        waiting = pool.submit(_claim, pg_store)
        with pytest.raises(TimeoutError):
            waiting.result(timeout=0.5)  # `slow` is due now: its claim waits for the holder
        holder.rollback()
        assert waiting.result(timeout=5) == ["slow"]
    pool.shutdown()
