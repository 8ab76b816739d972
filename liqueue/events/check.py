"""What `liqueue check` says about consumers and event schemas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from liqueue.errors import Location, TemplateError
from liqueue.events.consumers import (
    CONSUMERS_DIR,
    SCHEMAS_DIR,
    consumer_paths,
    event_types,
    load_consumer,
    schema_path,
)
from liqueue.liquid.problems import Problem


def check_events(root: Path, front_matter: Callable[[str], dict[str, Any]]) -> list[Problem]:
    """`front_matter` reads a template's front matter by its path relative to `root`."""
    problems: list[Problem] = []
    for event_type in event_types(root):
        paths = consumer_paths(root, event_type)
        if not paths:
            folder = f"{CONSUMERS_DIR}/{event_type}"
            if (root / folder).is_dir():
                problems.append(
                    Problem(Location(folder), f"no consumers for event {event_type!r}", "warning")
                )
        for path in paths:
            relative = path.relative_to(root).as_posix()
            try:
                load_consumer(root, path, front_matter(relative))
            except TemplateError as err:
                problems.append(Problem(err.location or Location(relative), err.message, "error"))
        schema = schema_path(root, event_type)
        if schema.exists() and "return" not in schema.read_text(encoding="utf-8-sig"):
            problems.append(
                Problem(
                    Location(f"{SCHEMAS_DIR}/{event_type}.liquid"),
                    "an event schema must `{% return %}` a hash with 'valid' and 'errors'",
                    "error",
                )
            )
    return problems
