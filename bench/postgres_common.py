"""Helpers of the PostgreSQL benchmarks: fresh databases, apps, processes, machine facts.

Everything runs inside bench/.venv (bench/setup-postgres). The server is
LIQUEUE_BENCH_POSTGRES_URL (default postgresql://127.0.0.1:5432/postgres);
each run gets a fresh database, dropped afterwards.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
SERVER_URL = os.environ.get("LIQUEUE_BENCH_POSTGRES_URL", "postgresql://127.0.0.1:5432/postgres")
PEERS = BENCH_DIR / "postgres_peers.py"

TRIVIAL_BODY = "{% assign x = n | plus: 1 %}"  # the same trivial work the peers do (n + 1)


def enqueue_page(jobs: int) -> str:
    return (
        f"{{% for i in (1..{jobs}) %}}"
        f"{{% background source_name: 'trivial', n: i %}}{TRIVIAL_BODY}{{% endbackground %}}"
        "{% endfor %}"
    )


def machine() -> dict[str, str]:
    model = "?"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with psycopg.connect(SERVER_URL) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        sync = conn.execute("SHOW synchronous_commit").fetchone()
    from importlib.metadata import version

    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "postgresql": row[0] if row else "?",
        "synchronous_commit": sync[0] if sync else "?",
        "kernel": platform.release(),
        "psycopg": version("psycopg"),
        "pgqueuer": version("pgqueuer"),
        "procrastinate": version("procrastinate"),
    }


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))


@contextmanager
def fresh_database() -> Iterator[str]:
    name = f"liqueue_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        with psycopg.connect(SERVER_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def liqueue_app(pages: dict[str, str], config: str = "") -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="liqueue-bench-pg-") as name:
        root = Path(name)
        pages_dir = root / "app" / "views" / "pages"
        pages_dir.mkdir(parents=True)
        for page, source in pages.items():
            (pages_dir / f"{page}.liquid").write_text(source)
        if config:
            (root / "liqueue.yml").write_text(config)
        yield root


def migrate(root: Path, url: str) -> None:
    from liqueue import App

    with App(root, database_url=url) as app:
        app.store.migrate()


def start_liqueue_worker(root: Path, url: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "liqueue.worker", str(root), "--db", url, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def peer(*args: str, wait: bool = True) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, str(PEERS), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if wait:
        _, err = process.communicate(timeout=600)
        if process.returncode != 0:
            raise RuntimeError(f"{args}: exit {process.returncode}\n{err.decode()}")
    return process


def wait_all(processes: Sequence[subprocess.Popen[bytes]], timeout: float = 600) -> None:
    for process in processes:
        _, err = process.communicate(timeout=timeout)
        if process.returncode != 0:
            tail = err.decode()[-3000:]
            raise RuntimeError(f"{process.args!r}: exit {process.returncode}\n{tail}")


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
