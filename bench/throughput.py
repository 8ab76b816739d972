"""No-op jobs per second: liqueue vs huey (SQLite) and pgqueuer (PostgreSQL), and
liqueue with 1,000,000 jobs queued for later against an empty queue.

Each round, every configuration in turn (interleaved, so a noisy minute hits
all alike): N trivial jobs (`n + 1`) are queued, then P worker processes
drain them and exit.
  liqueue   one page render of N `background` tags, then
            `python -m liqueue.worker APP --db URL --burst [--concurrency C]`
  huey      N task calls, then `huey_consumer -w 1 -k thread` (`-w P -k process`
            for P > 1); SQLite WAL with synchronous=NORMAL, liqueue's own setting
  pgqueuer  one batch of N, then `mode=drain` at its default concurrency
  liqueue +later  the same as liqueue, on a store that also holds --queued-later
            jobs due in a year (inserted once, in bulk, before the first round)
jobs/s = N / (last completion - first completion). liqueue's stores are kept
across rounds (each round deletes its own done jobs and log lines; PostgreSQL
is vacuumed), the peers get a fresh database each round. Printed: the median
of the rounds with the range (min-max), the ratios liqueue / peer and
+later / empty, the load average and the exact command.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from _common import BENCH_DIR, TRIVIAL_BODY, machine, make_app, stop_process, wait_until

JOBS = 10_000
YEAR = 365 * 86_400.0


def enqueue_page(jobs: int) -> str:
    return (
        f"{{% for i in (1..{jobs}) %}}"
        f"{{% background source_name: 'trivial', n: i %}}{TRIVIAL_BODY}{{% endbackground %}}"
        "{% endfor %}"
    )


# Jobs for later, due in a year.
LATER_SELECT = """
SELECT {id}, 'scheduled', 0, 'later', 'not yet', '{{}}', '{{}}',
       'app/views/pages/enqueue.liquid', 1, 0, {now} + {year}, {now}
