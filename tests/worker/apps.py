"""Small applications written to disk for worker tests."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_app(root: Path, files: dict[str, str], config: str = "") -> Path:
    """Create an app under `root`: `files` maps paths under `app/` to Liquid source."""
    (root / "app" / "views" / "pages").mkdir(parents=True, exist_ok=True)
    (root / "app" / "views" / "partials").mkdir(parents=True, exist_ok=True)
    for relative, source in files.items():
        path = root / "app" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"))
    if config:
        (root / "liqueue.yml").write_text(textwrap.dedent(config).lstrip("\n"))
    return root


# Several seconds of pure Liquid work, for time limits, SIGTERM and kill -9.
SLOW_LOOP = "{% for i in (1..3000000) %}{% endfor %}"
