"""Consumers are the files under `app/lib/consumers/<event type>/`, run in path order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liqueue.errors import JobOptionError, Location
from liqueue.jobs import validate_delay, validate_max_attempts, validate_priority

CONSUMERS_DIR = Path("app/lib/consumers")
SCHEMAS_DIR = Path("app/lib/events")

# The platform's core module retries consumers 9 times, above the platform's
# own documented limit of 5. liqueue keeps one limit for every job, so a
# consumer retries up to that limit unless its front matter says otherwise:
# losing an event to one transient failure is worse than retrying it.
CONSUMER_MAX_ATTEMPTS = 5
FRONT_MATTER_KEYS = ("priority", "max_attempts", "delay")


@dataclass(frozen=True)
class Consumer:
    event_type: str
    name: str
    path: str  # relative to the app root
    priority: str
    max_attempts: int
    delay_minutes: float

    @property
    def partial(self) -> str:
        return f"consumers/{self.event_type}/{self.name}"

    @property
    def source_name(self) -> str:
        return self.partial


def consumer_paths(root: Path, event_type: str) -> list[Path]:
    folder = root / CONSUMERS_DIR / event_type
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.liquid"))


def schema_path(root: Path, event_type: str) -> Path:
    return root / SCHEMAS_DIR / f"{event_type}.liquid"


def event_types(root: Path) -> list[str]:
    """Every event type the app knows, from consumer folders and schemas."""
    types = {p.name for p in (root / CONSUMERS_DIR).glob("*") if p.is_dir()}
    types |= {p.name.removesuffix(".liquid") for p in (root / SCHEMAS_DIR).glob("*.liquid")}
    return sorted(types)


def load_consumer(root: Path, path: Path, front_matter: dict[str, Any]) -> Consumer:
    relative = path.relative_to(root).as_posix()
    unknown = sorted(set(front_matter) - set(FRONT_MATTER_KEYS))
    if unknown:
        raise JobOptionError(
            f"unknown front matter key(s) {', '.join(unknown)} in a consumer; "
            f"known: {', '.join(FRONT_MATTER_KEYS)}",
            _key_location(path, relative, unknown[0]),
        )
    try:
        priority = validate_priority(front_matter.get("priority"))
    except ValueError as err:
        raise JobOptionError(str(err), _key_location(path, relative, "priority")) from err
    try:
        max_attempts = (
            validate_max_attempts(front_matter["max_attempts"])
            if "max_attempts" in front_matter
            else CONSUMER_MAX_ATTEMPTS
        )
    except ValueError as err:
        raise JobOptionError(str(err), _key_location(path, relative, "max_attempts")) from err
    try:
        delay = validate_delay(front_matter.get("delay"))
    except ValueError as err:
        raise JobOptionError(str(err), _key_location(path, relative, "delay")) from err
    return Consumer(
        event_type=path.parent.name,
        name=path.name.removesuffix(".liquid"),
        path=relative,
        priority=priority,
        max_attempts=max_attempts,
        delay_minutes=delay,
    )


def _key_location(path: Path, relative: str, key: str) -> Location:
    """The line of `key:` in the front matter, so errors point at it."""
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), start=1):
        if line.split(":", 1)[0].strip() == key:
            return Location(relative, number, 1)
    return Location(relative, 1, 1)
