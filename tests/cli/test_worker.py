"""`liqueue worker` and `liqueue migrate`, end to end on the scaffold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from liqueue.app import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from tests.cli.conftest import Run

SCRIPT = Path(sys.executable).parent / "liqueue"


def test_burst_runs_what_is_due_and_exits_0(run: Run, app: App) -> None:
    run("render", app.root, "index")
    result = run("worker", app.root, "--burst")
    assert result.exit_code == 0, result.output
    states = {j.source_name: j.state for j in app.store.list_jobs(JobQuery())}
    assert set(states.values()) == {JobState.DONE}
    assert len(states) == 3


def test_worker_options_are_checked(run: Run, app: App) -> None:
    result = run("worker", app.root, "--processes", "0")
    assert result.exit_code == 2
    assert "--processes" in result.stderr


def test_migrate_reports_the_version(run: Run, app_dir: Path) -> None:
    result = run("migrate", app_dir)
    assert result.exit_code == 0
    with App(app_dir) as app:
        version = app.store.schema_version()[1]
    assert result.output.endswith(f"schema already at version {version}\n")
    assert str(app_dir / ".liqueue" / "liqueue.db") in result.output


def test_a_newcomers_session_in_a_shell(tmp_path: Path) -> None:
    """new, check, render, worker --burst, then the seed's grep on the log."""
    script = f"""
    set -e
    L='{SCRIPT}'
    "$L" new shop > /dev/null
    "$L" check shop
    "$L" render shop index --param email=ann@example.com 2> /dev/null
    "$L" worker shop --burst
    "$L" logs shop | grep attempt
    """
    shell = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert shell.returncode == 0, shell.stderr
    lines = shell.stdout.splitlines()
    assert lines[0] == "no problems found"
    assert "<h1>Welcome, ann@example.com</h1>" in lines
    attempts = [line for line in lines if "[attempt " in line]
    assert len(attempts) == 3
    assert all(" - SUCCESS - " in line for line in attempts)
