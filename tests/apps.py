"""The one builder of application directories the tests run: Liquid files on disk."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_file(root: Path, relative: str, text: str) -> Path:
    """Write `text` at `relative` under `root`, creating directories."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_app(root: Path, files: dict[str, str], config: str = "") -> Path:
    """Create an app under `root`: `files` maps paths under `app/` to Liquid source."""
    (root / "app" / "views" / "pages").mkdir(parents=True, exist_ok=True)
    (root / "app" / "views" / "partials").mkdir(parents=True, exist_ok=True)
    for relative, source in files.items():
        write_file(root, f"app/{relative}", textwrap.dedent(source).lstrip("\n"))
    if config:
        write_file(root, "liqueue.yml", textwrap.dedent(config).lstrip("\n"))
    return root


# Several seconds of pure Liquid work, for time limits, SIGTERM and kill -9
# (compiled rendering turns an empty loop's 3,000,000 turns in under a second).
SLOW_LOOP = "{% for i in (1..12000000) %}{% endfor %}"
