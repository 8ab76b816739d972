"""What `liqueue check` says about consumers and event schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from liqueue.app import App


def check_events(app: App) -> list[Problem]:
    problems: list[Problem] = []
    for event_type in event_types(app.root):
        paths = consumer_paths(app.root, event_type)
        if not paths:
            folder = f"{CONSUMERS_DIR}/{event_type}"
            if (app.root / folder).is_dir():
                problems.append(
                    Problem(Location(folder), f"no consumers for event {event_type!r}", "warning")
                )
        for path in paths:
            relative = path.relative_to(app.root).as_posix()
            try:
                load_consumer(app.root, path, app.runtime.front_matter(relative))
            except TemplateError as err:
                problems.append(Problem(err.location or Location(relative), err.message, "error"))
        schema = schema_path(app.root, event_type)
        if schema.exists() and "return" not in schema.read_text(encoding="utf-8-sig"):
            problems.append(
                Problem(
                    Location(f"{SCHEMAS_DIR}/{event_type}.liquid"),
                    "an event schema must `{% return %}` a hash with 'valid' and 'errors'",
                    "error",
                )
            )
    return problems
