"""Stats over windows of hours, on both backends: the figures attempt_minutes
(and on PostgreSQL its hourly rollup, attempt_hours, migration 0010) give are
those of the attempt lines of the minutes from the window's start on, however
the window's edges fall on minutes and hours, with deltas folded or not, and
after a prune whose boundary falls inside an hour."""

from __future__ import annotations

import math
from collections.abc import Callable

import psycopg
import pytest

from liqueue.errors import StoreError
from liqueue.store import Store, shared
from liqueue.store.postgres import PostgresStore
from liqueue.store.postgres.schema import MIGRATIONS, SQL
from liqueue.store.stats import SourceReport, stats_report

from .factories import T0, attempt_log, enqueue, spec

HOUR = 3600.0
START = T0 - 3 * HOUR  # T0 is an hour's start


def add_attempts(store: Store, job_id: str, numbers: range, step: float) -> None:
    # Slower the earlier: a window's max is its first attempt's duration.
    store.add_logs(
        [
            attempt_log(job_id, "mail", 1 + k % 2, k % 7 == 0, 5 * (400 - k), at=START + k * step)
            for k in numbers
        ]
    )


def figures(line: SourceReport) -> tuple[object, ...]:
    return (line.counts, line.success_pct, line.retries, line.max_ms)


def assert_matches_the_attempt_lines(store: Store, since: float, attempts_at: list[float]) -> None:
    # The aggregates count whole minutes: from the first minute starting at `since` or later.
    first_minute = math.ceil(since / 60) * 60
    [exact] = stats_report(store.window_stats(first_minute))
    [kept] = store.window_report(since)
    assert figures(kept) == figures(exact), since
    counted = sum(m.count for m in store.attempts_per_minute(since))
    assert counted == sum(1 for at in attempts_at if at >= first_minute), since


@pytest.mark.parametrize(
    "since",
    [
        START - 1,  # everything
        START + HOUR,  # an hour's start
        START + HOUR + 600,  # a minute's start inside an hour
        START + HOUR + 630.5,  # inside a minute
        START + 2 * HOUR - 30,  # the last minute of an hour
        T0 + 10 * HOUR,  # nothing
    ],
)
def test_a_window_counts_each_attempt_of_its_minutes_once(store: Store, since: float) -> None:
    (job_id,) = enqueue(store, spec("mail"))
    add_attempts(store, job_id, range(150), step=67)  # ~2.8 hours, off minute and hour edges
    store.window_report(START)  # PostgreSQL folds these into minutes and hours
    add_attempts(store, job_id, range(150, 300), step=67)  # deltas not folded yet
    if since >= T0:
        [line] = store.window_report(since)
        assert (line.success_pct, line.retries, line.max_ms) == (None, 0, None)
        return
    attempts_at = [START + k * 67 for k in range(300)]
    assert_matches_the_attempt_lines(store, since, attempts_at)
    assert_matches_the_attempt_lines(store, since, attempts_at)  # once folded, the same


def test_a_prune_inside_an_hour_keeps_the_rest_of_that_hour(store: Store) -> None:
    (job_id,) = enqueue(store, spec("mail"))  # scheduled: prune keeps it and its lines
    add_attempts(store, job_id, range(180), step=60)  # one a minute for three hours
    store.window_report(START)
    before = START + 150 * 60 + 30  # inside the third hour, inside a minute
    store.prune(done_before=before, dead_before=before)
    first_kept = START + 151 * 60
    [exact] = stats_report(store.window_stats(first_kept))
    for since in (0.0, START + 2 * HOUR, first_kept):
        [kept] = store.window_report(since)
        assert figures(kept) == figures(exact), since
    assert exact.max_ms == 5 * (400 - 151)
    assert exact.retries == sum(1 for k in range(151, 180) if k % 2)
    assert sum(m.count for m in store.attempts_per_minute(0)) == 180 - 151


def test_a_read_during_a_compaction_counts_its_deltas_once(
    pg_store: PostgresStore, postgres_schema_url: str
) -> None:
    (job_id,) = enqueue(pg_store, spec("mail"))
    add_attempts(pg_store, job_id, range(100), step=67)
    [before] = pg_store.window_report(START)
    add_attempts(pg_store, job_id, range(100, 200), step=67)
    [exact] = stats_report(pg_store.window_stats(START))
    with psycopg.connect(postgres_schema_url) as other:
        # Folded but not committed: this reader cannot fold (the lock is taken)
        # and must find the deltas where its snapshot has them, unfolded.
        other.execute(SQL["compact_attempt_minutes"])
        left = other.execute("SELECT count(*) FROM attempt_minute_deltas").fetchone()
        assert left == (0,)
        [during] = pg_store.window_report(START)
        unfolded = pg_store.window_report(START)
        other.commit()
    [after] = pg_store.window_report(START)
    assert figures(during) == figures(after) == figures(exact) != figures(before)
    assert unfolded == [during]  # read again, still unfolded


def test_migration_0010_moves_the_deltas_out_and_sums_the_hours(
    postgres_schema_url: str, open_url: Callable[[str], Store]
) -> None:
    with psycopg.connect(postgres_schema_url) as conn:
        shared.migrate(conn, SQL, MIGRATIONS[:9], postgres_schema_url, conn.execute)
        conn.commit()
    store = open_url(postgres_schema_url)
    with pytest.raises(StoreError):
        store.window_report(START)  # 0009 is older than this code: no query runs on it
    with psycopg.connect(postgres_schema_url) as conn:
        conn.execute(
            "INSERT INTO logs (at, type, message, source_name, status, attempt, duration_ms)"
            " VALUES (%s, 'attempt', 'done', 'mail', 'SUCCESS', 2, 40)",
            (START + 30,),
        )
        conn.execute("UPDATE attempt_minutes SET folded = true")  # as 0009's readers folded
        conn.execute(
            "INSERT INTO logs (at, type, message, source_name, status, attempt, duration_ms)"
            " VALUES (%s, 'attempt', 'done', 'mail', 'FAILED', 1, 900)",
            (START + HOUR + 5,),
        )  # left unfolded
        conn.commit()
    store.migrate()
    [line] = store.window_report(START)
    assert (line.success_pct, line.retries, line.max_ms) == (50.0, 1, 900)
    [later] = store.window_report(START + HOUR)
    assert (later.success_pct, later.retries, later.max_ms) == (0.0, 0, 900)
