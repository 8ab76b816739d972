"""Enqueue on PostgreSQL: 1,000 jobs from one render, and one job at a time from Python.

liqueue:
  render 1,000   App.render of a page with a loop of 1,000 `background` tags:
                 rendering plus the one transaction that stores the jobs
                 (and, separately, the same render without enqueueing)
  single         App.enqueue of a one-job outbox, 1,000 times (jobs/s); and
                 App.render of a one-tag page, 1,000 times
peers, on the same server:
  batch 1,000    pgqueuer Queries.enqueue(list...), procrastinate batch_defer_async
  single         pgqueuer Queries.enqueue(one), procrastinate defer_async, 1,000 times

Median of --runs runs, after one warm-up.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from postgres_common import (
    TRIVIAL_BODY,
    enqueue_page,
    fresh_database,
    liqueue_app,
    machine,
    median,
    migrate,
    peer,
)

ONE = f"{{% background source_name: 'trivial', n: 1 %}}{TRIVIAL_BODY}{{% endbackground %}}"


def liqueue_figures(jobs: int, runs: int, singles: int) -> dict[str, Any]:
    from liqueue import App

    pages = {"enqueue": enqueue_page(jobs), "one": ONE}
    with liqueue_app(pages) as root, fresh_database() as url:
        migrate(root, url)
        with App(root, database_url=url) as app:
            app.render("enqueue")  # warm-up: template parsed, pool connected
            render_only, render_enqueue = [], []
            for _ in range(runs):
                started = time.perf_counter()
                app.render("enqueue", enqueue=False)
                render_only.append(time.perf_counter() - started)
                started = time.perf_counter()
                app.render("enqueue")
                render_enqueue.append(time.perf_counter() - started)
            # App.enqueue alone, on outboxes rendered beforehand (each a new job id):
            outboxes = [app.render("one", enqueue=False).outbox for _ in range(singles)]
            started = time.perf_counter()
            for prepared in outboxes:
                app.enqueue(prepared)
            enqueue_rate = singles / (time.perf_counter() - started)
            started = time.perf_counter()
            for _ in range(singles):
                app.render("one")
            render_rate = singles / (time.perf_counter() - started)
    return {
        "render_1000_ms": median(render_enqueue) * 1000,
        "render_1000_without_enqueue_ms": median(render_only) * 1000,
        "single_enqueue_per_s": enqueue_rate,
        "single_render_per_s": render_rate,
    }


def peer_figures(name: str, jobs: int, runs: int, singles: int) -> dict[str, Any]:
    with fresh_database() as url:
        peer(name, "install", url)
        process = peer(name, "batch", url, str(jobs), str(runs + 1), wait=False)
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
        batches = [float(line) for line in out.decode().split()][1:]  # first: warm-up
        process = peer(name, "single", url, str(singles), wait=False)
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
        return {
            "batch_1000_ms": median(batches) * 1000,
            "single_enqueue_per_s": float(out.decode().split()[-1]),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--singles", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine()}
    results["liqueue"] = liqueue_figures(args.jobs, args.runs, args.singles)
    for name in ("pgqueuer", "procrastinate"):
        results[name] = peer_figures(name, args.jobs, args.runs, args.singles)
    for name in ("liqueue", "pgqueuer", "procrastinate"):
        print(f"{name:14}", "  ".join(f"{k} {v:.1f}" for k, v in results[name].items()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
