"""README's examples run as written.

Every ```bash block after the set-up one runs line by line in a fresh
directory holding a copy of `examples/shop` (and a scaffolded `myapp`,
unless the block creates it), with `liqueue` on PATH meaning this
interpreter's `python -m liqueue.cli`, as `source .venv/bin/activate` would
give. A line runs through bash with `pipefail`, so `| grep FAILED` must find
something. Lines that serve until Ctrl-C (`serve`, `worker` without
`--burst`, `demo` without `--exit-when-idle`) are started, checked to answer
or to start, then stopped with Ctrl-C (SIGINT to their process group).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from liqueue import App, ManualClock
from liqueue.jobs import JobState
from liqueue.scaffold import create_app
from liqueue.store.browse import JobFilter
from tests.cli.test_example_shop import copy_shop
from tests.store.conftest import POSTGRES_URL, require_postgres

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SCAFFOLD_CHECKOUT = ROOT / "liqueue/scaffold/template/app/views/pages/checkout.liquid"
PG_README_URL = "postgresql://127.0.0.1:5432/myapp"
SHIM = '#!/bin/sh\nexec "{python}" -m liqueue.cli "$@"\n'


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), re.S)


def section_of(block: str) -> str:
    text = README.read_text()
    before = text[: text.index(block)]
    titles = re.findall(r"^## (.+)$", before, re.M)
    return titles[-1] if titles else "top"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_readme_opens_with_exactly_the_two_setup_commands() -> None:
    first_block = blocks("bash")[0]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["./scripts/example", "./scripts/test"]
    assert README.read_text().startswith("# liqueue\n\n```bash\n" + first_block)
    ci = (README.parent / ".ci" / "run").read_text()
    assert "./scripts/test" in ci


def test_readme_says_how_liqueue_gets_on_path() -> None:
    assert "source .venv/bin/activate" in README.read_text()


def test_the_job_in_one_minute_page_is_what_liqueue_new_writes() -> None:
    section = README.read_text().split("## A job in one minute")[1]
    [page] = re.findall(r"```liquid\n(.*?)```", section, re.S)[:1]
    assert page.strip() in SCAFFOLD_CHECKOUT.read_text()


def test_more_names_every_doc() -> None:
    more = README.read_text().split("## More")[1]
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{doc.name}" in more, f"README's More list does not name docs/{doc.name}"


def test_the_testing_example_passes_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Retry jitter is +/-10%, so without `drain` removing it half the runs fail.
    [example] = [block for block in blocks("python") if "liqueue.testing" in block]
    for run in range(10):
        here = tmp_path / str(run)
        create_app(here / "myapp")  # as `liqueue new` writes it, jitter at its default
        monkeypatch.chdir(here)
        exec(compile(example, "README.md", "exec"), {"tmp_path": here})


def test_drain_schedules_retries_without_jitter(tmp_path: Path) -> None:
    from liqueue.testing import drain

    create_app(tmp_path / "myapp")
    clock = ManualClock()
    with App(tmp_path / "myapp", clock=clock) as app:
        app.render("checkout", {"order": {"id": 7}})
        drain(app)
        [charge] = app.store.find_jobs(
            JobFilter(source_name="payment_process_charge"), limit=1, after=None
        )
        assert charge.run_at == clock.now() + 5.0


def is_forever(args: list[str]) -> bool:
    while args and re.match(r"^[A-Z_]+=", args[0]):
        args = args[1:]
    if len(args) < 2 or args[0] != "liqueue":
        return False
    command = args[1]
    return (
        command == "serve"
        or (command == "worker" and "--burst" not in args)
        or (command == "demo" and "--exit-when-idle" not in args)
    )


class Session:
    """A shell session of sorts: its directory carries over from line to line (`cd`)."""

    def __init__(self, cwd: Path, bin_dir: Path) -> None:
        self.cwd = cwd
        self.env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        self.env.pop("LIQUEUE_APP", None)
        self.env.pop("LIQUEUE_DATABASE_URL", None)
        self.env["NO_COLOR"] = "1"
        self.cwd_file = bin_dir / "cwd"

    def run(self, line: str) -> None:
        args = shlex.split(line, comments=True)
        if not args:
            return
        port = free_port()  # 8000 and 8080 may be taken on this machine
        line = re.sub(
            r"(\bliqueue (?:demo|serve)\b[^|#\n]*)",
            lambda m: f"{m.group(1).rstrip()} --port {port} ",
            line,
        )
        if is_forever(args):
            self._start_and_stop(line, args, port)
            return
        script = f'set -o pipefail\n{line}\n__rc=$?\npwd > "{self.cwd_file}"\nexit $__rc\n'
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        self.cwd = Path(self.cwd_file.read_text().strip())

    def _start_and_stop(self, line: str, args: list[str], port: int) -> None:
        out = self.cwd_file.with_name("forever.out")
        with out.open("w") as sink:
            process = subprocess.Popen(
                ["bash", "-c", f"exec {line}" if args[0] == "liqueue" else line],
                cwd=self.cwd,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            command = args[args.index("liqueue") + 1]
            if command == "serve":
                self._wait_until(lambda: _answers(port), process, out, line)
            elif command == "worker":
                self._wait_until(
                    lambda: "liqueue.worker starting" in out.read_text(), process, out, line
                )
                self._wait_until(lambda: self._nothing_due(args), process, out, line)
            else:
                self._wait_until(lambda: "still serving at" in out.read_text(), process, out, line)
                assert _answers(port)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise AssertionError(f"{line}: Ctrl-C did not stop it\n{out.read_text()}") from None
        assert process.returncode in (0, 130, -signal.SIGINT), f"{line}\n{out.read_text()}"

    def _nothing_due(self, args: list[str]) -> bool:
        """Every job due now has had its attempt (the worker did something)."""
        database = next(
            (a.split("=", 1)[1] for a in args if a.startswith("LIQUEUE_DATABASE_URL=")), None
        )
        after = args[args.index("worker") + 1 :]
        root = self.cwd / after[0] if after and not after[0].startswith("-") else self.cwd
        with App(root, database_url=database) as app:
            due = app.store.next_run_at()
            running = app.store.count_jobs(JobFilter(state=JobState.RUNNING))
            return running == 0 and (due is None or due > time.time())

    @staticmethod
    def _wait_until(
        predicate: object, process: subprocess.Popen[bytes], out: Path, line: str
    ) -> None:
        assert callable(predicate)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"{line}: exited {process.returncode}\n{out.read_text()}")
            if predicate():
                return
            time.sleep(0.2)
        raise AssertionError(f"{line}: did not start\n{out.read_text()}")


def _answers(port: int) -> bool:
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
    except httpx.HTTPError:
        return False
    return response.status_code < 500


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A database name no one uses, dropped afterwards (the README block creates it)."""
    require_postgres()
    if not POSTGRES_URL.startswith("postgresql://127.0.0.1:5432/"):
        pytest.skip("the README's PostgreSQL commands name 127.0.0.1:5432")
    name = f"liqueue_readme_{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SHELL_BLOCKS = blocks("bash")[1:]  # the first, the set-up, is checked above


