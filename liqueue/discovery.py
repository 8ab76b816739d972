"""Which application a command is about when none is named, as git finds its repository.

`cd myapp/app/views && liqueue logs` works on myapp: the nearest directory at
or above the current one holding `app/` or `liqueue.yml`, then `$LIQUEUE_APP`.
"""

from __future__ import annotations

import os
from pathlib import Path

from liqueue.errors import ConfigError

APP_ENV = "LIQUEUE_APP"
MARKERS = ("app", "liqueue.yml")


def is_app_dir(path: Path) -> bool:
    return (path / "app").is_dir() or (path / "liqueue.yml").is_file()


def find_app(start: Path | None = None) -> Path:
    """The application containing `start` (default: the current directory), else $LIQUEUE_APP."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if is_app_dir(directory):
            return directory
    named = os.environ.get(APP_ENV)
    if named:
        return Path(named)
    raise ConfigError(
        f"no application here: neither {here} nor a directory above it holds app/ or "
        f"liqueue.yml, and ${APP_ENV} is not set; give APP (the application's directory) "
        "or run the command inside the application"
    )
