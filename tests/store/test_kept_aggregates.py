"""The aggregates the dashboard, stats and /metrics read (job_counts, attempt_counts,
attempt_minutes) equal a recount from the raw rows after mixed workloads, both backends.

SQLite counts completions, rescues, releases and attempt lines per statement in
the store since migration 0013 (store/sqlite/counts.py), no longer per row in
triggers: every path that moves a job or writes an attempt line is run here,
the slow paths of a batch (NUL text, two outcomes for one job, a stale one)
too, and a write that fails half way must leave the counts as they were.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from liqueue.errors import StoreError
from liqueue.jobs import JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store import LogQuery, Store
from liqueue.store.browse import JobFilter
from liqueue.store.overview import ABOVE_LAST, BUCKETS_MS
from liqueue.store.sqlfiles import Migration
from liqueue.store.sqlite import SQLiteStore
from liqueue.store.sqlite.schema import MIGRATIONS, SQL, split_statements
from tests.processes import finish, release, start_ready

from .factories import T0, attempt_log, enqueue, outcome, spec

ALL = ("high", "default", "low")
SOURCES = ("mail", "charge", "report")
LEASE = 30.0


def _job_counts(store: Store) -> Counter[tuple[str, str, str]]:
    return Counter(
        {(c.state.value, c.priority.value, c.source_name): c.count for c in store.job_counts()}
    )


def _jobs_recounted(store: Store) -> Counter[tuple[str, str, str]]:
    jobs = store.find_jobs(JobFilter(), 10_000, None)
    return Counter((j.state.value, j.priority.value, j.source_name) for j in jobs)


def _attempt_counts(store: Store) -> dict[tuple[str, str, int], tuple[int, int]]:
    return {(c.source_name, c.status, c.le_ms): (c.count, c.sum_ms) for c in store.attempt_counts()}


def _bucket(duration_ms: int | None) -> int:
    return next((b for b in BUCKETS_MS if (duration_ms or 0) <= b), ABOVE_LAST)


def _attempts_recounted(store: Store) -> dict[tuple[str, str, int], tuple[int, int]]:
    counted: dict[tuple[str, str, int], tuple[int, int]] = {}
    for line in store.read_logs(LogQuery(type="attempt")):
        if line.source_name is None or line.status is None:
            continue
        key = (line.source_name, line.status, _bucket(line.duration_ms))
        n, total = counted.get(key, (0, 0))
        counted[key] = (n + 1, total + (line.duration_ms or 0))
    return counted


def _minutes_recounted(store: Store) -> Counter[tuple[float, str]]:
    counted: Counter[tuple[float, str]] = Counter()
    for line in store.read_logs(LogQuery(type="attempt")):
        if line.source_name is not None and line.status is not None:
            status = "SUCCESS" if line.status == "SUCCESS" else "FAILED"
            counted[float(int(line.at / 60) * 60), status] += 1
    return counted


def _minutes(store: Store) -> Counter[tuple[float, str]]:
    return Counter({(m.minute, m.status): m.count for m in store.attempts_per_minute(0.0)})


def assert_kept_equal_recounted(store: Store) -> None:
    assert +_job_counts(store) == _jobs_recounted(store)
    assert _attempt_counts(store) == _attempts_recounted(store)
    assert _minutes(store) == _minutes_recounted(store)


def _finished(
    jobs_and_states: list[tuple[str, int, JobState]], worker: str, at: float
) -> list[AttemptOutcome]:
    """Outcomes with their attempt lines, as a worker writes them back."""
    made = []
    for n, (job_id, attempt, state) in enumerate(jobs_and_states):
        source = SOURCES[n % len(SOURCES)]
        line = attempt_log(job_id, source, attempt, state is not JobState.DONE, n * 37, at=at)
        made.append(
            outcome(
                job_id,
                attempt,
                state,
                at=at,
                worker_id=worker,
                next_run_at=at + 5 if state is JobState.RETRY else None,
                outbox=Outbox(logs=[line]),
            )
        )
    return made


def _mixed(jobs: list[tuple[str, int]]) -> list[tuple[str, int, JobState]]:
    states = (JobState.DONE, JobState.RETRY, JobState.DEAD, JobState.DONE)
    return [(job_id, attempt, states[n % len(states)]) for n, (job_id, attempt) in enumerate(jobs)]


def test_kept_aggregates_equal_a_recount_after_a_mixed_workload(store: Store) -> None:
    specs = [spec(SOURCES[n % 3], priority=ALL[n % 3], max_attempts=1 + n % 3) for n in range(60)]
    enqueue(store, *specs)
    now = T0 + 1
    first = store.claim("w1", 20, now, LEASE, ALL)
    second = store.claim("w2", 15, now, LEASE, ALL)
    assert_kept_equal_recounted(store)

    # A batch that goes in one statement.
    store.complete(_finished(_mixed([(j.id, j.attempt) for j in first[:12]]), "w1", now + 1), now)
    # Slow paths: two outcomes for one job, text holding NUL, a stale worker.
    twice = _finished(_mixed([(j.id, j.attempt) for j in first[12:15]]), "w1", now + 2)
    store.complete([*twice, twice[0]], now + 2)
    nul = _finished([(first[15].id, first[15].attempt, JobState.DEAD)], "w1", now + 3)
    if isinstance(store, SQLiteStore):  # PostgreSQL refuses NUL in text
        nul[0].error_message = "bad\x00byte"
        nul[0].outbox.logs.append(LogEntry(at=now + 3, type="job", message="a\x00b"))
    stale = _finished([(first[16].id, first[16].attempt, JobState.DONE)], "someone else", now + 3)
    store.complete([*nul, *stale], now + 3)
    assert_kept_equal_recounted(store)

    # w2 gives back three jobs and is lost with the rest; w1's last jobs expire too.
    store.release([j.id for j in second[:3]], now + 4, "w2")
    assert store.rescue_expired(now + LEASE + 1, max_rescues=3)
    again = store.claim("w3", 100, now + LEASE + 2, LEASE, ALL)
    assert_kept_equal_recounted(store)
    store.rescue_expired(now + 2 * LEASE + 3, max_rescues=1)  # rescued before: set dead
    assert_kept_equal_recounted(store)

    # Hand repairs from the dashboard and the CLI.
    later = now + 3 * LEASE
    waiting = [j.id for j in store.find_jobs(JobFilter(state=JobState.SCHEDULED), 100, None)]
    retrying = [j.id for j in store.find_jobs(JobFilter(state=JobState.RETRY), 100, None)]
    assert waiting and retrying and again
    store.cancel_jobs(waiting[:4], later)
    store.cancel_job(retrying[0], later)
    store.run_jobs_now(retrying[1:], later)
    store.retry_jobs(waiting[:2], later)  # cancelled a moment ago
    dead = [j.id for j in store.find_jobs(JobFilter(state=JobState.DEAD), 100, None)]
    store.retry_jobs(dead[:2], later)
    store.retry_all_dead(later)
    store.add_logs([attempt_log("by-hand", "mail", 2, True, 70_000, at=later)])
    assert_kept_equal_recounted(store)

    # Finish everything, retries included, over a few rounds.
    clock = later
    for _ in range(6):
        clock += 10
        claimed = store.claim("w4", 100, clock, LEASE, ALL)
        store.complete(_finished(_mixed([(j.id, j.attempt) for j in claimed]), "w4", clock), clock)
        assert_kept_equal_recounted(store)

    # Deleting jobs and their lines leaves job_counts right; attempt counters
    # (/metrics) never go down, so only job_counts is compared from here.
    done = [j.id for j in store.find_jobs(JobFilter(state=JobState.DONE), 5, None)]
    store.delete_jobs(done)
    store.prune(clock + 1, clock + 1)
    assert +_job_counts(store) == _jobs_recounted(store)


def test_a_write_that_fails_half_way_leaves_every_count_as_it_was(store: Store) -> None:
    [job_id] = enqueue(store, spec("mail"))
    [job] = store.claim("w1", 1, T0 + 1, LEASE, ALL)
    before = (_job_counts(store), _attempt_counts(store), _minutes(store))
    [written] = _finished([(job.id, job.attempt, JobState.DONE)], "w1", T0 + 2)
    # The completion's UPDATE has run when its log lines fail to go in.
    written.outbox.logs.append(LogEntry(at=T0 + 2, type="job", message=object()))  # type: ignore[arg-type]
    # PostgreSQL says it in a StoreError; SQLite's binding in a ProgrammingError.
    with pytest.raises((TypeError, StoreError, sqlite3.ProgrammingError)):
        store.complete([written], T0 + 2)
    assert (_job_counts(store), _attempt_counts(store), _minutes(store)) == before
    assert store.get_job(job_id).state is JobState.RUNNING
    assert_kept_equal_recounted(store)


WORKER = """
import sys, time
from liqueue.errors import StoreError
from liqueue.jobs import JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import attempt_entry
from liqueue.outbox import Outbox
from liqueue.store import open_store

