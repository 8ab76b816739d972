"""User errors are one line on stderr and exit 1; usage errors exit 2, as click does."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue.app import App
from tests.cli.conftest import Run


def test_missing_app_is_one_clear_line(run: Run, tmp_path: Path) -> None:
    result = run("jobs", "list", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {tmp_path / 'nowhere'} is not a liqueue application")


@pytest.mark.parametrize(
    "args",
    [
        ["logs", "{app}"], ["stats", "{app}"], ["check", "{app}"], ["migrate", "{app}"],
        ["render", "{app}", "index"], ["events", "list", "{app}"], ["trigger", "{app}", "x.y"],
        ["jobs", "show", "{app}", "abc"],
    ],
)  # fmt: skip
def test_every_app_command_reports_a_missing_app(run: Run, tmp_path: Path, args: list[str]) -> None:
    result = run(*[a.format(app=tmp_path / "none") for a in args])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


def test_unknown_job_id(run: Run, app: App) -> None:
    result = run("jobs", "show", app.root, "ffffffff")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "ffffffff" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", ["cancel", "delete", "retry"])
def test_unknown_job_id_changes_nothing(run: Run, app: App, command: str) -> None:
    result = run("jobs", command, app.root, "0000")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")


def test_bad_param_is_a_usage_error(run: Run, app_dir: Path) -> None:
    result = run("render", app_dir, "index", "--param", "no-equals-sign")
    assert result.exit_code == 2
    assert "expected KEY=VALUE, got 'no-equals-sign'" in result.stderr


def test_bad_params_json_is_a_usage_error(run: Run, app_dir: Path) -> None:
    result = run("render", app_dir, "index", "--params-json", "[1, 2]")
    assert result.exit_code == 2
    assert "expected a JSON object" in result.stderr
    result = run("render", app_dir, "index", "--params-json", "{nope")
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


def test_bad_since_is_a_usage_error(run: Run, app_dir: Path) -> None:
    result = run("logs", app_dir, "--since", "yesterday")
    assert result.exit_code == 2
    assert "not a duration: 'yesterday'" in result.stderr


def test_bad_state_is_a_usage_error(run: Run, app_dir: Path) -> None:
    result = run("jobs", "list", app_dir, "--state", "finished")
    assert result.exit_code == 2
    assert "'finished' is not one of" in result.stderr


def test_retry_needs_ids_or_all_dead(run: Run, app: App) -> None:
    result = run("jobs", "retry", app.root)
    assert result.exit_code == 2
    assert "give job IDs or --all-dead" in result.stderr


def test_bad_database_url(run: Run, app_dir: Path) -> None:
    result = run("jobs", "list", app_dir, "--db", "mysql://localhost/x")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unsupported database URL 'mysql://localhost/x'")


def test_invalid_settings_file(run: Run, app_dir: Path) -> None:
    (app_dir / "liqueue.yml").write_text("retry_backof: [1s]\n")
    result = run("stats", app_dir)
    assert result.exit_code == 1
    assert "liqueue.yml:1: retry_backof: unknown setting" in result.stderr


def test_trigger_data_must_be_an_object(run: Run, app_dir: Path) -> None:
    result = run("trigger", app_dir, "user.signed_up", "--data", "5")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: --data must be a JSON object")


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "{app}", "--horizon", "-1s"], ["demo", "{app}", "--horizon", "banana"],
        ["worker", "{app}", "--grace", "-5"], ["serve", "{app}", "--grace", "inf"],
        ["logs", "{app}", "--since", "nan"],
    ],
)  # fmt: skip
def test_a_bad_duration_is_a_usage_error_before_anything_starts(
    run: Run, app_dir: Path, args: list[str]
) -> None:
    result = run(*[a.format(app=app_dir) for a in args])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{args[2]}': not a duration: " in result.stderr
    assert "Traceback" not in result.output
