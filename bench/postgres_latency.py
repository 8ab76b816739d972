"""Pickup latency on PostgreSQL via LISTEN/NOTIFY: an idle worker, one job at a time.

One worker process waits, idle. The benchmark enqueues a single trivial
job, waits until it ran, sleeps --gap seconds (the worker goes idle again),
and repeats. Latency = the moment the job's body starts (measured inside it)
minus the moment just before the enqueue call (same machine, same clock).

liqueue: `python -m liqueue.worker APP --concurrency 4`; the body is
`{% log 'picked', type: 'picked' %}` and the log entry's time is taken when
the tag runs; enqueue = App.enqueue of an outbox rendered beforehand.
pgqueuer / procrastinate: their worker (LISTEN on by default) with a handler
that reads time.time() first thing; enqueue = Queries.enqueue / defer_async.
"""

from __future__ import annotations

import argparse
import json
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from postgres_common import (
    fresh_database,
    liqueue_app,
    machine,
    migrate,
    peer,
    percentile,
    start_liqueue_worker,
)

PICK = "{% background source_name: 'pick' %}{% log 'picked', type: 'picked' %}{% endbackground %}"


def summary(latencies: list[float]) -> dict[str, float]:
    ms = [value * 1000 for value in latencies]
    return {
        "p50_ms": percentile(ms, 0.5),
        "p95_ms": percentile(ms, 0.95),
        "p99_ms": percentile(ms, 0.99),
        "max_ms": max(ms),
        "samples": len(ms),
    }


def liqueue_latency(samples: int, gap: float) -> list[float]:
    from liqueue import App

    with liqueue_app({"pick": PICK}) as root, fresh_database() as url:
        migrate(root, url)
        worker = start_liqueue_worker(root, url, "--concurrency", "4")
        try:
            with App(root, database_url=url) as app, psycopg.connect(url, autocommit=True) as db:

                def picked() -> int:
                    row = db.execute("SELECT count(*) FROM logs WHERE type = 'picked'").fetchone()
                    return int(row[0]) if row else 0

                sent: dict[str, float] = {}
                for n in range(samples + 5):  # the first 5 warm up
                    time.sleep(gap)
                    outbox = app.render("pick", enqueue=False).outbox
                    started = time.time()
                    app.enqueue(outbox)
                    if n >= 5:
                        sent[outbox.jobs[0].id] = started
                    deadline = time.monotonic() + 10
                    while picked() <= n:
                        if time.monotonic() > deadline:
                            raise SystemExit(f"liqueue: job {n} not picked up within 10 s")
                        time.sleep(0.001)
                found = db.execute("SELECT job_id, at FROM logs WHERE type = 'picked'").fetchall()
            return [at - sent[job_id] for job_id, at in found if job_id in sent]
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)


def peer_latency(name: str, samples: int, gap: float) -> list[float]:
    with fresh_database() as url, tempfile.TemporaryDirectory() as tmp:
        peer(name, "install", url)
        out = Path(tmp) / "times.txt"
        worker = peer(
            name, "serve", url, str(out), "1" if name == "procrastinate" else "0", wait=False
        )
        try:
            time.sleep(2.0)  # the worker is up and listening
            process = peer(name, "pickups", url, str(out), str(samples + 5), str(gap), wait=False)
            stdout, stderr = process.communicate(timeout=600)
            assert process.returncode == 0, stderr.decode()
            sent = json.loads(stdout.decode().splitlines()[-1])
            starts = [float(line.split()[0]) for line in out.read_text().splitlines()]
            return [start - at for start, at in zip(starts[5:], sent[5:], strict=True)]
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except Exception:
                worker.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--gap", type=float, default=0.02, help="idle time before each job (s)")
    parser.add_argument("--systems", default="liqueue,pgqueuer,procrastinate")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine()}
    for system in args.systems.split(","):
        if system == "liqueue":
            latencies = liqueue_latency(args.samples, args.gap)
        else:
            latencies = peer_latency(system, args.samples, args.gap)
        results[system] = summary(latencies)
        figures = results[system]
        print(
            f"{system:14} p50 {figures['p50_ms']:6.2f} ms  p95 {figures['p95_ms']:6.2f} ms  "
            f"p99 {figures['p99_ms']:6.2f} ms  max {figures['max_ms']:6.2f} ms  "
            f"({figures['samples']:.0f} samples)",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
