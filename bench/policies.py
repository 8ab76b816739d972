"""What schedules and flow control cost the unlimited queue: no-op jobs per second
with no policies, with policies on other sources, and with a limited source's
jobs interleaved, on SQLite and PostgreSQL (issue 15, item 6).

Every run: a fresh application and database, one render queueing the jobs,
then one worker process, `python -m liqueue.worker APP --db URL --burst`
(default concurrency, 4 threads), which drains them and exits. Configurations:

  plain-sql  no policies, and the worker's claim and next_run_at SQL swapped for
             the ones before the limited claim shared them (no `limited` /
             `blocked` exclusion list): the old plain path, the peer of `none`
  none       no policies set (the measured path: claims go straight to Store.claim)
  others     `sources:` sets `metered` (concurrency: 1, rate: 50/s) and `digest`
             (unique by user_id), each with 200 jobs of its own queued an hour
             ahead; the measured `noop` source is unlimited, but every claim is
             the limited claim
  mixed      as `others`, with the `metered` jobs due now, queued one after
             every 10 no-op jobs: the limited source is held to 1 running and
             50/s while the no-op jobs go on
  mixed-free the jobs of `mixed` with no policies set: the peer that tells
             whether the limit slows the others (against `none`, `mixed` also
             pays for running the metered jobs themselves)

rate = no-op jobs / (last no-op completion - first no-op completion), from the
jobs' finished_at. Rounds are interleaved (every configuration once per round,
both backends in turn) so a noisy minute hits all alike; medians with ranges.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import TRIVIAL_BODY, machine, make_app, sqlite_url, workdir

BENCH_DIR = Path(__file__).resolve().parent
CONFIGS = ("plain-sql", "none", "others", "mixed", "mixed-free")
BACKENDS = ("sqlite", "postgres")
OTHER_JOBS = 200
MIXED_EVERY = 10

POLICIES = """
sources:
  metered:
    concurrency: 1
    rate: 50/s
  digest:
    unique: {by: [user_id]}
"""

# The plain claim and next_run_at as they were before the limited claim shared
# them (liqueue/store/<backend>/sql/ before one claim took an exclusion list).
OLD_SQL_DIR = BENCH_DIR / "policies_old_sql"

# Patches the two SQL texts in the loaded store module, then runs the worker as
# `python -m liqueue.worker` does. SQL[...] is read at each call, so the patch holds.
SWAP_AND_RUN = """
import logging, sys
from pathlib import Path
backend, folder = sys.argv[1], Path(sys.argv[2])
if backend == "sqlite":
    from liqueue.store.sqlite.schema import SQL
else:
    from liqueue.store.postgres.schema import SQL
from liqueue.store import columns
for name in ("claim_jobs", "next_run_at"):
    text = (folder / backend / f"{name}.sql").read_text()
    SQL[name] = text.replace("{job_columns}", ", ".join(columns.JOB))
from liqueue.cli import cli
from liqueue.worker.supervisor import LOG_FORMAT
logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
cli(["worker", *sys.argv[3:]], prog_name="python -m liqueue.worker")
"""


def _tag(source: str, arguments: str, delay: str = "") -> str:
    options = f"source_name: '{source}'{delay}, {arguments}"
    return f"{{% background {options} %}}{TRIVIAL_BODY}{{% endbackground %}}"


def enqueue_page(config: str, jobs: int) -> str:
    """The no-op jobs; with policies, the other sources' jobs too."""
    noop = _tag("noop", "n: i")
    if config in ("plain-sql", "none"):
        return f"{{% for i in (1..{jobs}) %}}{noop}{{% endfor %}}"
    later = ", delay: 60"  # minutes: not due while the no-op jobs run
    page = (
        f"{{% for i in (1..{OTHER_JOBS}) %}}{_tag('digest', 'user_id: i, n: i', later)}"
        "{% endfor %}"
    )
    if config == "others":
        page += f"{{% for i in (1..{OTHER_JOBS}) %}}{_tag('metered', 'n: i', later)}{{% endfor %}}"
        return page + f"{{% for i in (1..{jobs}) %}}{noop}{{% endfor %}}"
    # mixed: one due metered job after every MIXED_EVERY no-op jobs
    metered = _tag("metered", "n: i")
    return (
        page + f"{{% for i in (1..{jobs}) %}}{noop}"
        f"{{% assign m = i | modulo: {MIXED_EVERY} %}}{{% if m == 0 %}}{metered}{{% endif %}}"
        "{% endfor %}"
    )


def worker_command(config: str, backend: str, root: Path, url: str) -> list[str]:
    args = [str(root), "--db", url, "--burst"]
    if config == "plain-sql":
        return [sys.executable, "-c", SWAP_AND_RUN, backend, str(OLD_SQL_DIR), *args]
    return [sys.executable, "-m", "liqueue.worker", *args]


