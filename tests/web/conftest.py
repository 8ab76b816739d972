"""Fixtures for the web tests: applications on disk and real servers over loopback."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The in-process CLI runner of the CLI tests.
from tests.cli.conftest import run  # noqa: F401
from tests.web.server import ServerProcess

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"

Serve = Callable[..., ServerProcess]


def write_app(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "app").mkdir(exist_ok=True)
    return root


@pytest.fixture
def serve() -> Iterator[Serve]:
    started: list[ServerProcess] = []

    def start(
        app_dir: Path, *args: str, env: dict[str, str] | None = None, command: str = "serve"
    ) -> ServerProcess:
        server = ServerProcess(app_dir, *args, env=env, command=command)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def shop_dir(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns(".liqueue"))
    return root
