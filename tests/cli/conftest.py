"""Fixtures for CLI tests: a scaffolded application on a fresh SQLite file, and a runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from liqueue.app import App
from liqueue.cli import cli
from liqueue.scaffold import create_app

# A fresh PostgreSQL schema per test (skipped when no server answers, failing under CI=true).
from tests.store.conftest import postgres_schema_url  # noqa: F401


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    """A fresh `liqueue new` application; its database is APP/.liqueue/liqueue.db."""
    root = tmp_path / "shop"
    create_app(root)
    return root


@pytest.fixture
def app(app_dir: Path) -> Iterator[App]:
    """The same application opened in the test, to seed and inspect its store (created here)."""
    with App(app_dir) as opened:
        opened.store.migrate()
        yield opened


class Run:
    """Invoke the CLI in-process; `run("jobs", "list", APP)` returns click's Result."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: object, input: str | None = None) -> Result:
        return self.runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    # The database must come from the app (or --db), never from the developer's shell.
    monkeypatch.delenv("LIQUEUE_DATABASE_URL", raising=False)
    return Run()
