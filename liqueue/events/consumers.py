"""Consumers are the files under `app/lib/consumers/<event type>/`, run in path order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liqueue.errors import JobOptionError, Location
from liqueue.jobs import JobOptionInvalid, JobOptions, validate_job_options

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


def front_matter_problems(
    root: Path, path: Path, front_matter: dict[str, Any]
) -> list[JobOptionError]:
    """Every problem of a consumer's front matter, each at its key's line."""
    relative = path.relative_to(root).as_posix()
    problems: list[JobOptionError] = []
    unknown = sorted(set(front_matter) - set(FRONT_MATTER_KEYS))
    if unknown:
        problems.append(
            JobOptionError(
                f"unknown front matter key(s) {', '.join(unknown)} in a consumer; "
                f"known: {', '.join(FRONT_MATTER_KEYS)}",
                _key_location(path, relative, unknown[0]),
            )
        )
    for key in FRONT_MATTER_KEYS:
        if key not in front_matter:
            continue
        try:
            validate_job_options([(key, front_matter[key])])
        except JobOptionInvalid as err:
            problems.append(JobOptionError(str(err), _key_location(path, relative, key)))
    return problems


def load_consumer(root: Path, path: Path, front_matter: dict[str, Any]) -> Consumer:
    relative = path.relative_to(root).as_posix()
    problems = front_matter_problems(root, path, front_matter)
    if problems:
        raise problems[0]
    given = ((key, front_matter[key]) for key in FRONT_MATTER_KEYS if key in front_matter)
    try:
        options = validate_job_options(given, JobOptions(max_attempts=CONSUMER_MAX_ATTEMPTS))
    except JobOptionInvalid as err:
        raise JobOptionError(str(err), _key_location(path, relative, err.key)) from err
    return Consumer(
        event_type=path.parent.name,
        name=path.name.removesuffix(".liquid"),
        path=relative,
        priority=options.priority,
        max_attempts=options.max_attempts,
        delay_minutes=options.delay,
    )


def _key_location(path: Path, relative: str, key: str) -> Location:
    """The line of `key:` in the front matter, so errors point at it."""
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), start=1):
        if line.split(":", 1)[0].strip() == key:
            return Location(relative, number, 1)
    return Location(relative, 1, 1)
