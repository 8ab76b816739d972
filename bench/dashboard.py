"""Response times of the dashboard's pages and API calls with 1,000,000 jobs in the store.

Fills a fresh database (SQLite file, then a PostgreSQL database) in bulk with
SQL: --jobs jobs (90% done, 5% scheduled and due, 2% retry, 2% cancelled, 1%
dead, 20 source_names, three priorities) and --logs attempt lines over the
last two hours; then starts `liqueue dashboard` on it and times each URL
(--repeat requests, median and max, in ms, and the first request apart).
Target: <= 100 ms each. The machine is shared: figures are indicative.

    .venv/bin/python bench/dashboard.py                    # both backends
    .venv/bin/python bench/dashboard.py --jobs 100000 --no-postgres
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ADMIN_URL = os.environ.get("LIQUEUE_BENCH_POSTGRES_ADMIN", "postgresql://127.0.0.1:5432/postgres")
PG_DB = "liqueue_bench_dashboard"
# Job 999,900 of the fill (both backends spell ids alike): a dead one.
DEAD_JOB = "000f41dc-0000-7000-8000-0000000f41dc"
URLS = [
    "/_liqueue/", "/_liqueue/jobs", "/_liqueue/jobs?state=dead",
    "/_liqueue/jobs?source_name=source_7",
    "/_liqueue/jobs?state=done&source_name=source_3&priority=low", "/_liqueue/logs",
    "/_liqueue/stats?window=1h", "/_liqueue/events", "/_liqueue/queues",
    "/_liqueue/api/overview", "/_liqueue/api/jobs?limit=50", "/_liqueue/api/jobs?state=dead",
    "/_liqueue/api/jobs/count?state=done", "/_liqueue/api/logs?lines=100",
    "/_liqueue/api/stats?window=1h", "/_liqueue/api/workers", "/_liqueue/api/pauses",
    "/_liqueue/metrics", "/_liqueue/healthz",
    f"/_liqueue/jobs/{DEAD_JOB}", f"/_liqueue/api/jobs/{DEAD_JOB}",
]  # fmt: skip

STATE = """CASE WHEN i % 100 = 0 THEN 'dead' WHEN i % 100 < 6 THEN 'scheduled'
  WHEN i % 100 < 8 THEN 'retry' WHEN i % 100 < 10 THEN 'cancelled' ELSE 'done' END"""
JOB_COLUMNS = """id, state, priority, source_name, body, arguments, context, origin_path,
  origin_line, max_attempts, attempt, run_at, created_at, finished_at, error_message"""


def job_select(now: float, jobs: int, id_expr: str, series: str) -> str:
    return f"""SELECT {id_expr}, {STATE}, i % 3, 'source_' || (i % 20), '{{% log "x" %}}',
  '{{"n": ' || i || ', "email": "user' || i || '@example.com"}}', '{{}}',
  'app/views/pages/x.liquid',
  1, 3, 1, {now} - ({jobs} - i) * 0.01, {now} - ({jobs} - i) * 0.01,
  {now} - ({jobs} - i) * 0.01 + 0.5,
  CASE WHEN i % 100 = 0 THEN 'boom' ELSE NULL END {series}"""


def log_select(now: float, series: str) -> str:
    return f"""SELECT {now} - (i % 7200), 'attempt',
  '[attempt 1/3] - source_' || (i % 20) || ' - SUCCESS - ' || (i % 900) || 'ms',
  'source_' || (i % 20), 1, 3, CASE WHEN i % 50 = 0 THEN 'FAILED' ELSE 'SUCCESS' END,
  i % 900 {series}"""


LOG_COLUMNS = "at, type, message, source_name, attempt, max_attempts, status, duration_ms"


def _sqlite_series(n: int) -> str:
    return (
        "FROM (WITH RECURSIVE s(i) AS "
        f"(SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s)"
    )


def fill_sqlite(path: Path, jobs: int, logs: int) -> None:
    from liqueue.store.sqlite.schema import SQL, split_statements

    now = time.time()
    db = sqlite3.connect(path)
    ids = "printf('%08x-0000-7000-8000-%012x', i, i)"
    select = job_select(now, jobs, ids, _sqlite_series(jobs))
    db.execute(f"INSERT INTO jobs ({JOB_COLUMNS}) {select}")
    # No insert trigger keeps SQLite's job_counts (the store counts what it inserts).
    for statement in split_statements(SQL["recount_job_counts"]):
        db.execute(statement)
    after = db.execute(SQL["last_log_id"]).fetchone()[0]
    db.execute(f"INSERT INTO logs ({LOG_COLUMNS}) {log_select(now, _sqlite_series(logs))}")
    # Nor are attempt lines (migration 0013): those written here are counted now.
    for name in ("count_attempts", "count_attempt_minutes"):
        db.execute(SQL[name], {"after": after})
    db.commit()
    db.execute("ANALYZE")
    db.close()


def fill_postgres(url: str, jobs: int, logs: int) -> None:
    import psycopg

    now = time.time()
    ids = "lpad(to_hex(i), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0')"
    select = job_select(now, jobs, ids, f"FROM generate_series(1, {jobs}) AS i")
    logs_select = log_select(now, f"FROM generate_series(1, {logs}) AS i")
    with psycopg.connect(url) as conn:
        # Text literals to jsonb: the same SELECT serves both backends.
        conn.execute(
            f"INSERT INTO jobs ({JOB_COLUMNS}) SELECT id, state, p, s, b, a::jsonb, c::jsonb, "
            "o, ol, m, at, r, cr, f, e FROM ("
            + select
            + ") AS t(id, state, p, s, b, a, c, o, ol, m, at, r, cr, f, e)"
        )
        conn.execute(f"INSERT INTO logs ({LOG_COLUMNS}) {logs_select}")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure(app_dir: Path, db_url: str, repeat: int) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "LIQUEUE_DATABASE_URL"}
    server = subprocess.Popen(
        [sys.executable, "-m", "liqueue.cli", "dashboard", str(app_dir), "--db", db_url,
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(300):
                try:
                    client.get("/_liqueue/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            for url in URLS:
                started = time.perf_counter()
                client.get(url)  # warms caches; on PostgreSQL folds the counters' deltas
                first = (time.perf_counter() - started) * 1000
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                print(
                    f"  {url:<62} median {statistics.median(times):7.1f} ms"
                    f"   max {max(times):7.1f} ms   first {first:7.1f} ms"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--logs", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app_dir = Path(tmp) / "app"
        (app_dir / "app/views/pages").mkdir(parents=True)
        db_path = Path(tmp) / "bench.db"
        db_url = f"sqlite:///{db_path}"
        subprocess.run(
            [sys.executable, "-m", "liqueue.cli", "migrate", str(app_dir), "--db", db_url],
            check=True,
            capture_output=True,
        )
        started = time.perf_counter()
        fill_sqlite(db_path, args.jobs, args.logs)
        print(
            f"SQLite: {args.jobs:,} jobs, {args.logs:,} log lines "
            f"(filled in {time.perf_counter() - started:.0f}s)"
        )
        measure(app_dir, db_url, args.repeat)
        if args.no_postgres:
            return
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            admin.execute(f"CREATE DATABASE {PG_DB}")
        pg_url = ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
        try:
            subprocess.run(
                [sys.executable, "-m", "liqueue.cli", "migrate", str(app_dir), "--db", pg_url],
                check=True,
                capture_output=True,
            )
            started = time.perf_counter()
            fill_postgres(pg_url, args.jobs, args.logs)
            print(
                f"PostgreSQL: {args.jobs:,} jobs, {args.logs:,} log lines "
                f"(filled in {time.perf_counter() - started:.0f}s)"
            )
            measure(app_dir, pg_url, args.repeat)
        finally:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
