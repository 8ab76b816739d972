"""Several processes on one database: exactly-once claims and wake-ups."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from liqueue.jobs import JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.outbox import Outbox
from liqueue.store import JobQuery, Store
from liqueue.store.sqlite import SQLiteStore
from tests.processes import expect_line, finish, release, start_program, start_ready

from .children import CLAIMER, ENQUEUER, LISTENER, OPEN_AND_ENQUEUE, claimed_ids
from .factories import spec

JOBS = 2000
PROCESSES = 4


def test_processes_claim_every_job_exactly_once(store: Store) -> None:
    specs = [spec(f"s{n % 5}", priority=("high", "default", "low")[n % 3]) for n in range(JOBS)]
    store.enqueue(Outbox(jobs=specs), time.time() - 1)

    children = start_ready(CLAIMER, [(store.url, f"w{n}", "7") for n in range(PROCESSES)])
    release(children)
    per_child = [claimed_ids(finish(child)) for child in children]

    counts = Counter(job_id for ids in per_child for job_id in ids)
    assert set(counts) == {item.id for item in specs}
    assert max(counts.values()) == 1
    assert sum(1 for ids in per_child if ids) >= 2, "the claims were not concurrent"
    done = store.list_jobs(JobQuery(state=JobState.DONE, limit=JOBS + 1))
    assert len(done) == JOBS


def test_enqueue_in_another_process_wakes_a_listener(store: Store) -> None:
    listener = store.wake_listener()
    try:
        assert listener.wait(0.01) is False
        child = start_program(ENQUEUER, store.url, "0.2")
        assert listener.wait(20) is True
        woken_at = time.time()
        enqueued_at = float(finish(child))
        assert woken_at - enqueued_at < 1.0
        assert listener.wait(0.05) is False  # drained: one wake-up per burst
    finally:
        listener.close()


def test_listener_in_another_process_is_woken_by_enqueue(
    store: Store, open_url: Callable[[str], Store]
) -> None:
    child = start_program(LISTENER, store.url, "20")
    expect_line(child, "ready")
    started = time.time()
    open_url(store.url).enqueue(Outbox(jobs=[spec()]), started)
    woken, at = finish(child).split()
    assert woken == "True"
    assert float(at) - started < 2.0


def test_processes_opening_a_new_sqlite_file_together_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new.db"
    children = start_ready(OPEN_AND_ENQUEUE, [(url, "50") for _ in range(PROCESSES)])
    release(children)
    assert [finish(child) for child in children] == ["done"] * PROCESSES
    store = SQLiteStore(tmp_path / "new.db")
    try:
        assert len(store.list_jobs(JobQuery(limit=1000))) == 50 * PROCESSES
        store.check_schema()
    finally:
        store.close()


def test_threads_sharing_one_store_claim_every_job_once(store: Store) -> None:
    specs = [spec() for _ in range(600)]
    store.enqueue(Outbox(jobs=specs), time.time() - 1)
    claimed: list[list[str]] = [[] for _ in range(4)]
    failures: list[BaseException] = []

    def work(slot: int) -> None:
        try:
            while jobs := store.claim(f"t{slot}", 5, time.time(), 60, ["default"]):
                claimed[slot] += [job.id for job in jobs]
                now = time.time()
                store.complete(
                    [AttemptOutcome(job.id, job.attempt, JobState.DONE, now) for job in jobs], now
                )
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    everything = [job_id for ids in claimed for job_id in ids]
    assert sorted(everything) == sorted(item.id for item in specs)