url, worker = sys.argv[1], sys.argv[2]
store = open_store(url)
print("ready", flush=True)
sys.stdin.readline()
states = [JobState.DONE, JobState.RETRY, JobState.DEAD]
while True:
    jobs = store.claim(worker, 7, time.time(), 60, ["high", "default", "low"])
    if not jobs:
        break
    time.sleep(0.001)  # as a worker runs its jobs: lets the other process in
    now = time.time()
    outcomes = []
    for job in jobs:
        state = states[hash(job.id) % 3] if job.attempt < job.max_attempts else JobState.DONE
        line = attempt_entry(
            at=now, job_id=job.id, source_name=job.source_name, attempt=job.attempt,
            max_attempts=job.max_attempts, duration_ms=len(job.id) * job.attempt,
            status="SUCCESS" if state is JobState.DONE else "FAILED",
        )
        outcomes.append(AttemptOutcome(
            job.id, job.attempt, state, now, next_run_at=now if state is JobState.RETRY else None,
            worker_id=worker, outbox=Outbox(logs=[line]),
        ))
    store.complete(outcomes, now)
store.close()
print("done", flush=True)
"""


def test_workers_in_several_processes_keep_the_counts_exact(store: Store) -> None:
    specs = [spec(SOURCES[n % 3], priority=ALL[n % 3], max_attempts=3) for n in range(600)]
    store.enqueue(Outbox(jobs=specs), time.time() - 1)
    children = start_ready(WORKER, [(store.url, f"w{n}") for n in range(3)])
    release(children)
    assert [finish(child) for child in children] == ["done"] * 3
    assert_kept_equal_recounted(store)
    assert not store.find_jobs(JobFilter(state=JobState.RUNNING), 1, None)


# What migration 0012 left: the row triggers that counted every attempt line.
def _with_row_triggers(path: Path) -> sqlite3.Connection:
    from liqueue.store import shared

    db = sqlite3.connect(path, isolation_level=None)
    older: list[Migration] = MIGRATIONS[:12]

    def run(script: str) -> None:
        for statement in split_statements(script):
            db.execute(statement)

    db.execute("BEGIN")
    shared.migrate(db, SQL, older, f"sqlite:///{path}", run)
    db.execute("COMMIT")
    return db


AGGREGATES = {
    "attempt_counts": "SELECT * FROM {} ORDER BY 1, 2, 3",
    "attempt_minutes": "SELECT * FROM {} ORDER BY 1, 2, 3",
}


def test_sqlite_attempt_aggregates_match_what_the_row_triggers_counted(
    tmp_path: Path, open_url: Callable[[str], Store]
) -> None:
    """The lines of a mixed workload replayed, in order, into a file at migration
    0012: its triggers count them row by row, exactly as before 0013."""
    store = open_url(f"sqlite:///{tmp_path / 'queue.db'}")
    assert isinstance(store, SQLiteStore)
    specs = [spec(SOURCES[n % 3], max_attempts=2) for n in range(90)]
    enqueue(store, *specs)
    clock = T0
    for _ in range(4):
        clock += 61  # a new minute each round
        claimed = store.claim("w1", 100, clock, LEASE, ALL)
        store.complete(_finished(_mixed([(j.id, j.attempt) for j in claimed]), "w1", clock), clock)
    store.add_logs([attempt_log("x", "mail", 1, False, 3, at=clock), LogEntry(clock, "job", "hi")])
    reference = _with_row_triggers(tmp_path / "reference.db")
    reference.execute("ATTACH ? AS kept", (str(tmp_path / "queue.db"),))
    reference.execute("INSERT INTO logs SELECT * FROM kept.logs ORDER BY id")
    for table, query in AGGREGATES.items():
        expected = reference.execute(query.format(table)).fetchall()
        assert expected, table
        assert reference.execute(query.format("kept." + table)).fetchall() == expected
    reference.close()


def test_sqlite_attempt_lines_written_with_plain_sql_are_counted_by_the_count_statements(
    tmp_path: Path, open_url: Callable[[str], Store]
) -> None:
    """What a bulk fill of log lines (bench/dashboard.py) runs after inserting them."""
    path = tmp_path / "queue.db"
    store = open_url(f"sqlite:///{path}")
    store.add_logs([attempt_log("a", "mail", 1, False, 3)])
    with sqlite3.connect(path) as db:
        after = db.execute(SQL["last_log_id"]).fetchone()[0]
        db.execute(
            "INSERT INTO logs (at, type, message, source_name, status, attempt, duration_ms)"
            " VALUES (?, 'attempt', 'done', 'bulk', 'FAILED', 2, 40)",
            (T0,),
        )
        assert ("bulk", "FAILED", 50) not in _attempt_counts(store)
        db.execute(SQL["count_attempts"], {"after": after})
        db.execute(SQL["count_attempt_minutes"], {"after": after})
    assert _attempt_counts(store) == _attempts_recounted(store)
    assert _minutes(store) == _minutes_recounted(store)
