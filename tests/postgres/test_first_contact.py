"""What a newcomer sees on a database liqueue cannot use yet: one line saying what to run.

Every command runs as the real console script against the real server.
"""

from __future__ import annotations

import getpass
import shlex
import sqlite3
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from liqueue.scaffold import create_app
from liqueue.store.postgres.schema import LATEST_VERSION
from tests.conftest import database_url
from tests.processes import liqueue_cli

COMMANDS = [
    ["render", "{app}", "index"],
    ["jobs", "{app}"],
    ["logs", "{app}"],
    ["stats", "{app}"],
    ["events", "{app}"],
    ["trigger", "{app}", "user.signed_up", "--data", '{"email": "ann@example.com"}'],
    ["worker", "{app}", "--burst"],
]


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    user = parts.username or getpass.getuser()
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    create_app(root)
    return root


def one_error_line(result: object) -> str:
    stderr = getattr(result, "stderr", "")
    assert getattr(result, "returncode", None) == 1, stderr
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_on_an_unmigrated_database_names_the_migrate_command(
    command: list[str], shop: Path, fresh_database: str
) -> None:
    url = with_password(fresh_database, "s3cret")
    args = [str(shop) if word == "{app}" else word for word in command]
    line = one_error_line(liqueue_cli(*args, "--db", url))
    masked = url.replace(":s3cret@", ":***@")
    assert "s3cret" not in line
    assert "no liqueue schema yet" in line
    assert f"run `{shlex.join(['liqueue', 'migrate', str(shop), '--db', masked])}`" in line


def test_render_into_a_newer_schema_queues_nothing(shop: Path, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            "INSERT INTO liqueue_schema (version, name, applied_at) VALUES (%s, 'future', 0)",
            (LATEST_VERSION + 1,),
        )
    for command in (["render", str(shop), "index"], ["worker", str(shop), "--burst"]):
        line = one_error_line(liqueue_cli(*command, "--db", pg_url))
        assert "newer than this liqueue" in line and "upgrade liqueue" in line
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM jobs").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (0,)


def test_render_into_a_newer_sqlite_file_queues_nothing(shop: Path) -> None:
    assert liqueue_cli("migrate", str(shop)).returncode == 0
    path = shop / ".liqueue" / "liqueue.db"
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO liqueue_schema (version, name, applied_at) VALUES (99, 'f', 0)")
    line = one_error_line(liqueue_cli("render", str(shop), "index"))
    assert "newer than this liqueue" in line
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM jobs").fetchone() == (0,)


@pytest.mark.usefixtures("fresh_database")  # the server must answer
def test_a_missing_database_fails_at_once_with_createdb(shop: Path) -> None:
    name = f"liqueue_missing_{uuid.uuid4().hex[:8]}"
    url = database_url(name)
    for command in (["jobs", str(shop)], ["worker", str(shop), "--burst"]):
        # One line: the pool never started its background attempts (each of
        # which would have logged a line of its own).
        line = one_error_line(liqueue_cli(*command, "--db", url))
        assert f'database "{name}" does not exist' in line
        assert "`createdb " in line and f" {name}`" in line
        assert f"liqueue migrate {shop} --db {url}" in line


def test_an_unknown_role_fails_at_once_saying_so(shop: Path, fresh_database: str) -> None:
    url = with_password(fresh_database, "pw")
    parts = urlsplit(url)
    stranger = f"nobody_{uuid.uuid4().hex[:6]}"
    url = urlunsplit(parts._replace(netloc=f"{stranger}:pw@{parts.netloc.rsplit('@', 1)[-1]}"))
    line = one_error_line(liqueue_cli("stats", str(shop), "--db", url))
    assert f'role "{stranger}" does not exist' in line
    assert ":pw@" not in line and ":***@" in line


def test_a_server_that_refuses_fails_at_once_saying_so(shop: Path) -> None:
    line = one_error_line(liqueue_cli("jobs", str(shop), "--db", "postgresql://127.0.0.1:1/x"))
    assert "connection refused: is the server running" in line
