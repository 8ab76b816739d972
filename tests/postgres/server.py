"""The local PostgreSQL cluster the tests run on: restart it, make sure it is up."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from tests.store.conftest import POSTGRES_URL

CONFIG_DIR = Path("/etc/postgresql")


def _cluster() -> tuple[str, str] | None:
    """(version, name) of the local cluster serving POSTGRES_URL, if pg_ctlcluster can drive it."""
    if shutil.which("pg_ctlcluster") is None or not CONFIG_DIR.is_dir():
        return None
    versions = sorted(CONFIG_DIR.iterdir(), key=lambda p: p.name)
    for version in versions:
        if (version / "main").is_dir():
            return version.name, "main"
    return None


def require_restartable() -> tuple[str, str]:
    cluster = _cluster()
    if cluster is None:
        problem = "no local cluster to restart (pg_ctlcluster or /etc/postgresql/*/main missing)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run)")
        pytest.skip(problem)
    return cluster


def answering() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def wait_answering(timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not answering():
        if time.monotonic() > deadline:
            raise AssertionError(f"PostgreSQL at {POSTGRES_URL} did not come back in {timeout}s")
        time.sleep(0.1)


def pg_ctlcluster(action: str) -> None:
    version, name = require_restartable()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action],
        check=True,
        capture_output=True,
        timeout=60,
    )


def restart() -> None:
    pg_ctlcluster("restart")
    wait_answering()


def ensure_running() -> None:
    """After a test that restarted the server: start it again if it is not answering."""
    if answering() or _cluster() is None:
        return
    with contextlib.suppress(subprocess.CalledProcessError):  # already starting
        pg_ctlcluster("start")
    wait_answering()