def one_run(
    config: str, backend: str, jobs: int, database: Callable[[Path], Any]
) -> dict[str, Any]:
    from liqueue.app import App

    with workdir(f"policies-{config}") as root:
        make_app(root, {"enqueue": enqueue_page(config, jobs)})
        if config in ("others", "mixed"):  # mixed-free: the same jobs, no policies
            (root / "liqueue.yml").write_text(POLICIES)
        with database(root) as (url, read):
            with App(root, database_url=url) as app:
                app.store.migrate()
                app.render("enqueue")
            command = worker_command(config, backend, root, url)
            started = time.monotonic()
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
            wall = time.monotonic() - started
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr}")
            count, first, last = read(
                "SELECT count(*), min(finished_at), max(finished_at) FROM jobs "
                "WHERE source_name = 'noop' AND state = 'done'"
            )
            (metered,) = read(
                "SELECT count(*) FROM jobs WHERE source_name = 'metered' AND state = 'done'"
            )
            if count != jobs:
                raise RuntimeError(f"{config} on {backend}: {count} of {jobs} no-op jobs done")
            return {
                "jobs_per_s": jobs / (last - first),
                "span_s": last - first,
                "wall_s": wall,
                "metered_done": metered,
                "load_1m": os.getloadavg()[0],
            }


class SQLiteDatabase:
    def __init__(self, root: Path) -> None:
        self.path = root / "liqueue.db"

    def __enter__(self) -> tuple[str, Callable[[str], tuple[Any, ...]]]:
        return sqlite_url(self.path), self.read

    def read(self, sql: str) -> tuple[Any, ...]:
        with sqlite3.connect(self.path) as conn:
            return tuple(conn.execute(sql).fetchone())

    def __exit__(self, *exc: object) -> None:
        pass


class PostgresDatabase:
    def __init__(self, root: Path) -> None:
        del root
        from postgres_common import fresh_database

        self.fresh = fresh_database()
        self.url = ""

    def __enter__(self) -> tuple[str, Callable[[str], tuple[Any, ...]]]:
        self.url = self.fresh.__enter__()
        return self.url, self.read

    def read(self, sql: str) -> tuple[Any, ...]:
        import psycopg

        with psycopg.connect(self.url) as conn:
            row = conn.execute(sql).fetchone()
            assert row is not None
            return tuple(row)

    def __exit__(self, *exc: object) -> None:
        self.fresh.__exit__(None, None, None)


DATABASES: dict[str, Callable[[Path], Any]] = {
    "sqlite": SQLiteDatabase,
    "postgres": PostgresDatabase,
}


def _median_range(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=5000, help="no-op jobs per run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    # One render queues a run's jobs: mixed's and others' too (limits.jobs_per_render).
    if args.jobs + args.jobs // MIXED_EVERY + 2 * OTHER_JOBS > 10_000:
        parser.error("--jobs: at most 8,700, so one render can queue a run's jobs")
    backends = args.backends.split(",")
    configs = args.configs.split(",")
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]), flush=True)
    print("machine:", json.dumps(machine()), flush=True)
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        b: {c: [] for c in configs} for b in backends
    }
    loads: list[float] = []
    for round_no in range(1, args.rounds + 1):
        for backend in backends:
            for config in configs:
                result = one_run(config, backend, args.jobs, DATABASES[backend])
                runs[backend][config].append(result)
                loads.append(result["load_1m"])
                print(
                    f"  round {round_no} {backend:8} {config:9}: {result['jobs_per_s']:7,.0f} "
                    f"no-op jobs/s (span {result['span_s']:.2f} s, wall {result['wall_s']:.2f} s, "
                    f"metered done {result['metered_done']}, load {result['load_1m']:.2f})",
                    file=sys.stderr,
                    flush=True,
                )
    results: dict[str, Any] = {"jobs": args.jobs, "rounds": args.rounds, "runs": runs}
    print(f"load average (1 min) during the runs: {min(loads):.2f}-{max(loads):.2f}")
    for backend in backends:
        rates = {c: [r["jobs_per_s"] for r in runs[backend][c]] for c in configs}
        for config in configs:
            print(f"{backend:8} {config:9}: {_median_range(rates[config])} no-op jobs/s")
        ratios = {}
        pairs = (
            ("none", "plain-sql"),
            ("others", "none"),
            ("mixed", "none"),
            ("mixed", "mixed-free"),
        )
        for config, peer in pairs:
            if config in rates and peer in rates:
                # Per round, then the median: each ratio compares runs a minute apart.
                per_round = [a / b for a, b in zip(rates[config], rates[peer], strict=True)]
                ratios[f"{config}/{peer}"] = per_round
                print(
                    f"{backend:8} {config}/{peer}: median {statistics.median(per_round):.3f} "
                    f"(rounds {min(per_round):.3f}-{max(per_round):.3f})"
                )
        results[f"{backend}_ratios"] = ratios
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
