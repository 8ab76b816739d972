"""The application `liqueue new` creates, copied from the files under `template/`."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from liqueue.errors import ConfigError

# Package data globs skip dot files, so they are stored under a visible name.
_RENAMES = {"gitignore": ".gitignore"}


def create_app(target: Path) -> list[Path]:
    """Copy the scaffold into `target`; return the files written, relative to it.

    Refuses a target that exists and is not an empty directory, so nothing
    of the user's is ever overwritten.
    """
    if target.exists() and not target.is_dir():
        raise ConfigError(f"{target} exists and is not a directory")
    if target.is_dir() and any(target.iterdir()):
        raise ConfigError(f"{target} is not empty; choose a new or empty directory")
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    _copy(files(__package__) / "template", target, Path(), written)
    return sorted(written)


def _copy(source: Traversable, root: Path, relative: Path, written: list[Path]) -> None:
    for item in sorted(source.iterdir(), key=lambda t: t.name):
        if item.name == "__pycache__":
            continue
        path = relative / _RENAMES.get(item.name, item.name)
        if item.is_dir():
            (root / path).mkdir(exist_ok=True)
            _copy(item, root, path, written)
        else:
            (root / path).write_bytes(item.read_bytes())
            written.append(path)
