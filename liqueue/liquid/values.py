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


def json_text(value: object) -> str:
    """`value` as JSON text; ValueError saying why it cannot be stored."""
    try:
        return json.dumps(value, default=_plain, allow_nan=False, ensure_ascii=False)
    except TimeLimitExceeded:
        raise
    except Exception as err:  # a drop's own failure is still this value's problem
        raise ValueError(str(err) or type(err).__name__) from None


def to_json_value(value: object) -> Any:
    """`value` as plain JSON data; ValueError saying why it cannot be stored."""
    return json.loads(json_text(value))


def loggable(value: object) -> object:
    """Like `to_json_value`, but anything unstorable is logged as its text."""
    try:
        return to_json_value(value)
    except ValueError:
        return str(value)