"""
LATER_COLUMNS = (
    "id, state, priority, source_name, body, arguments, context, origin_path, "
    "max_attempts, attempt, run_at, created_at"
)


def fill_later_sqlite(db: Path, rows: int, now: float) -> None:
    from liqueue.store.sqlite.schema import SQL, split_statements

    select = LATER_SELECT.format(id="printf('later%027d', i)", now=now, year=YEAR)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) "
            f"INSERT INTO jobs ({LATER_COLUMNS}) {select} FROM n",
            (rows,),
        )
        # SQLite's job_counts has no insert trigger (the store counts what it
        # inserts): rows written here are counted as a whole.
        for statement in split_statements(SQL["recount_job_counts"]):
            conn.execute(statement)
        conn.execute("ANALYZE")
    # The bulk load's aftermath (its WAL copied into the database, on
    # PostgreSQL the checkpoint's writes) belongs to the load, not to the
    # rounds: a store that has held these jobs a while has it behind it.
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def fill_later_postgres(url: str, rows: int, now: float) -> None:
    import psycopg

    select = LATER_SELECT.format(id="'later' || lpad(i::text, 27, '0')", now=now, year=YEAR)
    with psycopg.connect(url) as conn:
        conn.execute(
            f"INSERT INTO jobs ({LATER_COLUMNS}) {select} "
            "FROM generate_series(0, %(rows)s - 1) AS n(i)",
            {"rows": rows},
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")  # as for SQLite above


class LiqueueStore:
    """An application and its store, kept across rounds."""

    def __init__(self, backend: str, root: Path, url: str, jobs: int) -> None:
        self.backend, self.root, self.url, self.jobs = backend, root, url, jobs
        make_app(root, {"enqueue": enqueue_page(jobs)})
        from liqueue.app import App

        with App(root, database_url=url) as app:
            app.store.migrate()

    def fill_later(self, rows: int) -> None:
        started = time.monotonic()
        if self.backend == "sqlite":
            fill_later_sqlite(Path(self.url.removeprefix("sqlite:///")), rows, time.time())
        else:
            fill_later_postgres(self.url, rows, time.time())
        print(
            f"  {rows:,} jobs for later inserted in {time.monotonic() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )

    def run(self, processes: int, concurrency: int | None) -> dict[str, float]:
        from liqueue.app import App

        with App(self.root, database_url=self.url) as app:
            app.render("enqueue")
        extra = ["--concurrency", str(concurrency)] if concurrency else []
        started = time.monotonic()
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "liqueue.worker",
                    str(self.root),
                    "--db",
                    self.url,
                    "--burst",
                    *extra,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(processes)
        ]
        for worker in workers:
            _, err = worker.communicate(timeout=600)
            if worker.returncode != 0:
                raise RuntimeError(
                    f"liqueue worker exit {worker.returncode}: {err.decode()[-2000:]}"
                )
        wall = time.monotonic() - started
        done, first, last = self._sql(
            "SELECT count(*), min(finished_at), max(finished_at) FROM jobs "
            "WHERE source_name = 'trivial' AND state = 'done'",
            "DELETE FROM jobs WHERE source_name = 'trivial'",
            "DELETE FROM logs",
        )
        if done != self.jobs:
            raise RuntimeError(f"liqueue: {done} of {self.jobs} jobs done")
        return {"jobs_per_s": self.jobs / (last - first), "wall_s": wall}

    def _sql(self, query: str, *cleanup: str) -> tuple[Any, ...]:
        if self.backend == "sqlite":
            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as conn:
                row = conn.execute(query).fetchone()
                for sql in cleanup:
                    conn.execute(sql)
            return tuple(row)
        import psycopg

        with psycopg.connect(self.url) as conn:
            found = conn.execute(query).fetchone()
            for sql in cleanup:
                conn.execute(sql)
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE jobs")
            conn.execute("VACUUM ANALYZE logs")
        assert found is not None
        return tuple(found)


def huey_normal(jobs: int, processes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="liqueue-bench-huey-") as name:
        db = Path(name) / "huey.db"
        env = {"BENCH_HUEY_DB": str(db), "BENCH_HUEY_FSYNC": "normal"}
        os.environ.update(env)
        import peer_huey

        peer = importlib.reload(peer_huey)
        for n in range(jobs):
            peer.trivial(n)
        peer.huey.storage.close()
        options = (
            ["-w", "1", "-k", "thread"]
            if processes == 1
            else ["-w", str(processes), "-k", "process"]
        )
        started = time.monotonic()
        consumer = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("huey_consumer")),
                "peer_huey.huey",
                "-q",
                *options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **env, "PYTHONPATH": str(BENCH_DIR)},
            cwd=BENCH_DIR,
        )
        try:
            wait_until(lambda: _huey_count(db) >= jobs, timeout=600, interval=0.05)
        finally:
            wall = time.monotonic() - started
            stop_process(consumer)
        with sqlite3.connect(db, timeout=30) as conn:
            times = [
                peer.huey.serializer.deserialize(bytes(v))
                for (v,) in conn.execute("SELECT value FROM kv")
            ]
        return {"jobs_per_s": jobs / (max(times) - min(times)), "wall_s": wall}


def _huey_count(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM kv").fetchone()[0])


def pgqueuer(jobs: int, processes: int) -> dict[str, float]:
    from postgres_throughput import peer_run

    return {"jobs_per_s": float(peer_run("pgqueuer", jobs, processes, 0)["jobs_per_s"])}


@contextmanager
def liqueue_store(backend: str, jobs: int, later: int) -> Iterator[LiqueueStore]:
    with tempfile.TemporaryDirectory(prefix="liqueue-bench-throughput-") as name:
        root = Path(name)
        if backend == "sqlite":
            store = LiqueueStore(backend, root, f"sqlite:///{root / 'liqueue.db'}", jobs)
            if later:
                store.fill_later(later)
            yield store
            return
        from postgres_common import fresh_database

        with fresh_database() as url:
            store = LiqueueStore(backend, root, url, jobs)
            if later:
                store.fill_later(later)
            yield store


Run = Callable[[], dict[str, float]]
PEERS = {"sqlite": ("huey-normal", huey_normal), "postgres": ("pgqueuer", pgqueuer)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=JOBS)
    parser.add_argument("--runs", type=int, default=3, help="rounds")
    parser.add_argument("--processes", default="1", help="comma-separated, e.g. 1,2")
    parser.add_argument("--concurrency", type=int, default=0, help="liqueue threads; 0: default")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--queued-later", type=int, default=0, help="e.g. 1000000; 0: skip")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    command = "bench/.venv/bin/python " + shlex.join(
        ["bench/throughput.py", *(argv if argv is not None else sys.argv[1:])]
    )
    facts = machine()
    print(f"command: {command}")
    print("machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()), flush=True)
    backends = args.backends.split(",")
    processes = [int(p) for p in args.processes.split(",")]
    concurrency = args.concurrency or None
    results: dict[str, Any] = {"command": command, "machine": facts, "jobs": args.jobs, "runs": {}}
    loads: list[float] = []
    with ExitStack() as stack:
        configs: list[tuple[str, Run]] = []
        for backend in backends:
            empty = stack.enter_context(liqueue_store(backend, args.jobs, 0))
            later = (
                stack.enter_context(liqueue_store(backend, args.jobs, args.queued_later))
                if args.queued_later
                else None
            )
            for p in processes:
                configs.append(
                    (f"liqueue-{backend} x{p}", lambda s=empty, p=p: s.run(p, concurrency))
                )
                if later is not None:
                    configs.append(
                        (
                            f"liqueue-{backend} +later x{p}",
                            lambda s=later, p=p: s.run(p, concurrency),
                        )
                    )
                if not args.no_peers:
                    peer_name, peer_run = PEERS[backend]
                    configs.append((f"{peer_name} x{p}", lambda r=peer_run, p=p: r(args.jobs, p)))
        rates: dict[str, list[float]] = {name: [] for name, _ in configs}
        for round_no in range(1, args.runs + 1):
            for name, run in configs:
                loads.append(os.getloadavg()[0])
                result = run()
                rates[name].append(result["jobs_per_s"])
                print(
                    f"  round {round_no} {name}: {result['jobs_per_s']:.0f} jobs/s "
                    f"(load {loads[-1]:.2f})",
                    file=sys.stderr,
                    flush=True,
                )
    for name, each in rates.items():
        results["runs"][name] = {
            "median": statistics.median(each),
            "min": min(each),
            "max": max(each),
            "each": each,
        }
        print(
            f"{name:32} median {statistics.median(each):6.0f} jobs/s  "
            f"range {min(each):.0f}-{max(each):.0f}"
        )
    runs = results["runs"]
    for backend in backends:
        for p in processes:
            ours = runs[f"liqueue-{backend} x{p}"]["median"]
            if not args.no_peers:
                peer_name = PEERS[backend][0]
                ratio = ours / runs[f"{peer_name} x{p}"]["median"]
                results["runs"][f"ratio liqueue-{backend} / {peer_name} x{p}"] = ratio
                print(f"ratio liqueue-{backend} / {peer_name} x{p}: {ratio:.2f}")
            if args.queued_later:
                ratio = runs[f"liqueue-{backend} +later x{p}"]["median"] / ours
                results["runs"][f"ratio liqueue-{backend} +later / empty x{p}"] = ratio
                print(
                    f"ratio liqueue-{backend} with {args.queued_later:,} for later / empty "
                    f"x{p}: {ratio:.2f}"
                )
    results["loadavg_1min_during"] = {
        "min": min(loads),
        "median": statistics.median(loads),
        "max": max(loads),
    }
    print(
        "load average (1 min) during the runs: "
        "min {min:.2f}, median {median:.2f}, max {max:.2f}".format(**results["loadavg_1min_during"])
    )
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
