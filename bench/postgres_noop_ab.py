"""One liqueue worker draining no-op jobs on PostgreSQL, checkout against checkout.

For each turn, each checkout in turn (e.g. /work/main and a branch): a fresh
database migrated by that checkout, then --rounds rounds of N trivial jobs
queued by one render and drained by `python -m liqueue.worker APP --burst`
started with PYTHONPATH=CHECKOUT (from a neutral directory, so the worker
imports that checkout's liqueue). Printed per round: jobs/s = N / (last
finished_at - first finished_at), and the CPU time all PostgreSQL server
processes of the machine used meanwhile (its live processes plus what the
postmaster reaped from exited ones, so other users of the server count too).
Then the median and range per checkout.

  bench/.venv/bin/python bench/postgres_noop_ab.py /work/main /work/wt/s19-pg
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from postgres_common import SERVER_URL, enqueue_page, fresh_database, liqueue_app

TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def server_cpu_seconds(data_directory: Path) -> float:
    postmaster = (data_directory / "postmaster.pid").read_text().split()[0]
    fields = _stat_fields(postmaster)
    ticks = int(fields[13]) + int(fields[14])  # reaped children: exited backends
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "postgres":
                fields = _stat_fields(pid)
                ticks += int(fields[11]) + int(fields[12])
        except OSError:
            continue  # exited meanwhile
    return ticks / TICK


def _in_checkout(checkout: Path, code: str, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    subprocess.run(
        [sys.executable, "-c", code, *args], env=env, check=True, cwd=tempfile.gettempdir()
    )


# Run by the checkout's own liqueue, so each database has that checkout's schema.
MIGRATE = """
import sys
from liqueue import App
with App(sys.argv[1], database_url=sys.argv[2]) as app:
    app.store.migrate()
"""
RENDER = """
import sys
from liqueue import App
with App(sys.argv[1], database_url=sys.argv[2]) as app:
    app.render("enqueue")
"""


def drain(checkout: Path, root: Path, url: str, data_directory: Path) -> tuple[float, float]:
    _in_checkout(checkout, RENDER, str(root), url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    before = server_cpu_seconds(data_directory)
    subprocess.run(
        [sys.executable, "-m", "liqueue.worker", str(root), "--db", url, "--burst"],
        env={**os.environ, "PYTHONPATH": str(checkout)},
        cwd=tempfile.gettempdir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    cpu = server_cpu_seconds(data_directory) - before
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*), min(finished_at), max(finished_at) FROM jobs WHERE state = 'done'"
        ).fetchone()
        conn.execute("DELETE FROM jobs")
        conn.execute("DELETE FROM logs")
    assert row is not None
    done, first, last = row
    return done / (last - first), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="per database")
    parser.add_argument("--turns", type=int, default=3, help="checkouts alternate this often")
    args = parser.parse_args()
    with psycopg.connect(SERVER_URL) as conn:
        found = conn.execute("SHOW data_directory").fetchone()
    assert found is not None
    data_directory = Path(found[0])
    results: dict[Path, list[tuple[float, float]]] = {c: [] for c in args.checkouts}
    with liqueue_app({"enqueue": enqueue_page(args.jobs)}) as root:
        for _ in range(args.turns):
            for checkout in args.checkouts:
                with fresh_database() as url:
                    _in_checkout(checkout, MIGRATE, str(root), url)
                    for _ in range(args.rounds):
                        rate, cpu = drain(checkout, root, url, data_directory)
                        results[checkout].append((rate, cpu))
                        load = os.getloadavg()[0]
                        print(f"{checkout}: {rate:.0f} jobs/s, server CPU {cpu:.2f} s", end="")
                        print(f", load {load:.2f}", flush=True)
    for checkout, each in results.items():
        rates, cpus = [r for r, _ in each], [c for _, c in each]
        print(
            f"{checkout}: median {statistics.median(rates):.0f} jobs/s "
            f"({min(rates):.0f}-{max(rates):.0f}), server CPU per {args.jobs:,} jobs "
            f"{statistics.median(cpus):.2f} s ({min(cpus):.2f}-{max(cpus):.2f})"
        )


if __name__ == "__main__":
    main()
