"""APP is optional: the application containing the current directory, then $LIQUEUE_APP."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue.app import App
from liqueue.jobs import JobState
from liqueue.scaffold import create_app
from liqueue.store.sqlite.schema import LATEST_VERSION
from tests.cli.conftest import Run
from tests.cli.seed import attempt, enqueue, log, spec


@pytest.fixture
def inside(app: App, monkeypatch: pytest.MonkeyPatch) -> App:
    """The test runs in app/views/pages of the application, with no $LIQUEUE_APP."""
    monkeypatch.delenv("LIQUEUE_APP", raising=False)
    monkeypatch.chdir(app.root / "app" / "views" / "pages")
    return app


def test_logs_as_the_seed_writes_it(run: Run, inside: App) -> None:
    (failing,) = enqueue(inside, spec("failing_job"))
    attempt(inside, failing, fail=True, duration_ms=30, final=JobState.DEAD)
    log(inside, "unrelated", source_name="other")
    result = run("logs", "--source-name=failing_job")
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    assert "failing_job - FAILED - 30ms" in line


def test_every_command_finds_the_app(run: Run, inside: App) -> None:
    (job_id,) = enqueue(inside, spec("send_email"))
    assert job_id[:18] in run("jobs").output
    assert job_id[:18] in run("jobs", "list", "--state", "scheduled").output
    assert run("jobs", "show", job_id).output.startswith(f"id           {job_id}")
    assert run("jobs", "cancel", job_id).output.startswith(f"cancelled {job_id}")
    assert "retrying" in run("jobs", "retry", job_id).output
    assert "send_email" in run("stats").output
    assert run("check").exit_code == 0
    assert run("render", "index", "--dry-run").exit_code == 0
    assert run("migrate").output.endswith(f"schema already at version {LATEST_VERSION}\n")
    assert run("events").output == "no events\n"
    assert (
        run("trigger", "user.signed_up", "--data", '{"email": "a@x", "user_id": 1}').exit_code == 0
    )


@pytest.mark.usefixtures("inside")
def test_an_explicit_app_still_wins(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "other"
    create_app(other)
    run("migrate", other)
    with App(other) as opened:
        log(opened, "from the other app")
    assert run("logs", other).output.endswith("info: from the other app\n")
    assert run("logs", "-n", "1", other).output.endswith("info: from the other app\n")


def test_liqueue_app_when_not_inside_one(
    run: Run, app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log(app, "found through the environment")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("LIQUEUE_APP", str(app.root))
    assert run("logs").output.endswith("info: found through the environment\n")


def test_no_app_says_where_it_looked(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LIQUEUE_APP", raising=False)
    empty = tmp_path / "empty" / "deeper"
    empty.mkdir(parents=True)
    monkeypatch.chdir(empty)
    result = run("logs")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: no application here: neither {empty.resolve()} ")
    assert "app/ or liqueue.yml" in result.stderr and "$LIQUEUE_APP" in result.stderr
    assert len(result.stderr.splitlines()) == 1
