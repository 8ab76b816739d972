"""Realistic jobs per second: liqueue vs huey (SQLite) and pgqueuer (PostgreSQL).

The job (bench/realistic_job.py): ~1 KB of JSON arguments; the Liquid body
includes a partial doing 4 assigns, a 20-item for loop and one `{% log %}`.
Its Python twin (huey, pgqueuer): `json.loads` of the same 1 KB, the same
loop, one logging call to a file.

Each run: a fresh database, N jobs queued first (liqueue: one page render
queueing N `background` tags; huey: N task calls; pgqueuer: one batch), then
P worker processes drain them:
  liqueue   `python -m liqueue.worker APP --db URL --burst` (default concurrency 4)
  huey      `huey_consumer -w 1 -k thread` / `-w 2 -k process`, SQLite WAL with
            synchronous=NORMAL (liqueue's own SQLite setting)
  pgqueuer  `mode=drain`, its default concurrency
jobs/s = N / (last completion - first completion). Configurations run in
interleaved rounds (every configuration once per round) so a noisy minute of
the shared machine hits all alike; each result is the median of the rounds
with the range (min-max), and the ratio liqueue / peer of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import BENCH_DIR, machine, stop_process, wait_until
from realistic_job import PARTIAL, PAYLOAD, app_pages, order

JOBS = 10_000


def _make_app(root: Path, jobs: int) -> None:
    pages, partials = app_pages(jobs)
    for folder, files in (("app/views/pages", pages), ("app/views/partials", partials)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (root / folder / f"{name}.liquid").write_text(text)


def _workers(root: Path, url: str, processes: int) -> float:
    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "liqueue.worker", str(root), "--db", url, "--burst"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(processes)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=1800)
        if worker.returncode != 0:
            raise RuntimeError(f"liqueue worker exit {worker.returncode}: {err.decode()[-2000:]}")
    return time.monotonic() - started


def liqueue_sqlite(jobs: int, processes: int) -> dict[str, float]:
    from liqueue.app import App

    with tempfile.TemporaryDirectory(prefix="liqueue-bench-realistic-") as name:
        root = Path(name)
        _make_app(root, jobs)
        db = root / "liqueue.db"
        url = f"sqlite:///{db}"
        with App(root, database_url=url) as app:
            app.render("enqueue", {"order": order()})
        wall = _workers(root, url, processes)
        with sqlite3.connect(db) as conn:
            done, first, last = conn.execute(
                "SELECT count(*), min(finished_at), max(finished_at) FROM jobs WHERE state='done'"
            ).fetchone()
            logged = conn.execute("SELECT count(*) FROM logs WHERE type='realistic'").fetchone()[0]
        if done != jobs or logged != jobs:
            raise RuntimeError(f"liqueue: {done} of {jobs} jobs done, {logged} logged")
        return {"jobs_per_s": jobs / (last - first), "wall_s": wall}


def liqueue_postgres(jobs: int, processes: int) -> dict[str, float]:
    import psycopg
    from postgres_common import fresh_database, migrate

    from liqueue.app import App

    with tempfile.TemporaryDirectory(prefix="liqueue-bench-realistic-") as name:
        root = Path(name)
        _make_app(root, jobs)
        with fresh_database() as url:
            migrate(root, url)
            with App(root, database_url=url) as app:
                app.render("enqueue", {"order": order()})
            wall = _workers(root, url, processes)
            with psycopg.connect(url) as conn:
                row = conn.execute(
                    "SELECT count(*), min(finished_at), max(finished_at) FROM jobs "
                    "WHERE state = 'done'"
                ).fetchone()
                logged = conn.execute("SELECT count(*) FROM logs WHERE type='realistic'").fetchone()
            assert row is not None and logged is not None
            if row[0] != jobs or logged[0] != jobs:
                raise RuntimeError(f"liqueue: {row[0]} of {jobs} jobs done, {logged[0]} logged")
            return {"jobs_per_s": jobs / (row[2] - row[1]), "wall_s": wall}


def huey_sqlite(jobs: int, processes: int) -> dict[str, float]:
    import importlib

    with tempfile.TemporaryDirectory(prefix="liqueue-bench-realistic-huey-") as name:
        root = Path(name)
        db = root / "huey.db"
        env = {
            "BENCH_HUEY_DB": str(db),
            "BENCH_HUEY_FSYNC": "normal",
            "BENCH_HUEY_LOG": str(root / "huey.log"),
        }
        os.environ.update(env)
        import peer_huey

        peer = importlib.reload(peer_huey)
        for _ in range(jobs):
            peer.realistic(PAYLOAD)
        peer.huey.storage.close()
        options = (
            ["-w", "1", "-k", "thread"]
            if processes == 1
            else ["-w", str(processes), "-k", "process"]
        )
        consumer = Path(sys.executable).with_name("huey_consumer")
        started = time.monotonic()
        process = subprocess.Popen(
            [str(consumer), "peer_huey.huey", "-q", *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **env, "PYTHONPATH": str(BENCH_DIR)},
            cwd=BENCH_DIR,
        )
        try:
            wait_until(lambda: _count(db, "SELECT count(*) FROM kv") >= jobs, 1800, 0.05)
        finally:
            wall = time.monotonic() - started
            stop_process(process)
        with sqlite3.connect(db, timeout=30) as conn:
            values = conn.execute("SELECT value FROM kv").fetchall()
        times = [peer.huey.serializer.deserialize(bytes(v)) for (v,) in values]
        logged = (root / "huey.log").read_text().count("\n")
        if logged != jobs:
            raise RuntimeError(f"huey: {logged} of {jobs} logged")
        return {"jobs_per_s": jobs / (max(times) - min(times)), "wall_s": wall}


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute(sql).fetchone()[0])


def pgqueuer_postgres(jobs: int, processes: int) -> dict[str, float]:
    from postgres_common import fresh_database, peer, wait_all

    with fresh_database() as url, tempfile.TemporaryDirectory() as tmp:
        os.environ.pop("BENCH_PEER_LOG", None)
        peer("pgqueuer", "install", url)
        peer("pgqueuer", "enqueue_realistic", url, str(jobs))
        outs = [Path(tmp) / f"times-{n}.json" for n in range(processes)]
        os.environ["BENCH_PEER_LOG"] = str(Path(tmp) / "pgqueuer.log")
        started = time.monotonic()
        workers = [peer("pgqueuer", "drain", url, str(out), "0", wait=False) for out in outs]
        try:
            wait_all(workers, timeout=1800)
        finally:
            del os.environ["BENCH_PEER_LOG"]
        wall = time.monotonic() - started
        ends = [end for out in outs for _, end in json.loads(out.read_text())]
        logged = (Path(tmp) / "pgqueuer.log").read_text().count("\n")
        if len(ends) != jobs or logged != jobs:
            raise RuntimeError(f"pgqueuer: {len(ends)} of {jobs} ran, {logged} logged")
        return {"jobs_per_s": jobs / (max(ends) - min(ends)), "wall_s": wall}


def _render_us(template: Any, renders: int, repeats: int) -> dict[str, float]:
    each = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(renders):
            template.render(order=json.loads(PAYLOAD))
        each.append((time.perf_counter() - started) / renders * 1e6)
    return {"median": statistics.median(each), "min": min(each), "max": max(each)}


# The partial with its `log` an output: python-liquid has no `log` tag.
PARTIAL_WITHOUT_LOG = PARTIAL.replace("{% log total, type: 'realistic' %}", "{{ total }}")


def plain_render_us(renders: int = 2000, repeats: int = 7) -> dict[str, float]:
    """python-liquid alone: microseconds per render of the job's partial (its
    `log` an output instead), a bare Environment, the order decoded each time."""
    from liquid import Environment

    return _render_us(Environment().from_string(PARTIAL_WITHOUT_LOG), renders, repeats)


def liqueue_render_us(renders: int = 2000, repeats: int = 7) -> dict[str, float]:
    """The same render through an application's environment (platform tags
    and filters, limits, compiled rendering): no queue, no job around it."""
    from liqueue.config import AppConfig
    from liqueue.liquid.environment import build_environment

    with tempfile.TemporaryDirectory(prefix="liqueue-bench-render-") as name:
        env = build_environment(Path(name), AppConfig())
        return _render_us(env.from_string(PARTIAL_WITHOUT_LOG), renders, repeats)


Run = Callable[[int, int], dict[str, float]]
SYSTEMS: dict[str, tuple[str, Run]] = {
    "liqueue-sqlite": ("sqlite", liqueue_sqlite),
    "huey-sqlite": ("sqlite", huey_sqlite),
    "liqueue-postgres": ("postgres", liqueue_postgres),
    "pgqueuer-postgres": ("postgres", pgqueuer_postgres),
}
PEER_OF = {
    "sqlite": ("liqueue-sqlite", "huey-sqlite"),
    "postgres": ("liqueue-postgres", "pgqueuer-postgres"),
}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=JOBS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    backends = args.backends.split(",")
    processes = [int(p) for p in args.processes.split(",")]
    configs = [
        (system, p)
        for p in processes
        for system, (backend, _) in SYSTEMS.items()
        if backend in backends
    ]
    command = "bench/.venv/bin/python " + shlex.join(["bench/realistic.py", *sys.argv[1:]])
    facts = machine()
    print(f"command: {command}")
    print("machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()), flush=True)
    runs: dict[str, list[dict[str, float]]] = {f"{s} x{p}": [] for s, p in configs}
    loads: list[float] = []
    for round_no in range(1, args.rounds + 1):
        for system, p in configs:
            loads.append(os.getloadavg()[0])
            result = SYSTEMS[system][1](args.jobs, p)
            runs[f"{system} x{p}"].append(result)
            print(
                f"  round {round_no} {system} x{p}: {result['jobs_per_s']:.0f} jobs/s "
                f"(wall {result['wall_s']:.1f} s, load {loads[-1]:.2f})",
                file=sys.stderr,
                flush=True,
            )
    results: dict[str, Any] = {"command": command, "machine": facts, "jobs": args.jobs, "runs": {}}
    plain = plain_render_us()
    results["plain_python_liquid_render_us"] = plain
    print(
        "plain python-liquid, one render of the partial (no liqueue, no queue): "
        f"median {plain['median']:.0f} us (range {plain['min']:.0f}-{plain['max']:.0f})"
    )
    own = liqueue_render_us()
    results["liqueue_render_us"] = own
    print(
        "liqueue's environment, the same render (no queue, no job): "
        f"median {own['median']:.0f} us (range {own['min']:.0f}-{own['max']:.0f})"
    )
    results["loadavg_1min_during"] = {
        "min": min(loads),
        "median": statistics.median(loads),
        "max": max(loads),
    }
    for name, per_run in runs.items():
        rates = [r["jobs_per_s"] for r in per_run]
        results["runs"][name] = {
            "median": statistics.median(rates),
            "min": min(rates),
            "max": max(rates),
            "each": rates,
        }
        print(
            f"{name:22} median {statistics.median(rates):6.0f} jobs/s  "
            f"range {min(rates):.0f}-{max(rates):.0f}"
        )
    for backend in backends:
        ours, theirs = PEER_OF[backend]
        for p in processes:
            a, b = results["runs"][f"{ours} x{p}"], results["runs"][f"{theirs} x{p}"]
            ratio = a["median"] / b["median"]
            results["runs"][f"ratio {backend} x{p}"] = ratio
            print(f"ratio {ours} / {theirs} x{p}: {ratio:.2f}")
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
