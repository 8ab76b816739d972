"""SQLite URLs: three slashes relative to the app, four absolute; readers never create one."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue.app import App
from liqueue.store.url import resolve_url
from tests.cli.conftest import Run
from tests.cli.seed import log


def test_relative_is_relative_to_the_app_not_the_current_directory(
    run: Run, app_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("migrate", app_dir, "--db", "sqlite:///data/queue.db")
    assert result.exit_code == 0, result.output
    assert (app_dir / "data" / "queue.db").exists()
    assert not (elsewhere / "data").exists()
    assert f"sqlite:///{app_dir.resolve()}/data/queue.db" in result.output


def test_four_slashes_are_absolute(run: Run, app_dir: Path, tmp_path: Path) -> None:
    absolute = tmp_path / "abs" / "queue.db"
    result = run("migrate", app_dir, "--db", f"sqlite:///{absolute}")  # sqlite:////tmp/...
    assert result.exit_code == 0, result.output
    assert absolute.exists()


def test_relative_url_in_liqueue_yml(app_dir: Path) -> None:
    (app_dir / "liqueue.yml").write_text("database_url: sqlite:///var/q.db\n")
    with App(app_dir) as app:
        assert app.database_url == f"sqlite:///{(app_dir / 'var' / 'q.db').resolve()}"
        log(app, "stored beside the app")
    assert (app_dir / "var" / "q.db").exists()


def test_resolve_url_leaves_other_urls_alone(tmp_path: Path) -> None:
    assert resolve_url("postgresql://localhost/shop", tmp_path) == "postgresql://localhost/shop"
    assert resolve_url("sqlite:////srv/q.db", tmp_path) == "sqlite:////srv/q.db"
    assert resolve_url("sqlite:///q.db", tmp_path) == f"sqlite:///{tmp_path.resolve()}/q.db"


@pytest.mark.parametrize(
    "command",
    [["logs"], ["stats"], ["jobs"], ["jobs", "list"], ["events"], ["events", "list"]],
)
def test_readers_never_create_a_database(run: Run, app_dir: Path, command: list[str]) -> None:
    database = (app_dir / ".liqueue" / "liqueue.db").resolve()
    result = run(*command, app_dir)
    assert result.exit_code == 1
    assert result.stderr == f"error: no database yet at {database} (nothing has been queued)\n"
    assert not database.exists()
    assert not database.parent.exists()


def test_help_documents_the_url_rules(run: Run) -> None:
    text = " ".join(run("logs", "--help").output.split())
    assert "sqlite:///rel.db (relative to APP)" in text
    assert "sqlite:////abs/path.db (absolute)" in text
