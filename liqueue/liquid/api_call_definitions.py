"""API call definitions read from `app/api_calls/` and parsed once per file version."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from liquid.exceptions import LiquidError

from liqueue.api_calls.definition import Definition, Part, definition_path, parse_definition
from liqueue.errors import NotFound, TemplateError
from liqueue.liquid.loader import AppLoader
from liqueue.liquid.positions import placed

if TYPE_CHECKING:
    from liquid import BoundTemplate, Environment


@dataclass(frozen=True)
class LoadedDefinition:
    definition: Definition
    to: BoundTemplate
    headers: BoundTemplate | dict[str, BoundTemplate] | None
    body: BoundTemplate
    callback: BoundTemplate | None


class ApiCallDefinitions:
    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], tuple[tuple[int, int], LoadedDefinition]] = {}
        self._lock = threading.Lock()

    def exists(self, env: Environment, name: str) -> bool:
        path = definition_path(name)
        loader = env.loader
        return path is not None and isinstance(loader, AppLoader) and (loader.root / path).is_file()

    def load(self, env: Environment, name: str) -> LoadedDefinition:
        """The definition `name`; NotFound, or DefinitionError / a Liquid syntax error
        located in the definition's file."""
        loader = env.loader
        if not isinstance(loader, AppLoader):
            raise TemplateError("api calls need an application's loader")
        path = definition_path(name)
        if path is None or not (loader.root / path).is_file():
            raise NotFound(f"api call '{name}' not found (looked for {path or 'a valid name'})")
        source = loader.read(path)
        key = (id(env), path)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and cached[0] == source.stamp:
            return cached[1]
        raw = (loader.root / path).read_text(encoding="utf-8-sig")
        definition = parse_definition(name, path, dict(source.front_matter), source.text, raw)

        def parse(part: Part) -> BoundTemplate:
            padded = "\n" * max(part.line - 1, 0) + part.source
            try:
                return env.from_string(padded, name=name, path=path)
            except LiquidError as err:
                raise placed(err, path) from None  # the definition's error, not the caller's

        headers: BoundTemplate | dict[str, BoundTemplate] | None = None
        if isinstance(definition.headers, Part):
            headers = parse(definition.headers)
        elif isinstance(definition.headers, dict):
            headers = {k: parse(v) for k, v in definition.headers.items()}
        loaded = LoadedDefinition(
            definition=definition,
            to=parse(definition.to),
            headers=headers,
            body=parse(Part(definition.body, 1)),
            callback=parse(definition.callback) if definition.callback else None,
        )
        with self._lock:
            self._cache[key] = (source.stamp, loaded)
        return loaded
