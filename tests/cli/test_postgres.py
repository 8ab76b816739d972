"""The same commands on PostgreSQL, chosen with --db and with $LIQUEUE_DATABASE_URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run


def test_session_on_postgres(run: Run, app_dir: Path, postgres_schema_url: str) -> None:
    assert run("migrate", app_dir, "--db", postgres_schema_url).exit_code == 0
    rendered = run("render", app_dir, "index", "--db", postgres_schema_url)
    assert rendered.exit_code == 0, rendered.output
    assert run("worker", app_dir, "--burst", "--db", postgres_schema_url).exit_code == 0
    jobs = json.loads(run("jobs", "list", app_dir, "--json", "--db", postgres_schema_url).output)
    assert sorted(j["state"] for j in jobs) == ["done", "done", "done"]
    attempts = run(
        "logs", app_dir, "--status", "SUCCESS", "--db", postgres_schema_url
    ).output.splitlines()
    assert len(attempts) == 3
    assert not (app_dir / ".liqueue/liqueue.db").exists()  # SQLite never touched


def test_database_url_from_the_environment(
    run: Run, app_dir: Path, postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIQUEUE_DATABASE_URL", postgres_schema_url)
    run("migrate", app_dir)
    run("render", app_dir, "index")
    listed = run("jobs", "list", app_dir)
    assert len(listed.output.splitlines()) == 4  # header + 3 jobs
    assert not (app_dir / ".liqueue/liqueue.db").exists()
