"""Request parameters as Rails (Rack) and platformOS parse them.

`a=1&a=2` keeps the last value, `a[]=1&a[]=2` is a list, `a[b]=c` a hash,
`a[][x]=1&a[][y]=2` a list of hashes. Query, then body (form or JSON), then
slug parameters: a later source replaces an earlier one's key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from liqueue.web.limits import RequestLimits, RequestRejected

_KEY = re.compile(r"[\[\]]*([^\[\]]+)\]*")
_LIST_OF_HASHES = re.compile(r"\[\]\[([^\[\]]+)\]$")
_LIST_CHILD = re.compile(r"\[\](.+)$")


def parse_query(text: str, limits: RequestLimits) -> dict[str, Any]:
    """Parameters of a query string or an urlencoded form body."""
    try:
        pairs = parse_qsl(
            text, keep_blank_values=True, max_num_fields=limits.params, errors="strict"
        )
    except ValueError as err:
        if "max" in str(err).lower():
            raise RequestRejected(400, f"too many parameters (at most {limits.params})") from None
        raise RequestRejected(400, f"parameters are not valid UTF-8 text: {err}") from None
    return nest(pairs, limits)


def nest(pairs: Iterable[tuple[str, Any]], limits: RequestLimits) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for count, (name, value) in enumerate(pairs, start=1):
        if count > limits.params:
            raise RequestRejected(400, f"too many parameters (at most {limits.params})")
        _normalize(params, name, value, 0, limits)
    return params


def _normalize(
    params: dict[str, Any], name: str, value: Any, depth: int, limits: RequestLimits
) -> Any:
    if depth > limits.depth:
        raise RequestRejected(
            400, f"parameter {name!r} is nested too deep (at most {limits.depth})"
        )
    found = _KEY.match(name)
    key = found.group(1) if found else ""
    after = name[found.end() :] if found else ""
    if not key:
        return params
    if after == "":
        params[key] = value
    elif after == "[":
        params[name] = value
    elif after == "[]":
        items = params.setdefault(key, [])
        _expect(items, list, key)
        items.append(value)
    elif (child := _LIST_OF_HASHES.match(after) or _LIST_CHILD.match(after)) is not None:
        child_key = child.group(1)
        items = params.setdefault(key, [])
        _expect(items, list, key)
        last = items[-1] if items else None
        if isinstance(last, dict) and not _has_key(last, child_key):
            _normalize(last, child_key, value, depth + 1, limits)
        else:
            items.append(_normalize({}, child_key, value, depth + 1, limits))
    else:
        nested = params.setdefault(key, {})
        _expect(nested, dict, key)
        params[key] = _normalize(nested, after, value, depth + 1, limits)
    return params


def _has_key(params: dict[str, Any], name: str) -> bool:
    """Whether `name` (`x` or `x[y]`) is already set in `params`, as Rack checks."""
    keys = [k for k in re.split(r"[\[\]]+", name) if k]
    current: Any = params
    for key in keys:
        if not isinstance(current, dict) or key not in current:
            return False
        current = current[key]
    return True


def _expect(value: object, kind: type, key: str) -> None:
    if not isinstance(value, kind):
        wanted = "a list" if kind is list else "a hash"
        raise RequestRejected(400, f"parameter {key!r} is given both as a value and as {wanted}")


def parse_json_body(body: bytes, limits: RequestLimits) -> dict[str, Any]:
    """A JSON body's parameters: an object's keys, anything else under `_json` (as Rails)."""
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise RequestRejected(400, f"the JSON body cannot be parsed: {err}") from None
    _check_json(value, limits)
    return value if isinstance(value, dict) else {"_json": value}


def _check_json(value: Any, limits: RequestLimits) -> None:
    count = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limits.depth:
            raise RequestRejected(400, f"the JSON body is nested too deep (at most {limits.depth})")
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            count += 1
            if count > limits.params:
                raise RequestRejected(
                    400, f"the JSON body has too many values (at most {limits.params})"
                )
            stack.append((child, depth + 1))
