"""Worker processes for the PostgreSQL tests, their output kept in a file.

A pipe could fill up (a worker logs every failed reconnection while the
server restarts) and stall the worker; a file cannot.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

LIQUEUE = Path(sys.executable).with_name("liqueue")


class WorkerProcess:
    def __init__(self, app: Path, db: str, log: Path, *args: str) -> None:
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "liqueue.worker", str(app), "--db", db, *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text()

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait(self, timeout: float = 60) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise


def liqueue_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real `liqueue` console script of this environment."""
    return subprocess.run(
        [str(LIQUEUE), *args], capture_output=True, text=True, timeout=60, check=False
    )
