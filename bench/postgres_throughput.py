"""Jobs per second on PostgreSQL: 10,000 trivial jobs, 1/2/4 worker processes,
liqueue vs pgqueuer vs procrastinate, side by side against the same server.

Each run: a fresh database, the system's schema, 10,000 jobs enqueued in one
batch (liqueue: one render of 10,000 `background` tags), then P worker
processes started together in drain mode (liqueue `--burst`, pgqueuer
`mode=drain`, procrastinate `wait=False`); they exit when the queue is empty.

  jobs/s     = jobs / (last completion - first completion)
  first->last = first claim (peers: first handler start) to last completion
  launch->exit = the P processes' start to the last one's exit (startup included)

liqueue's times are jobs.started_at / finished_at (the worker's clock at
claim and right after the body rendered); the peers' are time.time() taken
in the handler before and after the same trivial work (n + 1).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from postgres_common import (
    enqueue_page,
    fresh_database,
    liqueue_app,
    machine,
    median,
    migrate,
    peer,
    start_liqueue_worker,
    wait_all,
)


def liqueue_run(jobs: int, processes: int, concurrency: int) -> dict[str, Any]:
    from liqueue import App

    with liqueue_app({"enqueue": enqueue_page(jobs)}) as root, fresh_database() as url:
        migrate(root, url)
        with App(root, database_url=url) as app:
            app.render("enqueue")
        launched = time.time()
        workers = [
            start_liqueue_worker(root, url, "--concurrency", str(concurrency), "--burst")
            for _ in range(processes)
        ]
        wait_all(workers)
        exited = time.time()
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT count(*), min(started_at), min(finished_at), max(finished_at) "
                "FROM jobs WHERE state = 'done'"
            ).fetchone()
        assert row is not None and row[0] == jobs, f"liqueue: {row} of {jobs} done"
        return _figures(jobs, row[1], row[2], row[3], launched, exited)


def peer_run(name: str, jobs: int, processes: int, concurrency: int) -> dict[str, Any]:
    with fresh_database() as url, tempfile.TemporaryDirectory() as tmp:
        peer(name, "install", url)
        peer(name, "enqueue", url, str(jobs))
        outs = [Path(tmp) / f"times-{n}.json" for n in range(processes)]
        launched = time.time()
        workers = [peer(name, "drain", url, str(out), str(concurrency), wait=False) for out in outs]
        wait_all(workers)
        exited = time.time()
        times = [pair for out in outs for pair in json.loads(out.read_text())]
        assert len(times) == jobs, f"{name}: {len(times)} of {jobs} ran"
        starts = [start for start, _ in times]
        ends = [end for _, end in times]
        return _figures(jobs, min(starts), min(ends), max(ends), launched, exited)


def _figures(
    jobs: int, first_claim: float, first_end: float, last_end: float, launched: float, exited: float
) -> dict[str, Any]:
    return {
        "jobs_per_s": jobs / (last_end - first_end),
        "first_to_last_s": last_end - first_claim,
        "launch_to_exit_s": exited - launched,
    }


RATE = "jobs_per_s"

# Concurrency per process: liqueue's default threads; pgqueuer unbounded (its default);
# procrastinate 1 (its default; its async worker runs the sync work inline anyway).
SYSTEMS = {
    "liqueue": lambda jobs, p, c: liqueue_run(jobs, p, c or 4),
    "pgqueuer": lambda jobs, p, c: peer_run("pgqueuer", jobs, p, c or 0),
    "procrastinate": lambda jobs, p, c: peer_run("procrastinate", jobs, p, c or 1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--systems", default="liqueue,pgqueuer,procrastinate")
    parser.add_argument("--concurrency", type=int, default=0, help="per process; 0: defaults")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine(), "jobs": args.jobs, "runs": {}}
    for processes in [int(p) for p in args.processes.split(",")]:
        for system in args.systems.split(","):
            runs = [
                SYSTEMS[system](args.jobs, processes, args.concurrency) for _ in range(args.runs)
            ]
            summary = {key: median([run[key] for run in runs]) for key in runs[0]}
            results["runs"][f"{system} x{processes}"] = {"median": summary, "each": runs}
            print(
                f"{system:14} x{processes}: {summary['jobs_per_s']:8.0f} jobs/s  "
                f"first->last {summary['first_to_last_s']:6.2f} s  "
                f"launch->exit {summary['launch_to_exit_s']:6.2f} s  "
                f"(runs: {', '.join(f'{run[RATE]:.0f}' for run in runs)})",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
