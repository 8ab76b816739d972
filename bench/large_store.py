"""Stats and lists at 1,000,000 rows: `liqueue stats`, `jobs list --state X`,
`logs --source-name X`, on SQLite and PostgreSQL.

Each backend: a fresh store (migrated), N jobs and N log entries inserted in
bulk with SQL (10 source names, states spread over 7 of them, attempts
spread over 30 days, the dashboard's count tables kept by their triggers or,
for SQLite's job_counts, recounted after the fill),
then each query timed R times in this process through the store, as the CLI
calls it (Python start-up of the command excluded); the median and range
(min-max) are printed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import machine

ROWS = 1_000_000
SOURCES = 10
DAY = 86_400.0

SQLITE_FILL = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :rows)
INSERT INTO {table}
"""

JOBS_SELECT = """
SELECT printf('%032d', i),
       CASE i % 20 WHEN 0 THEN 'dead' WHEN 1 THEN 'retry' WHEN 2 THEN 'scheduled'
                   WHEN 3 THEN 'running' WHEN 4 THEN 'cancelled' ELSE 'done' END,
       0, 'source_' || (i % {sources}), 'job body', '{{}}', '{{}}', 'app/x.liquid', 3,
       1, :now - (i * 30 * 86400.0 / :rows), :now - (i * 30 * 86400.0 / :rows)
"""
JOB_COLUMNS = (
    "id, state, priority, source_name, body, arguments, context, origin_path, "
    "max_attempts, attempt, run_at, created_at"
)
LOGS_SELECT = """
SELECT :now - (i * 30 * 86400.0 / :rows), 'attempt', 'done', 'source_' || (i % {sources}),
       CASE WHEN i % 17 = 0 THEN 'FAILED' ELSE 'OK' END, 1 + i % 3, 3, i % 900
"""
LOG_COLUMNS = "at, type, message, source_name, status, attempt, max_attempts, duration_ms"


def fill_sqlite(db: Path, rows: int, now: float) -> None:
    import sqlite3

    from liqueue.store.sqlite.schema import SQL, split_statements

    with sqlite3.connect(db) as conn:
        after = conn.execute(SQL["last_log_id"]).fetchone()[0]
        for table, columns, select in (
            ("jobs", JOB_COLUMNS, JOBS_SELECT),
            ("logs", LOG_COLUMNS, LOGS_SELECT),
        ):
            sql = (
                SQLITE_FILL.format(table=f"{table} ({columns})")
                + select.format(sources=SOURCES)
                + " FROM n"
            )
            conn.execute(sql, {"rows": rows, "now": now})
        # SQLite's job_counts has no insert trigger (the store counts what it
        # inserts): rows written here are counted as a whole.
        for statement in split_statements(SQL["recount_job_counts"]):
            conn.execute(statement)
        # Nor are attempt lines (migration 0013): those written here are counted now.
        for name in ("count_attempts", "count_attempt_minutes"):
            conn.execute(SQL[name], {"after": after})
        conn.execute("ANALYZE")


def fill_postgres(url: str, rows: int, now: float) -> None:
    import psycopg

    from liqueue.store.postgres.schema import SQL

    def pg(select: str) -> str:
        return (
            select.format(sources=SOURCES)
            .replace("printf('%032d', i)", "lpad(i::text, 32, '0')")
            .replace(" % ", " %% ")
            .replace(":now", "%(now)s::float8")
            .replace(":rows", "%(rows)s")
            .replace("i % 900", "(i % 900)::int")
            .replace("1 + i % 3", "(1 + i % 3)::int")
        )

    with psycopg.connect(url) as conn:
        for table, columns, select in (
            ("jobs", JOB_COLUMNS, JOBS_SELECT),
            ("logs", LOG_COLUMNS, LOGS_SELECT),
        ):
            conn.execute(
                f"INSERT INTO {table} ({columns}) {pg(select)} "
                "FROM generate_series(0, %(rows)s - 1) AS n(i)",
                {"rows": rows, "now": now},
            )
        conn.commit()
        # One statement appended every attempt's per-minute delta at once; fold
        # them as the first reader would, and vacuum as autovacuum would, so the
        # store is as a live one is: few deltas pending, no dead rows to scan.
        conn.execute(SQL["compact_attempt_minutes"])
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def timed(call: Callable[[], Any], repeat: int) -> dict[str, Any]:
    call()  # warm: the first call reads pages from disk into the cache
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(samples), "min_ms": min(samples), "max_ms": max(samples)}


def queries(store: Any, now: float) -> dict[str, tuple[Callable[[], Any], float]]:
    from liqueue.jobs import JobState
    from liqueue.store.base import JobQuery, LogQuery
    from liqueue.store.stats import stats_report

    return {
        "stats (last 24h; the default)": (lambda: store.window_report(now - DAY), 100),
        "stats --since all": (lambda: stats_report(store.stats()), 100),
        "jobs list --state dead": (
            lambda: store.list_jobs(JobQuery(state=JobState("dead"))),
            50,
        ),
        "jobs list --source-name source_3": (
            lambda: store.list_jobs(JobQuery(source_name="source_3")),
            50,
        ),
        "logs --source-name source_3 (newest 100)": (
            lambda: list(store.iter_logs(LogQuery(source_name="source_3", last=100))),
            50,
        ),
    }


def run_backend(name: str, rows: int, repeat: int) -> dict[str, Any]:
    from liqueue import App

    with tempfile.TemporaryDirectory(prefix="liqueue-bench-large-") as tmp:
        root = Path(tmp)
        (root / "app" / "views" / "pages").mkdir(parents=True)
        now = time.time()
        if name == "sqlite":
            url = f"sqlite:///{root / 'liqueue.db'}"
            with App(root, database_url=url) as app:
                app.store.migrate()
            started = time.perf_counter()
            fill_sqlite(root / "liqueue.db", rows, now)
            return measure(root, url, now, repeat, time.perf_counter() - started)
        from postgres_common import fresh_database

        with fresh_database() as url:
            with App(root, database_url=url) as app:
                app.store.migrate()
            started = time.perf_counter()
            fill_postgres(url, rows, now)
            return measure(root, url, now, repeat, time.perf_counter() - started)


def measure(root: Path, url: str, now: float, repeat: int, fill_s: float) -> dict[str, Any]:
    from liqueue import App

    print(f"  filled in {fill_s:.0f} s", file=sys.stderr, flush=True)
    results: dict[str, Any] = {}
    with App(root, database_url=url) as app:
        for label, (call, target) in queries(app.store, now).items():
            figures = timed(call, repeat)
            results[label] = {**figures, "target_ms": target}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="jobs, and as many log entries")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    print("command: bench/.venv/bin/python " + shlex.join(["bench/large_store.py", *sys.argv[1:]]))
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
    for backend in args.backends.split(","):
        for label, r in run_backend(backend, args.rows, args.repeat).items():
            met = "met" if r["median_ms"] <= r["target_ms"] else "NOT met"
            print(
                f"{backend:8} {label:42} median {r['median_ms']:8.1f} ms  "
                f"range {r['min_ms']:.1f}-{r['max_ms']:.1f}  (target {r['target_ms']} ms: {met})",
                flush=True,
            )
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
