"""Delay precision: how late delayed jobs start, liqueue vs huey.

--jobs jobs are enqueued in --batches batches a random 0-300 ms apart, each
job with a random delay (seeded) between 0.02 and 0.1 minutes (1.2-6 s), to
one idle worker process in another process. Per job, start minus due:

- liqueue: jobs.started_at (claim time, the worker's clock) minus
  jobs.run_at (enqueue time + delay, the enqueuer's clock; same machine);
  also finished_at minus run_at;
- huey: the time.time() the task returns minus (time.time() just before
  `trivial.schedule(delay=...)` + delay), with huey's default scheduler
  interval (1 s), which bounds its precision.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from _common import (
    TRIVIAL_BODY,
    fmt_ms,
    make_app,
    sqlite_url,
    start_huey_consumer,
    start_liqueue_worker,
    stop_process,
    summary_ms,
    wait_until,
    workdir,
)


def delays(jobs: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(0.02, 0.1) for _ in range(jobs)]


def liqueue_delays(jobs: int, batches: int, concurrency: int, seed: int) -> dict[str, Any]:
    from liqueue.app import App
    from liqueue.errors import Location
    from liqueue.jobs import JobSpec
    from liqueue.outbox import Outbox

    rng = random.Random(seed + 1)
    minutes = delays(jobs, seed)
    with workdir("delays") as root:
        make_app(root, {"index": "hi"})
        db = root / "liqueue.db"
        url = sqlite_url(db)
        with App(root, database_url=url) as app:
            worker = start_liqueue_worker(root, url, "--concurrency", str(concurrency))
            try:
                wake_dir = Path(str(db) + ".wake")
                wait_until(lambda: wake_dir.is_dir() and any(wake_dir.iterdir()), timeout=30)
                per_batch = -(-jobs // batches)
                for start in range(0, jobs, per_batch):
                    specs = [
                        JobSpec(
                            source_name="delayed",
                            origin=Location("app/views/pages/index.liquid", 1, 1),
                            body=TRIVIAL_BODY,
                            arguments={"n": n},
                            delay_minutes=minutes[n],
                        )
                        for n in range(start, min(jobs, start + per_batch))
                    ]
                    app.store.enqueue(Outbox(jobs=specs), time.time())
                    time.sleep(rng.uniform(0, 0.3))
                reader = sqlite3.connect(db, timeout=30)

                def all_done() -> bool:
                    query = "SELECT count(*) FROM jobs WHERE state = 'done'"
                    return int(reader.execute(query).fetchone()[0]) == jobs

                wait_until(all_done, timeout=60, interval=0.05)
                found = reader.execute(
                    "SELECT started_at, finished_at, run_at FROM jobs"
                ).fetchall()
            finally:
                stop_process(worker)
    return {
        "started": summary_ms([started - due for started, _, due in found]),
        "finished": summary_ms([finished - due for _, finished, due in found]),
        "early": sum(1 for started, _, due in found if started < due),
    }


def huey_delays(jobs: int, batches: int, seed: int) -> dict[str, Any]:
    import importlib

    rng = random.Random(seed + 1)
    minutes = delays(jobs, seed)
    with workdir("huey-delays") as root:
        db = root / "huey.db"
        os.environ["BENCH_HUEY_DB"] = str(db)
        os.environ["BENCH_HUEY_FSYNC"] = "1"
        import peer_huey

        peer = importlib.reload(peer_huey)
        consumer = start_huey_consumer(db, "-w", "1", "-k", "thread")
        try:
            time.sleep(1.0)
            per_batch = -(-jobs // batches)
            pending: list[tuple[Any, float]] = []
            for start in range(0, jobs, per_batch):
                for n in range(start, min(jobs, start + per_batch)):
                    seconds = minutes[n] * 60
                    due = time.time() + seconds
                    pending.append((peer.trivial.schedule(args=(n,), delay=seconds), due))
                time.sleep(rng.uniform(0, 0.3))
            late = [result.get(blocking=True, timeout=60) - due for result, due in pending]
        finally:
            stop_process(consumer)
            peer.huey.storage.close()
    return {"started": summary_ms(late), "early": sum(1 for x in late if x < 0)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-huey", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    for concurrency in args.concurrency:
        name = f"liqueue C={concurrency}"
        result = liqueue_delays(args.jobs, args.batches, concurrency, args.seed)
        results[name] = result
        print(f"{name} start - due: {fmt_ms(result['started'])}; early: {result['early']}")
        print(f"{name} finished - due: {fmt_ms(result['finished'])}", flush=True)
    if not args.no_huey:
        result = huey_delays(args.jobs, args.batches, args.seed)
        results["huey (scheduler every 1 s)"] = result
        print(f"huey start - due: {fmt_ms(result['started'])}; early: {result['early']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
