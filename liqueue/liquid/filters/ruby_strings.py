"""Ruby's string conversion for the built-in string filters.

Ruby Liquid turns filter inputs and arguments into text with `to_s`, where
`nil.to_s` is "" and `false.to_s` is "false". python-liquid 2.3.6 uses
Python's `str()` for arguments, so `'a' | append: nil` renders "aNone",
`arr | join` prints "None" for nil items and `'a' | append: false` gives
"aFalse". These wrappers convert only nil and booleans and then call the
built-in filter, so every other behaviour (and every error) stays python-liquid's.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from liquid.builtin.filters.array import join
from liquid.builtin.filters.string import (
    append,
    prepend,
    remove,
    remove_first,
    remove_last,
    replace,
    replace_first,
    replace_last,
    split,
    truncate,
    truncatewords,
)

if TYPE_CHECKING:
    from liquid import Environment
    from liquid.filter import FilterT


def ruby_to_s(value: object) -> object:
    """nil -> "", true/false -> "true"/"false"; anything else is left for the built-in."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _with_ruby_strings(builtin: FilterT, string_args: tuple[int, ...]) -> FilterT:
    """Wrap `builtin`, converting its input and the positional arguments at `string_args`."""

    # functools.wraps also copies python-liquid's `with_environment` marker.
    @functools.wraps(builtin)
    def wrapper(left: object, *args: object, **kwargs: object) -> object:
        converted = [ruby_to_s(arg) if i in string_args else arg for i, arg in enumerate(args)]
        return builtin(ruby_to_s(left), *converted, **kwargs)

    return wrapper


def _ruby_items(value: object) -> object:
    # Nested arrays are converted too: the built-in `join` flattens them afterwards.
    if isinstance(value, list | tuple):
        return [_ruby_items(item) for item in value]
    return ruby_to_s(value)


@functools.wraps(join)
def ruby_join(left: object, *args: object, **kwargs: object) -> object:
    """`join` rendering nil items (and a nil input) as "" and booleans as "true"/"false"."""
    separator = [ruby_to_s(arg) for arg in args[:1]]
    return join(_ruby_items(left), *separator, *args[1:], **kwargs)


# Filter name -> (built-in, indexes of positional arguments Ruby converts with to_s).
_STRING_FILTERS: dict[str, tuple[FilterT, tuple[int, ...]]] = {
    "append": (append, (0,)),
    "prepend": (prepend, (0,)),
    "remove": (remove, (0,)),
    "remove_first": (remove_first, (0,)),
    "remove_last": (remove_last, (0,)),
    "replace": (replace, (0, 1)),
    "replace_first": (replace_first, (0, 1)),
    "replace_last": (replace_last, (0, 1)),
    "split": (split, (0,)),
    "truncate": (truncate, (1,)),
    "truncatewords": (truncatewords, (1,)),
}

RUBY_STRING_FILTERS = (*_STRING_FILTERS, "join")


def register(env: Environment) -> None:
    for name, (builtin, string_args) in _STRING_FILTERS.items():
        env.add_filter(name, _with_ruby_strings(builtin, string_args))
    env.add_filter("join", ruby_join)
