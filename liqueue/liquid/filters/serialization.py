"""JSON filters: `json` (alias `to_json`) and `parse_json` (alias `to_hash`)."""

from __future__ import annotations

import datetime as dt
import decimal
import html
import json as _json
from collections.abc import Mapping
from typing import Any

from liquid.undefined import is_undefined

from liqueue.liquid.values import load_json

from .errors import argument_error, input_error, type_name


def _to_json_value(value: object) -> Any:
    """Make the few non-JSON types a template can hold serialisable; refuse the rest."""
    if is_undefined(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, range | tuple | set | frozenset):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    # Anything else would otherwise be printed as "<object at 0x...>": say what it was instead.
    raise TypeError(f"cannot convert {type_name(value)} to JSON")


def json(value: object) -> str:
    """Return `value` as compact JSON text (`{"a":1}`), as Ruby's `to_json` writes it."""
    try:
        return _json.dumps(
            None if is_undefined(value) else value,
            default=_to_json_value,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        )
    except RecursionError:
        raise input_error("json", "the value is nested too deep") from None
    except (TypeError, ValueError) as err:
        raise input_error("json", str(err)) from err


def _reject_constant(name: str) -> Any:
    # Python accepts NaN/Infinity, which are not JSON and which Ruby's parser refuses.
    raise ValueError(f"{name} is not valid JSON")


def _unescape(value: Any) -> Any:
    if isinstance(value, str):
        return html.unescape(value)
    if isinstance(value, list):
        return [_unescape(item) for item in value]
    if isinstance(value, dict):
        return {key: _unescape(item) for key, item in value.items()}
    return value


def parse_json(value: object, *, raw_text: object = False) -> Any:
    """Parse JSON text into hashes, arrays and scalars.

    Like platformOS, HTML entities in parsed strings (`&quot;`) are unescaped
    unless `raw_text: true` is given. Values that are already objects (hash,
    array, number, boolean) are returned unchanged, nil and blank text give nil,
    and malformed JSON raises an error naming the line and column.
    """
    if value is None or is_undefined(value):
        return None
    if isinstance(value, dict | list | int | float):
        return value
    if not isinstance(value, str):
        raise input_error("parse_json", f"expected JSON text, found {type_name(value)}")
    if not value.strip():
        return None
    try:
        parsed = load_json(value, parse_constant=_reject_constant)
    except _json.JSONDecodeError as err:
        raise argument_error(
            "parse_json", f"invalid JSON at line {err.lineno} column {err.colno}: {err.msg}"
        ) from err
    except ValueError as err:
        raise argument_error("parse_json", f"invalid JSON: {err}") from err
    # Ruby truthiness, as platformOS reads the option: anything but nil and false.
    keep_entities = raw_text is not None and raw_text is not False and not is_undefined(raw_text)
    return parsed if keep_entities else _unescape(parsed)
