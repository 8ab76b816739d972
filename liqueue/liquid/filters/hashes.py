"""Hash filters: `hash_merge`, `hash_add_key` and `dig` (platformOS `hash_dig`).

All of them return new dicts rather than mutating their input: a template may
hold the same hash under several names (or in a job's stored arguments), and
platformOS templates always use these filters as `assign x = x | ...`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from liquid.undefined import is_undefined

from .errors import argument_error, input_error, type_name


def _is_nil(value: object) -> bool:
    return value is None or is_undefined(value)


def _as_hash(filter_name: str, value: object) -> dict[Any, Any]:
    """Copy the filter's input; nil is an empty hash (platformOS: `null | hash_merge: k: v`)."""
    if _is_nil(value):
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    raise input_error(filter_name, f"expected a hash or nil, found {type_name(value)}")


def hash_merge(left: object, *others: object, **pairs: object) -> dict[Any, Any]:
    """Return `left` updated with each hash argument, then with the keyword arguments.

    `a | hash_merge: b` and `a | hash_merge: key: value, other: value` both work;
    on duplicate keys the later value wins. A nil argument merges nothing, so
    optional overrides (`defaults | hash_merge: params.overrides`) need no guard.
    """
    merged = _as_hash("hash_merge", left)
    for position, other in enumerate(others, start=1):
        if _is_nil(other):
            continue
        if not isinstance(other, Mapping):
            raise argument_error(
                "hash_merge", f"argument {position} must be a hash, found {type_name(other)}"
            )
        merged.update(other)
    merged.update(pairs)
    return merged


def hash_add_key(left: object, key: object = None, value: object = None) -> dict[Any, Any]:
    """Return a copy of `left` (nil = empty hash) with `key` set to `value`."""
    if _is_nil(key):
        raise argument_error("hash_add_key", "expected a key (string or number), found nil")
    if isinstance(key, bool) or not isinstance(key, str | int):
        raise argument_error(
            "hash_add_key", f"key must be a string or number, found {type_name(key)}"
        )
    updated = _as_hash("hash_add_key", left)
    updated[key] = None if is_undefined(value) else value
    return updated


_MISSING = object()


def _dig_step(current: object, key: object) -> object:
    """One `dig` step; `_MISSING` when the path does not exist."""
    if isinstance(current, Mapping):
        try:
            return current[key]
        except (KeyError, TypeError):  # TypeError: an unhashable key cannot be present
            return _MISSING
    if isinstance(current, Sequence) and not isinstance(current, str):
        if isinstance(key, str) and key.lstrip("-").isdigit():
            # JSON-minded templates often spell indexes as strings ('0').
            key = int(key)
        if isinstance(key, bool) or not isinstance(key, int):
            return _MISSING
        try:
            return current[key]
        except IndexError:
            return _MISSING
    return _MISSING


def dig(left: object, *keys: object) -> object:
    """Follow `keys` through nested hashes and arrays; nil as soon as a step is missing.

    `obj | dig: 'a', 'b', 0` is `obj.a.b[0]` without failing on a nil in between.
    Keys may also be given as one array (`obj | dig: path`), as platformOS allows.
    """
    if len(keys) == 1 and isinstance(keys[0], list | tuple):
        keys = tuple(keys[0])
    if not keys:
        raise argument_error("dig", "expected at least one key")
    current: object = left
    for key in keys:
        if _is_nil(current):
            return None
        current = _dig_step(current, key)
        if current is _MISSING:
            return None
    return None if is_undefined(current) else current
