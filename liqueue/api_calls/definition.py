"""An API call definition: `app/api_calls/<name>.liquid`, as the platform lays it out.

    ---
    to: "{{ context.constants.payments_url }}/charges"
    request_type: POST
    headers: |
      {"Content-Type": "application/json", "Idempotency-Key": {{ data.key | json }}}
    timeout: 10                      # seconds (or 500ms, 10s, 1m)
    failure_statuses: [5xx, 429]     # statuses that fail the attempt (the default)
    callback: "{% log response.status, type: 'payments' %}"
    ---
    {"order_id": {{ data.order_id | json }}}

`to`, `headers`, `callback` and the body are Liquid, rendered with `data`
(and `context`; the callback also sees `response`). `headers` renders a JSON
object, or is a mapping whose values are Liquid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from liqueue.api_calls.sending import METHODS
from liqueue.errors import Location, TemplateError

DEFINITIONS_DIR = "app/api_calls"
EXTENSION = ".liquid"
KEYS = ("to", "request_type", "headers", "callback", "timeout", "failure_statuses")
DEFAULT_FAILURE_STATUSES = ("5xx", 429)


class DefinitionError(TemplateError):
    """An API call definition's front matter is wrong."""


@dataclass(frozen=True)
class StatusSet:
    ranges: tuple[tuple[int, int], ...]

    def __contains__(self, status: object) -> bool:
        return isinstance(status, int) and any(lo <= status <= hi for lo, hi in self.ranges)

    @classmethod
    def parse(cls, raw: object) -> StatusSet:
        items = [raw] if isinstance(raw, (str, int)) else raw
        if not isinstance(items, list):
            raise ValueError("failure_statuses must be a list such as [5xx, 429, 400-403]")
        ranges: list[tuple[int, int]] = []
        for item in items:
            text = str(item).strip().lower()
            if len(text) == 3 and text.endswith("xx") and text[0] in "12345":
                lo = int(text[0]) * 100
                ranges.append((lo, lo + 99))
                continue
            low, _, high = text.partition("-")
            try:
                lo, hi = int(low), int(high or low)
            except ValueError:
                raise ValueError(
                    f"failure_statuses: {item!r} is not a status, 5xx or 400-499"
                ) from None
            if not 100 <= lo <= hi <= 599:
                raise ValueError(f"failure_statuses: {item!r} is not within 100-599")
            ranges.append((lo, hi))
        return cls(tuple(ranges))


DEFAULT_FAILURES = StatusSet.parse(list(DEFAULT_FAILURE_STATUSES))


@dataclass(frozen=True)
class Part:
    """One Liquid source of a definition, with the line it starts at in the file."""

    source: str
    line: int


@dataclass(frozen=True)
class Definition:
    name: str
    path: str  # relative to the application root
    to: Part
    method: str
    headers: Part | dict[str, Part] | None
    callback: Part | None
    timeout: float | None
    failures: StatusSet
    body: str  # the template text, front matter blanked so lines match the file

    def location(self, key: str | None = None) -> Location:
        part = getattr(self, key, None) if key else None
        return Location(self.path, part.line if isinstance(part, Part) else 1)


def definition_path(name: str) -> str | None:
    """`payments/charge` -> `app/api_calls/payments/charge.liquid`; None for a bad name."""
    parts = [p for p in name.strip().replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    file = "/".join(parts)
    return f"{DEFINITIONS_DIR}/{file}{'' if file.endswith(EXTENSION) else EXTENSION}"


def parse_definition(
    name: str, path: str, matter: dict[str, Any], body: str, raw: str
) -> Definition:
    """A definition from its front matter; DefinitionError naming the file and line."""
    lines = value_lines(raw)

    def where(key: str) -> Location:
        return Location(path, lines.get(key, 1))

    unknown = sorted(set(matter) - set(KEYS))
    if unknown:
        raise DefinitionError(
            f"unknown front matter key(s) {', '.join(unknown)} (known: {', '.join(KEYS)})",
            where(unknown[0]),
        )
    to = matter.get("to")
    if not isinstance(to, str) or not to.strip():
        raise DefinitionError(f"api call '{name}' has no `to` (the URL to call)", Location(path, 1))
    method = str(matter.get("request_type", "GET")).strip().upper()
    if method not in METHODS:
        raise DefinitionError(
            f"unknown request_type {matter.get('request_type')!r} (use {', '.join(METHODS)})",
            where("request_type"),
        )
    headers: Part | dict[str, Part] | None = None
    raw_headers = matter.get("headers")
    if isinstance(raw_headers, str):
        headers = Part(raw_headers, lines.get("headers", 1))
    elif isinstance(raw_headers, dict):
        headers = {str(k): Part(str(v), lines.get("headers", 1)) for k, v in raw_headers.items()}
    elif raw_headers is not None:
        raise DefinitionError(
            "headers must be Liquid rendering a JSON object, or a mapping", where("headers")
        )
    callback = matter.get("callback")
    if callback is not None and not isinstance(callback, str):
        raise DefinitionError("callback must be Liquid text", where("callback"))
    timeout = None
    if matter.get("timeout") is not None:
        from liqueue.config import parse_duration  # config imports this package's settings

        try:
            timeout = parse_duration(matter["timeout"])
        except ValueError as err:
            raise DefinitionError(f"timeout: {err}", where("timeout")) from None
        if timeout <= 0:
            raise DefinitionError("timeout must be more than 0", where("timeout"))
    try:
        failures = (
            StatusSet.parse(matter["failure_statuses"])
            if "failure_statuses" in matter
            else DEFAULT_FAILURES
        )
    except ValueError as err:
        raise DefinitionError(str(err), where("failure_statuses")) from None
    return Definition(
        name=name,
        path=path,
        to=Part(to, lines.get("to", 1)),
        method=method,
        headers=headers,
        callback=Part(callback, lines.get("callback", 1)) if callback else None,
        timeout=timeout,
        failures=failures,
        body=body,
    )


def value_lines(raw: str) -> dict[str, int]:
    """The file line each top-level front matter value starts on."""
    lines = raw.split("\n")
    if not lines or lines[0].rstrip("\r").lstrip("\ufeff") != "---":
        return {}
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r") == "---"), None)
    if end is None:
        return {}
    try:
        node = yaml.compose("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return {}
    found: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            line = value.start_mark.line + 2  # the YAML starts on the file's second line
            if isinstance(value, yaml.ScalarNode) and value.style in ("|", ">"):
                line += 1  # a block scalar's text starts below its indicator
            found[str(key.value)] = line
    return found
