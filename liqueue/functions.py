"""Host functions: Python callables an embedding application offers to its templates.

    def mark_paid(order_id: int) -> dict[str, object]: ...

    App("shop", functions={"orders.mark_paid": mark_paid})

or, so that worker processes (which build their own `App`) find them too,
an entry point in `liqueue.yml`:

    functions: shop_functions:FUNCTIONS     # module:attribute, or a list of them

The attribute is a mapping of names to callables, or a callable returning
one. Templates call them with `{% function result = 'py:orders.mark_paid',
order_id: 5 %}`: JSON-able keyword arguments in, a JSON-able value out.
"""

from __future__ import annotations

import importlib
import json
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from liqueue.errors import ConfigError

HostFunction = Callable[..., Any]
PREFIX = "py:"


class HostFunctionError(Exception):
    """A host function is unknown, was given or returned something not JSON-able, or raised."""


def parse_entry_points(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError("functions must be 'module:attribute' or a list of them")
    for item in items:
        module, _, attribute = item.partition(":")
        if not module.strip() or not attribute.strip():
            raise ValueError(f"functions: {item!r} is not 'module:attribute'")
    return tuple(i.strip() for i in items)


class HostFunctions:
    """The functions of one application: those given in Python, then its entry points'."""

    def __init__(
        self,
        given: Mapping[str, HostFunction] | None = None,
        entry_points: Sequence[str] = (),
        root: Path | None = None,
    ) -> None:
        self._given = dict(given or {})
        self._entry_points = tuple(entry_points)
        self._root = root
        self._loaded: dict[str, HostFunction] | None = None
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        return sorted(self._all())

    def unknown(self, name: str) -> str | None:
        """Why there is no function `name` (None: there is one). Loads the entry
        points as the first call does: ConfigError when one cannot be loaded."""
        if name in self._all():
            return None
        known = ", ".join(self.names()) or "none are registered"
        return f"unknown host function '{PREFIX}{name}' (known: {known})"

    def call(self, name: str, arguments: Mapping[str, object]) -> Any:
        """Call `name` with JSON copies of `arguments`; return a JSON copy of its value."""
        unknown = self.unknown(name)
        if unknown is not None:
            raise HostFunctionError(unknown)
        function = self._all()[name]
        try:
            given = json.loads(json.dumps(dict(arguments), allow_nan=False))
        except (TypeError, ValueError) as err:
            raise HostFunctionError(
                f"arguments of '{PREFIX}{name}' are not JSON-able: {err}"
            ) from None
        try:
            value = function(**given)
        except Exception as err:
            message = str(err) or type(err).__name__
            raise HostFunctionError(
                f"'{PREFIX}{name}' raised {type(err).__name__}: {message}"
            ) from err
        try:
            return json.loads(json.dumps(value, allow_nan=False))
        except (TypeError, ValueError) as err:
            raise HostFunctionError(
                f"'{PREFIX}{name}' returned a value that is not JSON-able: {err}"
            ) from None

    def _all(self) -> dict[str, HostFunction]:
        with self._lock:
            if self._loaded is None:
                loaded: dict[str, HostFunction] = {}
                for entry_point in self._entry_points:
                    loaded.update(load_entry_point(entry_point, self._root))
                loaded.update(self._given)  # what the embedding code passes wins
                self._loaded = loaded
            return self._loaded


def load_entry_point(entry_point: str, root: Path | None = None) -> dict[str, HostFunction]:
    """Import `module:attribute`; modules beside `liqueue.yml` (in `root`) are found too."""
    module_name, _, attribute = entry_point.partition(":")
    where = f"liqueue.yml functions: {entry_point}"
    if root is not None and str(root) not in sys.path:
        sys.path.append(str(root))
    try:
        module = importlib.import_module(module_name.strip())
    except Exception as err:
        raise ConfigError(f"{where}: cannot import {module_name}: {err}") from None
    target: object = module
    for part in attribute.strip().split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ConfigError(f"{where}: {module_name} has no attribute {attribute}") from None
    if callable(target) and not isinstance(target, Mapping):
        try:
            target = target()
        except Exception as err:
            message = str(err) or type(err).__name__
            raise ConfigError(
                f"{where}: {attribute} raised {type(err).__name__}: {message}"
            ) from None
    if not isinstance(target, Mapping) or not all(
        isinstance(k, str) and callable(v) for k, v in target.items()
    ):
        raise ConfigError(f"{where}: expected a mapping of names to callables")
    return dict(target)
