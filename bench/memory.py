"""Peak resident memory of one worker process after running 10,000 jobs.

The jobs are queued first (liqueue: one page render with 10,000 background
tags; huey: 10,000 task calls); one worker process (not in burst mode) runs
them all; once every job is done its VmHWM (peak resident set size) and
VmRSS are read from /proc/<pid>/status, then it is stopped. For huey's
`-k thread` consumer that one process is the whole consumer. With
--queued-later N, liqueue's store also holds N jobs due in a year (inserted
in bulk before the render, as bench/throughput.py does), measured beside
the empty store. `--backends sqlite,postgres` measures liqueue's worker on
each (PostgreSQL: a fresh database on the server of bench/postgres_common.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _common import (
    machine,
    make_app,
    sqlite_url,
    start_huey_consumer,
    start_liqueue_worker,
    status_kib,
    stop_process,
    wait_until,
    workdir,
)
from throughput import enqueue_page, fill_later_postgres, fill_later_sqlite

JOBS = 10_000
TARGET_MIB = 60


@contextmanager
def store_of(backend: str, root: Path, later: int) -> Iterator[tuple[str, Callable[[], int]]]:
    """(the database URL, a count of its done jobs), the store migrated and holding
    `later` jobs due in a year."""
    if backend == "sqlite":
        db = root / "liqueue.db"
        url = sqlite_url(db)
        migrate_store(url)
        if later:
            fill_later_sqlite(db, later, time.time())
        reader = sqlite3.connect(db, timeout=30)
        try:
            yield url, lambda: int(reader.execute(DONE).fetchone()[0])
        finally:
            reader.close()
        return
    import psycopg
    from postgres_common import fresh_database

    with fresh_database() as url:
        migrate_store(url)
        if later:
            fill_later_postgres(url, later, time.time())
        with psycopg.connect(url, autocommit=True) as reader:
            yield url, lambda: int(reader.execute(DONE).fetchone()[0])


DONE = "SELECT count(*) FROM jobs WHERE state = 'done'"


def migrate_store(url: str) -> None:
    from liqueue.store import open_store

    store = open_store(url)
    try:
        store.migrate()
    finally:
        store.close()


def liqueue_memory(
    jobs: int, concurrency: int, later: int = 0, backend: str = "sqlite"
) -> dict[str, int]:
    from liqueue.app import App

    with workdir("memory") as root:
        make_app(root, {"enqueue": enqueue_page(jobs)})
        with store_of(backend, root, later) as (url, done):
            with App(root, database_url=url) as app:
                app.render("enqueue")
            worker = start_liqueue_worker(root, url, "--concurrency", str(concurrency))
            try:
                wait_until(lambda: done() == jobs, timeout=300, interval=0.1)
                return {
                    "VmHWM_kib": status_kib(worker.pid, "VmHWM"),
                    "VmRSS_kib": status_kib(worker.pid, "VmRSS"),
                }
            finally:
                stop_process(worker)


def huey_memory(jobs: int) -> dict[str, int]:
    import importlib

    with workdir("huey-memory") as root:
        db = root / "huey.db"
        os.environ["BENCH_HUEY_DB"] = str(db)
        os.environ["BENCH_HUEY_FSYNC"] = "1"
        import peer_huey

        peer = importlib.reload(peer_huey)
        for n in range(jobs):
            peer.trivial(n)
        consumer = start_huey_consumer(db, "-w", "1", "-k", "thread")
        try:

            def all_done() -> bool:
                with sqlite3.connect(db, timeout=30) as conn:
                    return int(conn.execute("SELECT count(*) FROM kv").fetchone()[0]) >= jobs

            wait_until(all_done, timeout=300, interval=0.1)
            return {
                "VmHWM_kib": status_kib(consumer.pid, "VmHWM"),
                "VmRSS_kib": status_kib(consumer.pid, "VmRSS"),
            }
        finally:
            stop_process(consumer)
            peer.huey.storage.close()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=JOBS)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--queued-later", type=int, default=0, help="e.g. 1000000; 0: skip")
    parser.add_argument("--no-huey", action="store_true")
    parser.add_argument("--backends", default="sqlite", help="sqlite, postgres or both")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    shown = argv if argv is not None else sys.argv[1:]
    print("command: bench/.venv/bin/python " + shlex.join(["bench/memory.py", *shown]))
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
    results: dict[str, Any] = {}
    for backend in args.backends.split(","):
        for concurrency in args.concurrency:
            name = f"liqueue {backend} C={concurrency}"
            results[name] = liqueue_memory(args.jobs, concurrency, 0, backend)
            if args.queued_later:
                results[f"{name} +{args.queued_later:,} for later"] = liqueue_memory(
                    args.jobs, concurrency, args.queued_later, backend
                )
    if not args.no_huey:
        results["huey -w 1 -k thread"] = huey_memory(args.jobs)
    for name, figures in results.items():
        peak = figures["VmHWM_kib"] / 1024
        met = (
            ""
            if name.startswith("huey")
            else (f" (target {TARGET_MIB} MiB: {'met' if peak <= TARGET_MIB else 'NOT met'})")
        )
        print(
            f"{name}: peak RSS (VmHWM) {peak:.1f} MiB, "
            f"RSS at the end {figures['VmRSS_kib'] / 1024:.1f} MiB{met}",
            flush=True,
        )
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
