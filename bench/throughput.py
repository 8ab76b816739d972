"""Jobs per second: 10,000 trivial jobs through real worker processes, liqueue vs huey.

liqueue: a page renders 10,000 `background` tags (one transaction), then
P processes of `python -m liqueue.worker APP --db URL --concurrency C --burst`
run them all and exit. huey: 10,000 `trivial(n)` calls are enqueued first,
then `huey_consumer` runs them (one process: `-w 1 -k thread`; two:
`-w 2 -k process`) and is stopped once every result is stored.

Throughput = jobs / (last completion - first completion). liqueue's
completion times are jobs.finished_at (the worker's clock right after the
body rendered); huey's are the time.time() each task returns. Reported per
run and as the median of runs.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _common import (
    TRIVIAL_BODY,
    make_app,
    sqlite_url,
    start_huey_consumer,
    start_liqueue_worker,
    stop_process,
    wait_until,
    workdir,
)

JOBS = 10_000


def enqueue_page(jobs: int) -> str:
    return (
        f"{{% for i in (1..{jobs}) %}}"
        f"{{% background source_name: 'trivial', n: i %}}{TRIVIAL_BODY}{{% endbackground %}}"
        "{% endfor %}"
    )


def liqueue_run(jobs: int, processes: int, concurrency: int) -> dict[str, Any]:
    from liqueue.app import App

    with workdir("throughput") as root:
        make_app(root, {"enqueue": enqueue_page(jobs)})
        db = root / "liqueue.db"
        url = sqlite_url(db)
        with App(root, database_url=url) as app:
            app.render("enqueue")
        started = time.monotonic()
        workers = [
            start_liqueue_worker(root, url, "--concurrency", str(concurrency), "--burst")
            for _ in range(processes)
        ]
        for worker in workers:
            if worker.wait(timeout=600) != 0:
                raise RuntimeError(worker.stderr.read().decode() if worker.stderr else "failed")
        wall = time.monotonic() - started
        with sqlite3.connect(db) as conn:
            done, first, last = conn.execute(
                "SELECT count(*), min(finished_at), max(finished_at) FROM jobs WHERE state='done'"
            ).fetchone()
            per_worker = conn.execute(
                "SELECT count(*) FROM jobs GROUP BY worker_id ORDER BY 1 DESC"
            ).fetchall()
        if done != jobs:
            raise RuntimeError(f"only {done} of {jobs} jobs done")
        return {
            "jobs_per_s": jobs / (last - first),
            "span_s": last - first,
            "wall_s": wall,
            "per_worker": [row[0] for row in per_worker],
        }


def huey_run(jobs: int, processes: int, fsync: bool) -> dict[str, Any]:
    import os

    with workdir("huey-throughput") as root:
        db = root / "huey.db"
        os.environ["BENCH_HUEY_DB"] = str(db)
        os.environ["BENCH_HUEY_FSYNC"] = "1" if fsync else "0"
        import importlib

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
        consumer = start_huey_consumer(db, *options, fsync=fsync)
        try:
            wait_until(lambda: _huey_results(db) >= jobs, timeout=600, interval=0.05)
        finally:
            wall = time.monotonic() - started
            stop_process(consumer)
        times = [peer.huey.serializer.deserialize(bytes(v)) for (v,) in _huey_values(db)]
        first, last = min(times), max(times)
        return {"jobs_per_s": jobs / (last - first), "span_s": last - first, "wall_s": wall}


def _huey_results(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM kv").fetchone()[0])


def _huey_values(db: Path) -> list[tuple[bytes]]:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute("SELECT value FROM kv").fetchall()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=JOBS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-huey", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"jobs": args.jobs}
    for processes in args.processes:
        configs: list[tuple[str, Any]] = [
            (f"liqueue P={processes} C={c}", lambda p=processes, c=c: liqueue_run(args.jobs, p, c))
            for c in args.concurrency
        ]
        if not args.no_huey:
            configs.append(
                (f"huey P={processes} (defaults)", lambda p=processes: huey_run(args.jobs, p, True))
            )
            configs.append(
                (
                    f"huey P={processes} (fsync=False)",
                    lambda p=processes: huey_run(args.jobs, p, False),
                )
            )
        # Interleave runs of the peers so a noisy minute hits all of them alike.
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in configs}
        for _ in range(args.runs):
            for name, run in configs:
                result = run()
                runs[name].append(result)
                print(
                    f"  {name}: {result['jobs_per_s']:.0f} jobs/s "
                    f"(span {result['span_s']:.2f} s, wall {result['wall_s']:.2f} s)"
                    + (f" per worker {result['per_worker']}" if "per_worker" in result else ""),
                    file=sys.stderr,
                    flush=True,
                )
        for name, per_run in runs.items():
            rates = [r["jobs_per_s"] for r in per_run]
            results[name] = {"median_jobs_per_s": statistics.median(rates), "runs": rates}
            print(
                f"{name}: median {statistics.median(rates):.0f} jobs/s "
                f"(runs: {', '.join(f'{r:.0f}' for r in rates)})",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
