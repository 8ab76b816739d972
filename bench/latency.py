"""Pickup latency of an idle worker in another process, and its idle CPU.

Pickup latency: a worker process is started and left idle; then, many
times, this process enqueues one job and waits until it has run. Between
samples it sleeps a random 20-120 ms (seeded), so the worker is idle again
when the next job arrives. All times are time.time() on this machine:

- liqueue, "claimed": jobs.started_at (the worker's clock as it claims the
  job) minus the time taken just before `store.enqueue` was called (so the
  enqueue's own transaction counts against liqueue);
- liqueue, "finished": jobs.finished_at (after the body rendered) minus the
  same start: an upper bound of when the body ran;
- huey: the time.time() the task body returns minus the time taken just
  before the task call, at huey's default polling (-d 0.1 -m 10 -b 1.15)
  and at 1 ms polling (-d 0.001 -m 0.001).

Idle CPU: after the samples, the worker is left alone for --idle seconds;
utime+stime of its process (all threads, /proc/<pid>/stat) over that span,
as a percentage of one core.
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
    cpu_seconds,
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


def idle_cpu_percent(pid: int, seconds: float) -> float:
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds * 100


def liqueue_latency(samples: int, idle: float, concurrency: int, seed: int) -> dict[str, Any]:
    from liqueue.app import App
    from liqueue.errors import Location
    from liqueue.jobs import JobSpec
    from liqueue.outbox import Outbox

    rng = random.Random(seed)
    with workdir("latency") as root:
        make_app(root, {"index": "hi"})
        db = root / "liqueue.db"
        url = sqlite_url(db)
        with App(root, database_url=url) as app:
            store = app.store
            worker = start_liqueue_worker(root, url, "--concurrency", str(concurrency))
            try:
                # The worker is listening once its wake-up socket exists.
                wake_dir = Path(str(db) + ".wake")
                wait_until(lambda: wake_dir.is_dir() and any(wake_dir.iterdir()), timeout=30)
                time.sleep(0.5)
                claimed: list[float] = []
                finished: list[float] = []
                reader = sqlite3.connect(db, timeout=30)
                for n in range(samples):
                    time.sleep(rng.uniform(0.02, 0.12))
                    spec = JobSpec(
                        source_name="latency",
                        origin=Location("app/views/pages/index.liquid", 1, 1),
                        body=TRIVIAL_BODY,
                        arguments={"n": n},
                    )
                    t0 = time.time()
                    store.enqueue(Outbox(jobs=[spec]), t0)
                    row: list[Any] = []

                    def done(spec_id: str = spec.id, row: list[Any] = row) -> bool:
                        found = reader.execute(
                            "SELECT started_at, finished_at FROM jobs "
                            "WHERE id = ? AND state = 'done'",
                            (spec_id,),
                        ).fetchone()
                        if found:
                            row.extend(found)
                        return bool(found)

                    wait_until(done, timeout=30, interval=0.0005)
                    claimed.append(row[0] - t0)
                    finished.append(row[1] - t0)
                time.sleep(1.0)
                cpu = idle_cpu_percent(worker.pid, idle)
            finally:
                stop_process(worker)
    return {
        "claimed": summary_ms(claimed),
        "finished": summary_ms(finished),
        "idle_cpu_percent": cpu,
    }


def huey_latency(samples: int, idle: float, options: list[str], seed: int) -> dict[str, Any]:
    import importlib

    rng = random.Random(seed)
    with workdir("huey-latency") as root:
        db = root / "huey.db"
        os.environ["BENCH_HUEY_DB"] = str(db)
        os.environ["BENCH_HUEY_FSYNC"] = "1"
        import peer_huey

        peer = importlib.reload(peer_huey)
        consumer = start_huey_consumer(db, "-w", "1", "-k", "thread", *options)
        try:
            time.sleep(1.0)
            ran: list[float] = []
            for n in range(samples):
                time.sleep(rng.uniform(0.02, 0.12))
                t0 = time.time()
                result = peer.trivial(n)
                ran.append(
                    result.get(blocking=True, timeout=60, backoff=1.0, max_delay=0.0005) - t0
                )
            time.sleep(1.0)
            cpu = idle_cpu_percent(consumer.pid, idle)
        finally:
            stop_process(consumer)
            peer.huey.storage.close()
    return {"ran": summary_ms(ran), "idle_cpu_percent": cpu}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--huey-default-samples", type=int, default=40)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-huey", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    for concurrency in args.concurrency:
        name = f"liqueue C={concurrency}"
        result = liqueue_latency(args.samples, args.idle, concurrency, args.seed)
        results[name] = result
        print(f"{name} claimed: {fmt_ms(result['claimed'])}", flush=True)
        print(f"{name} finished: {fmt_ms(result['finished'])}", flush=True)
        print(f"{name} idle CPU: {result['idle_cpu_percent']:.2f}% of a core", flush=True)
    if not args.no_huey:
        for name, samples, options in [
            ("huey 1 ms polling", args.samples, ["-d", "0.001", "-m", "0.001"]),
            ("huey default polling", args.huey_default_samples, []),
        ]:
            result = huey_latency(samples, args.idle, options, args.seed)
            results[name] = result
            print(f"{name} ran: {fmt_ms(result['ran'])}", flush=True)
            print(f"{name} idle CPU: {result['idle_cpu_percent']:.2f}% of a core", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
