"""The installed `liqueue` script, run for real in a subprocess on a SQLite file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liqueue.app import App
from liqueue.logs import format_line
from liqueue.store import LogQuery
from tests.cli.seed import log

SCRIPT = Path(sys.executable).parent / "liqueue"


def liqueue(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LIQUEUE_DATABASE_URL"}
    return subprocess.run(
        [str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=60, cwd=cwd, env=env
    )


def test_script_is_installed() -> None:
    assert SCRIPT.exists(), "install the package: pip install -e ."


def test_version_and_help() -> None:
    result = liqueue("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("liqueue, version ")
    assert "Commands:" in liqueue("--help").stdout


def test_new_then_list_jobs_in_a_subprocess(tmp_path: Path) -> None:
    created = liqueue("new", "shop", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "shop/app/views/pages/index.liquid").exists()
    database = (tmp_path / "shop/.liqueue/liqueue.db").resolve()
    unqueued = liqueue("jobs", "shop", cwd=tmp_path)
    assert (unqueued.returncode, unqueued.stdout) == (1, "")
    assert unqueued.stderr == f"error: no database yet at {database} (nothing has been queued)\n"
    assert not database.exists()  # reading never creates one
    assert liqueue("migrate", "shop", cwd=tmp_path).returncode == 0
    listed = liqueue("jobs", "shop", cwd=tmp_path)
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, "no jobs\n", "")


def test_user_error_has_no_traceback(tmp_path: Path) -> None:
    result = liqueue("logs", tmp_path / "missing")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = liqueue("logs", tmp_path, "--since", "soon")
    assert result.returncode == 2
    assert "not a duration" in result.stderr


def test_db_option_chooses_the_database(tmp_path: Path) -> None:
    liqueue("new", tmp_path / "shop")
    other = tmp_path / "elsewhere.db"
    result = liqueue("migrate", tmp_path / "shop", "--db", f"sqlite:///{other}")
    assert result.returncode == 0, result.stderr
    assert other.exists()
    assert str(other) in result.stdout
    assert not (tmp_path / "shop/.liqueue/liqueue.db").exists()


def test_logs_piped_into_grep(tmp_path: Path) -> None:
    liqueue("new", tmp_path / "shop")
    with App(tmp_path / "shop") as app:
        log(app, "[attempt 1/3] - send_email - FAILED - 812ms - boom", type="attempt")
        log(app, "something else")
    shell = subprocess.run(
        f"'{SCRIPT}' logs '{tmp_path / 'shop'}' | grep FAILED | grep -E '[5-9][0-9]{{2}}ms'",
        shell=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert shell.returncode == 0
    assert len(shell.stdout.splitlines()) == 1
    assert "send_email - FAILED - 812ms" in shell.stdout


def test_follow_prints_new_entries_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    liqueue("new", tmp_path / "shop")
    app = App(tmp_path / "shop")
    log(app, "before")
    follower = subprocess.Popen(
        [str(SCRIPT), "logs", str(tmp_path / "shop"), "--follow", "--type", "info"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert follower.stdout is not None
        assert follower.stdout.readline().endswith("- info: before\n")
        log(app, "after")
        log(app, "ignored", type="email")  # filters hold while following
        log(app, "last")
        assert follower.stdout.readline().endswith("- info: after\n")
        assert follower.stdout.readline().endswith("- info: last\n")
        expected = [format_line(e) for e in app.store.read_logs(LogQuery(type="info"))]
        assert len(expected) == 3
    finally:
        time.sleep(0.3)
        follower.send_signal(signal.SIGINT)
        out, err = follower.communicate(timeout=10)
        app.close()
    assert follower.returncode == 0, err
    assert out == ""  # nothing printed twice after the three lines
    assert "Traceback" not in err


@pytest.mark.parametrize("args", [["jobs", "show"], ["jobs", "cancel"], ["jobs", "delete"]])
def test_unknown_job_in_a_subprocess(tmp_path: Path, args: list[str]) -> None:
    liqueue("new", tmp_path / "shop")
    liqueue("migrate", tmp_path / "shop")
    result = liqueue(*args, tmp_path / "shop", "deadbeef")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "deadbeef" in result.stderr
