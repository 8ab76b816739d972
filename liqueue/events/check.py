"""What `liqueue check` says about consumers and event schemas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from liqueue.errors import JobOptionError, Location, TemplateError
from liqueue.events.consumers import (
    CONSUMERS_DIR,
    SCHEMAS_DIR,
    consumer_paths,
    event_types,
    front_matter_problems,
    schema_path,
)
from liqueue.liquid.problems import Problem


def check_events(
    root: Path,
    front_matter: Callable[[str], dict[str, Any]],
    partial_candidates: Callable[[str], list[str]],
) -> list[Problem]:
    """`front_matter` reads a template's front matter by its path relative to
    `root`; `partial_candidates` gives the paths a partial name is looked up at."""
    problems: list[Problem] = []
    for event_type in event_types(root):
        paths = consumer_paths(root, event_type)
        schema = schema_path(root, event_type)
        if not paths:
            folder = f"{CONSUMERS_DIR}/{event_type}"
            if (root / folder).is_dir():
                # Without a schema either, publishing this type fails the render.
                unknown = not schema.exists()
                problems.append(
                    Problem(
                        Location(folder),
                        f"no consumers for event {event_type!r}"
                        + (" and no schema: publishing it fails" if unknown else ""),
                        "error" if unknown else "warning",
                    )
                )
        for path in paths:
            relative = path.relative_to(root).as_posix()
            try:
                found = front_matter_problems(root, path, front_matter(relative))
            except TemplateError as err:
                found = [JobOptionError(err.message, err.location)]
            problems.extend(
                Problem(err.location or Location(relative), err.message, "error") for err in found
            )
            shadow = _shadowing(root, path, event_type, partial_candidates)
            if shadow is not None:
                problems.append(shadow)
        if schema.exists() and "return" not in schema.read_text(encoding="utf-8-sig"):
            problems.append(
                Problem(
                    Location(f"{SCHEMAS_DIR}/{event_type}.liquid"),
                    "an event schema must `{% return %}` a hash with 'valid' and 'errors'",
                    "error",
                )
            )
    return problems


def _shadowing(
    root: Path,
    path: Path,
    event_type: str,
    partial_candidates: Callable[[str], list[str]],
) -> Problem | None:
    """A partial found before the consumer under its partial name, which its
    jobs would render instead of it (partials are looked up in order)."""
    relative = path.relative_to(root).as_posix()
    name = f"consumers/{event_type}/{path.name.removesuffix('.liquid')}"
    for candidate in partial_candidates(name):
        if candidate == relative:
            return None
        if (root / candidate).is_file():
            return Problem(
                Location(candidate),
                f"this partial is found before the consumer {relative} (both are partial "
                f"'{name}'): its jobs would render this file; rename or move it",
                "error",
            )
    return None


def publishable_event_types(root: Path) -> set[str]:
    """The event types a render can publish: those with a consumer or a schema."""
    return {
        event_type
        for event_type in event_types(root)
        if consumer_paths(root, event_type) or schema_path(root, event_type).exists()
    }
