"""Shared helpers of the benchmark scripts: apps, processes, /proc readings, statistics.

Everything here runs inside bench/.venv (see bench/setup). Figures are
computed from what the runs record (job rows, log entries, huey results,
/proc files), never written down by hand.
"""

from __future__ import annotations

import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

TRIVIAL_BODY = "{% assign x = n | plus: 1 %}"


def machine() -> dict[str, str]:
    model = "?"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "kernel": platform.release(),
        # Other processes share the 2 cores; a high load means noisy figures.
        "loadavg_1_5_15": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


@contextmanager
def workdir(prefix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"liqueue-bench-{prefix}-") as name:
        yield Path(name)


def make_app(root: Path, pages: dict[str, str]) -> Path:
    """A minimal liqueue application with the given pages (name -> source)."""
    pages_dir = root / "app" / "views" / "pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    for name, source in pages.items():
        (pages_dir / f"{name}.liquid").write_text(source)
    return root


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def start_liqueue_worker(
    app: Path, db_url: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "liqueue.worker", str(app), "--db", db_url, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )


def start_huey_consumer(db_path: Path, *args: str, fsync: bool = True) -> subprocess.Popen[bytes]:
    """`huey_consumer peer_huey.huey` on `db_path`; `args` are consumer options."""
    env = {
        **os.environ,
        "PYTHONPATH": str(BENCH_DIR),
        "BENCH_HUEY_DB": str(db_path),
        "BENCH_HUEY_FSYNC": "1" if fsync else "0",
    }
    consumer = Path(sys.executable).with_name("huey_consumer")
    return subprocess.Popen(
        [str(consumer), "peer_huey.huey", "-q", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=BENCH_DIR,
    )


def stop_process(process: subprocess.Popen[bytes], sig: int = signal.SIGINT) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        time.sleep(interval)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime 14 and stime 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.extend(int(child) for child in children)
    return found


def status_kib(pid: int, key: str) -> int:
    """A `kB` line of /proc/<pid>/status, e.g. VmHWM (peak resident set size)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(samples_s: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms),
        "mean": statistics.fmean(ms),
    }


def fmt_ms(stats: dict[str, float]) -> str:
    return (
        f"p50 {stats['p50']:.2f} ms, p95 {stats['p95']:.2f} ms, p99 {stats['p99']:.2f} ms, "
        f"max {stats['max']:.2f} ms (n={int(stats['n'])})"
    )
