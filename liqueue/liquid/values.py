"""Values leaving a render: job arguments, event payloads, log messages.

They are stored as JSON, so they go through a JSON round trip here, where a
bad value can still be blamed on the tag and argument that produced it.
"""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterable, Mapping
from typing import Any

from liquid import Undefined

from liqueue.errors import TimeLimitExceeded


def _plain(value: object) -> object:
    """json.dumps fallback for what Liquid templates commonly hold."""
    if isinstance(value, Undefined):
        return None
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    liquid_value = getattr(value, "__liquid__", None)
    if callable(liquid_value):
        return liquid_value()
    if isinstance(value, Mapping):
        # Drops such as `forloop` iterate over something else than their keys.
        keys = getattr(value, "_keys", None)
        if isinstance(keys, (set, frozenset)):
            return {key: value[key] for key in sorted(keys)}
        return dict(value)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        return list(value)
    raise TypeError(f"a {type(value).__name__} cannot be stored as JSON")


# JSON nested deeper than this is refused where it is read: a template never
# needs it, and Python's recursion limit would fail later, somewhere else.
MAX_JSON_DEPTH = 100

_ENCODER = json.JSONEncoder(default=_plain, allow_nan=False, ensure_ascii=False)


class TooLarge(Exception):
    """A value's JSON text would be longer than allowed (it is not built in full)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,} characters as JSON")
        self.limit = limit


def json_text(value: object, max_chars: int | None = None) -> str:
    """`value` as JSON text; ValueError saying why it cannot be stored, TooLarge
    as soon as the text passes `max_chars` (a list holding one big list many
    times is small in memory but huge as text)."""
    try:
        if max_chars is None:
            return _ENCODER.encode(value)
        chunks: list[str] = []
        size = 0
        for chunk in _ENCODER.iterencode(value):
            size += len(chunk)
            if size > max_chars:
                raise TooLarge(max_chars)
            chunks.append(chunk)
        return "".join(chunks)
    except (TimeLimitExceeded, TooLarge):
        raise
    except RecursionError:
        raise ValueError("nested too deep") from None
    except Exception as err:  # a drop's own failure is still this value's problem
        raise ValueError(str(err) or type(err).__name__) from None


def to_json_value(value: object, max_chars: int | None = None) -> Any:
    """`value` as plain JSON data; ValueError saying why it cannot be stored."""
    return json.loads(json_text(value, max_chars))


def _own_json_value(value: object, max_chars: int | None) -> bool:
    """Whether `value` is certainly its own JSON value within `max_chars`: a short
    string (escaped, a character takes 6 at most), a modest int, a bool, None."""
    kind = value.__class__
    if kind is str:
        return max_chars is None or len(value) * 6 + 2 <= max_chars  # type: ignore[arg-type]
    if kind is int:
        return -(10**15) < value < 10**15 and (max_chars is None or max_chars >= 17)  # type: ignore[operator]
    return (value is None or kind is bool) and (max_chars is None or max_chars >= 5)


def loggable(value: object, max_chars: int | None = None) -> object:
    """Like `to_json_value`, but anything unstorable is logged as its text."""
    if _own_json_value(value, max_chars):
        return value  # what the JSON round trip would give back
    try:
        return to_json_value(value, max_chars)
    except ValueError:
        text = str(value)
        if max_chars is not None and len(text) > max_chars:
            raise TooLarge(max_chars) from None
        return text


def load_json(text: str, **options: Any) -> Any:
    """`json.loads`, refusing documents nested more than MAX_JSON_DEPTH levels
    (ValueError; JSONDecodeError for malformed text)."""
    try:
        data = json.loads(text, **options)
    except RecursionError:
        data = None
        deep = True
    else:
        deep = _deeper_than(data, MAX_JSON_DEPTH)
    if deep:
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep")
    return data


def _deeper_than(data: object, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[object] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
