"""On PostgreSQL the aggregates the dashboard, stats and /metrics read (job_counts,
attempt_counts, attempt_minutes) are kept by statements, not recounted: after a
mixed workload of several workers at once they must equal a recount of the
jobs and log lines themselves. Completions that queue nothing go through one
autocommitted statement (store.COMPLETE_AND_LOG), the others through a
transaction; both paths, stale outcomes and lost workers are in the mix."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable

import psycopg

from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.outbox import Outbox
from liqueue.store import Store
from liqueue.store.overview import BUCKETS_MS, minute_bucket
from liqueue.store.postgres import PostgresStore

from .factories import T0, attempt_log, enqueue, spec

SOURCES = ("mail", "charge", "report")
PRIORITIES = ("high", "default", "low")
DURATION_RANGES = (12, 400, 80_000)  # every bucket's edges, small ones most


def _bucket(ms: int) -> int:
    return next((b for b in BUCKETS_MS if ms <= b), -1)


def _outcome(job: Job, worker_id: str, pick: random.Random, now: float) -> AttemptOutcome:
    ms = pick.randint(0, pick.choice(DURATION_RANGES))
    roll = pick.random()
    failed = roll < 0.35
    entry = attempt_log(job.id, job.source_name, job.attempt, failed, ms, at=now)
    outbox = Outbox(logs=[entry])
    if roll > 0.85:  # queues a child: the transaction path
        outbox.jobs.append(spec(job.source_name, priority="low"))
    state = JobState.DONE
    if failed:
        state = JobState.RETRY if roll < 0.2 else JobState.DEAD
    stale = roll > 0.95  # as from a worker whose lease ran out: not applied, still logged
    return AttemptOutcome(
        job_id=job.id,
        attempt=job.attempt + 1 if stale else job.attempt,
        state=state,
        finished_at=now,
        next_run_at=now if state is JobState.RETRY else None,
        error_class="Boom" if failed else None,
        outbox=outbox,
        worker_id=worker_id,
    )


def _work(store: Store, worker_id: str, seed: int, errors: list[BaseException]) -> None:
    pick = random.Random(seed)
    try:
        for turn in range(60):
            now = T0 + 10 + turn * 7.0  # several minutes, so several rows per source
            jobs = store.claim(worker_id, pick.randint(1, 12), now, 30, list(PRIORITIES))
            kept = [job for job in jobs if pick.random() > 0.1]  # the rest: a lost worker
            if kept:
                store.complete([_outcome(job, worker_id, pick, now + 1) for job in kept], now + 1)
    except BaseException as error:  # reported by the test
        errors.append(error)


def _recounted_jobs(url: str) -> Counter[tuple[str, str, str]]:
    names = {0: "high", 1: "default", 2: "low"}
    with psycopg.connect(url) as conn:
        found = conn.execute(
            "SELECT state, priority, source_name, count(*) FROM jobs GROUP BY 1, 2, 3"
        ).fetchall()
    return Counter({(s, names[p], src): n for s, p, src, n in found})


def _attempt_lines(url: str) -> list[tuple[float, str, str, int, int]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT at, source_name, status, coalesce(attempt, 1), coalesce(duration_ms, 0)"
            " FROM logs WHERE type = 'attempt' AND source_name IS NOT NULL"
            " AND status IS NOT NULL"
        ).fetchall()


def test_kept_aggregates_equal_a_recount_after_concurrent_mixed_work(
    pg_store: PostgresStore, postgres_schema_url: str, open_url: Callable[[str], Store]
) -> None:
    pick = random.Random(11)
    specs = [spec(pick.choice(SOURCES), priority=pick.choice(PRIORITIES)) for _ in range(400)]
    ids = enqueue(pg_store, *specs, now=T0)
    # Not due while the workers run: there are always some to cancel.
    later = enqueue(pg_store, spec("charge", priority="low", delay_minutes=600), now=T0)
    workers = [open_url(postgres_schema_url) for _ in range(3)]
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_work, args=(store, f"w{n}", n, errors))
        for n, store in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    late = T0 + 3600
    pg_store.rescue_expired(late)  # the jobs the lost workers held
    states = {state for state, _, _ in _recounted_jobs(postgres_schema_url)}
    assert {"done", "scheduled", "dead"} <= states  # the mix happened
    _assert_attempts_recounted(pg_store, postgres_schema_url)
    _assert_jobs_recounted(pg_store, postgres_schema_url)

    pg_store.cancel_jobs([*later, *ids[:40]], late)
    pg_store.delete_jobs(ids[40:60])
    pg_store.retry_all_dead(late)
    pg_store.prune(done_before=T0 + 200, dead_before=T0)  # logs go, attempt counters stay
    _assert_jobs_recounted(pg_store, postgres_schema_url)
    assert ("cancelled", "low", "charge") in _recounted_jobs(postgres_schema_url)


def _assert_jobs_recounted(store: PostgresStore, url: str) -> None:
    kept = {(c.state.value, c.priority.value, c.source_name): c.count for c in store.job_counts()}
    assert kept == dict(_recounted_jobs(url))


def _assert_attempts_recounted(pg_store: PostgresStore, postgres_schema_url: str) -> None:
    lines = _attempt_lines(postgres_schema_url)
    statuses = Counter(status for _, _, status, _, _ in lines)
    assert statuses["SUCCESS"] > 100 and statuses["FAILED"] > 50  # the mix happened
    by_bucket: Counter[tuple[str, str, int]] = Counter()
    ms_by_bucket: Counter[tuple[str, str, int]] = Counter()
    for _, source, status, _, ms in lines:
        by_bucket[(source, status, _bucket(ms))] += 1
        ms_by_bucket[(source, status, _bucket(ms))] += ms
    counted = {
        (c.source_name, c.status, c.le_ms): (c.count, c.sum_ms) for c in pg_store.attempt_counts()
    }
    assert counted == {key: (n, ms_by_bucket[key]) for key, n in by_bucket.items()}

    per_minute: Counter[tuple[float, str]] = Counter()
    for at, _, status, _, _ in lines:
        per_minute[(at // 60 * 60, "SUCCESS" if status == "SUCCESS" else "FAILED")] += 1
    chart = {(m.minute, m.status): m.count for m in pg_store.attempts_per_minute(0.0)}
    assert chart == dict(per_minute)

    # The minute histogram the windowed stats read, bucket by bucket.
    with psycopg.connect(postgres_schema_url) as conn:
        conn.execute("SELECT 1")  # a fresh snapshot after the folds above
        minutes = conn.execute(
            "SELECT minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms"
            " FROM attempt_minutes"
        ).fetchall()
    expected: Counter[tuple[int, str, int, str]] = Counter()
    for at, source, status, attempt, ms in lines:
        key = (int(at // 60 * 60), source, minute_bucket(ms))
        expected[(*key, "n")] += 1
        expected[(*key, "succeeded")] += status == "SUCCESS"
        expected[(*key, "failed")] += status == "FAILED"
        expected[(*key, "retries")] += attempt > 1
        expected[(*key, "sum_ms")] += ms
    found: Counter[tuple[int, str, int, str]] = Counter()
    for minute, source, le_ms, *values in minutes:
        for name, value in zip(
            ("n", "succeeded", "failed", "retries", "sum_ms"), values, strict=True
        ):
            found[(int(minute), source, int(le_ms), name)] += int(value)
    assert +found == +expected
