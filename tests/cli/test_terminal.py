"""What a terminal gets and a pipe does not: colour, notes on stderr; a closed pipe is fine."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from liqueue.app import App
from liqueue.logs import LogEntry, attempt_entry
from liqueue.scaffold import create_app
from tests.cli.seed import enqueue, spec

SCRIPT = Path(sys.executable).parent / "liqueue"
RED, GREEN, YELLOW = "\x1b[31m", "\x1b[32m", "\x1b[33m"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LIQUEUE_DATABASE_URL", "NO_COLOR")}
    return {**env, **extra}


def on_terminal(*args: object, **env: str) -> tuple[int, str, str]:
    """Run liqueue with stdout on a pseudo-terminal; (exit code, stdout, stderr)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(SCRIPT), *map(str, args)],
        stdout=follower, stderr=subprocess.PIPE, env=_env(**env),
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.stderr is not None
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    return process.returncode, b"".join(chunks).decode().replace("\r\n", "\n"), err


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    create_app(root)
    with App(root) as app:
        app.store.migrate()
    return root


def _attempts(root: Path) -> None:
    with App(root) as app:
        app.store.add_logs(
            [
                attempt_entry(at=1.0e9, job_id="j", source_name="send_email", attempt=1,
                              max_attempts=3, status="FAILED", duration_ms=812, error="boom"),
                attempt_entry(at=1.0e9 + 1, job_id="j", source_name="send_email", attempt=2,
                              max_attempts=3, status="SUCCESS", duration_ms=40),
            ]
        )  # fmt: skip


def test_nothing_to_print_says_so_on_a_terminal(shop: Path) -> None:
    code, out, err = on_terminal("logs", shop)
    assert (code, out) == (0, "")
    assert err == "no log entries yet (jobs and {% log %} write them)\n"
    code, out, err = on_terminal("logs", shop, "--status", "FAILED")
    assert err == "no log entries match these filters\n"
    assert on_terminal("logs", shop, "-q")[2] == ""


def test_nothing_to_print_is_silent_in_a_pipe(shop: Path) -> None:
    piped = subprocess.run(
        [str(SCRIPT), "logs", str(shop)], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, "", "")


def test_failed_red_success_green_on_a_terminal_only(shop: Path) -> None:
    _attempts(shop)
    code, out, _err = on_terminal("logs", shop)
    assert code == 0
    assert f"send_email - {RED}FAILED" in out and f"{GREEN}SUCCESS" in out
    assert "\x1b[" not in on_terminal("logs", shop, NO_COLOR="1")[1]
    piped = subprocess.run(
        [str(SCRIPT), "logs", str(shop)], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert "\x1b[" not in piped.stdout and "send_email - FAILED - 812ms" in piped.stdout


def test_warnings_yellow_errors_red_in_check(shop: Path) -> None:
    page = shop / "app" / "views" / "pages" / "broken.liquid"
    page.write_text("{% background priority: 'urgent' %}{% endbackground %}\n")
    code, out, _err = on_terminal("check", shop)
    assert code == 1
    assert f"{RED}error" in out and f"{YELLOW}warning" in out
    assert "\x1b[" not in on_terminal("check", shop, NO_COLOR="1")[1]


@pytest.mark.parametrize("args", [["logs"], ["logs", "--json"], ["jobs", "list", "-n", "3000"]])
def test_a_reader_that_stops_early_is_not_an_error(shop: Path, args: list[str]) -> None:
    with App(shop) as app:
        app.store.add_logs(
            [LogEntry(at=1.0e9 + i, type="info", message="x" * 80) for i in range(3000)]
        )
        enqueue(app, *(spec(f"job_{i}") for i in range(3000)))
    command = " ".join(f"'{a}'" for a in [SCRIPT, *args, shop])
    shell = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} | head -1"],
        capture_output=True, text=True, env=_env(), timeout=120,
    )  # fmt: skip
    assert shell.returncode == 0, shell.stderr
    assert len(shell.stdout.splitlines()) == 1
    assert shell.stderr == ""