@pytest.mark.parametrize("block", SHELL_BLOCKS, ids=[section_of(block) for block in SHELL_BLOCKS])
def test_every_shell_block_runs_as_written(
    block: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    work = tmp_path / "work"
    copy_shop(work / "examples" / "shop")  # its service on a free port, not 8765
    if "liqueue new myapp" not in block:
        create_app(work / "myapp")
    if PG_README_URL in block:
        name = request.getfixturevalue("postgres_database")
        block = block.replace(PG_README_URL, f"postgresql://127.0.0.1:5432/{name}")
        block = block.replace("createdb -h 127.0.0.1 myapp", f"createdb -h 127.0.0.1 {name}")
        if shutil.which("createdb") is None:
            pytest.skip("createdb is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "liqueue"
    shim.write_text(SHIM.format(python=sys.executable))
    shim.chmod(0o755)
    session = Session(work, bin_dir)
    for line in block.splitlines():
        session.run(line)


def test_the_calling_other_services_demo_shows_one_charge(tmp_path: Path) -> None:
    section = README.read_text().split("## Calling other services")[1]
    demo = next(line for line in section.splitlines() if line.startswith("liqueue demo"))
    shop = copy_shop(tmp_path / "shop")
    command, grep = demo.split(" | ")
    args = shlex.split(command.replace("examples/shop", str(shop)))
    result = subprocess.run(
        [sys.executable, "-m", "liqueue.cli", *args[1:], "--port", "0"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pattern = shlex.split(grep)[-1]
    shown = [line for line in result.stdout.splitlines() if re.search(pattern, line)]
    assert "[attempt 3/3] - idempotent_charge - SUCCESS" in "\n".join(shown)
    assert sum("was already charged" in line for line in shown) == 2
