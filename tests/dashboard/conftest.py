"""Fixtures of the dashboard tests: stores on both backends (as the store tests
have them), applications on disk and real `liqueue serve` processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# The store tests' backends, and the web tests' servers and browser.
from tests.store.conftest import (  # noqa: F401
    backend,
    open_url,
    postgres_schema_url,
    store,
    store_url,
    unmigrated_url,
)
from tests.web.conftest import serve, write_app  # noqa: F401
from tests.web.test_browser import browser  # noqa: F401

FLAKY_APP = {
    "app/views/pages/index.liquid": "home",
    "app/views/pages/queue.liquid": """{% background source_name: 'charge_card', max_attempts: 1, amount: 42 %}
{% assign missing = nil %}
{{ missing | nonexistent_filter_boom }}
{% endbackground %}
{% background source_name: 'send_receipt', to: 'dee@example.com' %}{% log 'sent' %}{% endbackground %}
""",
}


@pytest.fixture
def db_url(
    backend: str,  # noqa: F811
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> str:
    """A fresh database on each backend, for apps served in a child process."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/queue.db"
    url: str = request.getfixturevalue("postgres_schema_url")
    return url


def liqueue(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "liqueue.cli", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def flaky_app(tmp_path: Path, db_url: str) -> Path:
    """An app whose page queues one job that fails (dead at once) and one that succeeds."""
    root = write_app(tmp_path / "shop", FLAKY_APP)
    for args in (("migrate",), ("render", "queue"), ("worker", "--burst")):
        done = liqueue(args[0], str(root), "--db", db_url, *args[1:])
        assert done.returncode == 0, done.stderr
    return root
