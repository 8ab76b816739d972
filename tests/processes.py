"""The one harness for the processes tests start: workers, the CLI, small programs.

Workers and the CLI write their output to a file, not a pipe: a pipe could
fill up (a worker logs every failed reconnection while the server restarts)
and stall the process; a file cannot. Small programs (`python -c`) talk over
pipes instead, so a test can start several and release them together.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

LIQUEUE = Path(sys.executable).with_name("liqueue")


class Process:
    """A process started by a test, its output (stdout and stderr) kept in `log`."""

    def __init__(self, command: list[str], log: Path) -> None:
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                command,
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

    def send(self, sig: int) -> None:
        self.process.send_signal(sig)

    def wait(self, timeout: float = 60) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Signal the process (unless it has ended) and wait for it; kill it if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise


class Processes:
    """Every process one test started; those still alive are killed at its end."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.started: list[Process] = []

    def _start(self, command: list[str]) -> Process:
        process = Process(command, self.directory / f"process-{len(self.started)}.log")
        self.started.append(process)
        return process

    def worker(self, app: Path, db: str, *args: str) -> Process:
        """`python -m liqueue.worker APP --db DB ARGS`."""
        return self._start([sys.executable, "-m", "liqueue.worker", str(app), "--db", db, *args])

    def cli(self, *args: str) -> Process:
        """`python -m liqueue.cli ARGS`, running in the background."""
        return self._start([sys.executable, "-m", "liqueue.cli", *args])

    def kill_all(self) -> None:
        for process in self.started:
            if process.alive():
                process.stop(signal.SIGKILL)

    def __iter__(self) -> Iterator[Process]:
        return iter(self.started)


def liqueue_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real `liqueue` console script of this environment, run to its end."""
    return subprocess.run(
        [str(LIQUEUE), *args], capture_output=True, text=True, timeout=60, check=False
    )


def start_program(program: str, *args: str) -> subprocess.Popen[str]:
    """`python -c PROGRAM ARGS` with pipes for stdin and stdout."""
    return subprocess.Popen(
        [sys.executable, "-c", program, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def expect_line(process: subprocess.Popen[str], wanted: str) -> None:
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != wanted:
        _, errors = process.communicate(timeout=10)
        raise AssertionError(f"child said {line!r}, expected {wanted!r}; stderr:\n{errors}")


def start_ready(program: str, argsets: Iterable[Sequence[str]]) -> list[subprocess.Popen[str]]:
    """One `start_program` per argument list, each waited for until it says "ready"."""
    children = [start_program(program, *args) for args in argsets]
    for child in children:
        expect_line(child, "ready")
    return children


def release(children: Iterable[subprocess.Popen[str]]) -> None:
    """Tell children waiting after "ready" to go, so they start their work together."""
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()


def finish(process: subprocess.Popen[str], timeout: float = 60) -> str:
    output, errors = process.communicate(timeout=timeout)
    assert process.returncode == 0, errors
    return output.strip()


def children(pid: int) -> list[int]:
    """The pids of a running process's children (Linux: /proc)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def gone(pid: int) -> bool:
    """Exited: no such process, or a zombie nobody reaped yet."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"
