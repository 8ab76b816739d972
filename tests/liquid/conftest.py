"""Real application directories under tmp_path for the Liquid runtime's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .liquid_apps import AppDir


@pytest.fixture
def app(tmp_path: Path) -> AppDir:
    (tmp_path / "app" / "views" / "pages").mkdir(parents=True)
    return AppDir(tmp_path)
