"""A local HTTP server per test, and applications whose API calls reach it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api_calls.local_server import LocalServer, serving


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from serving()


@pytest.fixture(autouse=True)
def no_database_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIQUEUE_DATABASE_URL", raising=False)


class ShopDir:
    """An application directory; `app()` opens it with a manual clock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "app" / "views" / "pages").mkdir(parents=True)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def config(self, text: str) -> None:
        self.write("liqueue.yml", "retry_jitter: 0\n" + text)

    def definition(self, name: str, text: str) -> None:
        self.write(f"app/api_calls/{name}.liquid", text)

    def page(self, name: str, text: str) -> None:
        self.write(f"app/views/pages/{name}.liquid", text)


@pytest.fixture
def app_dir(tmp_path: Path) -> ShopDir:
    directory = ShopDir(tmp_path / "app_root")
    directory.config("http:\n  allow: [127.0.0.1]\n")
    return directory
